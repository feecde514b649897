"""Limits on what reading one file may cost: unpacked size, text, nesting depth, XML elements and seconds.

A Word file is a zip of XML parts: a few hundred kilobytes can unpack to gigabytes (a zip bomb) or to
millions of elements; XML can nest thousands deep or define entities. Each part is measured by streaming it
through expat before python-docx (or ElementTree) builds a tree, so such a file is reported and skipped
within seconds and with bounded memory.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from ingest.readers import UnreadableFileError

_CHUNK = 1 << 16
_MAX_ZIP_MEMBERS = 5000


@dataclass(frozen=True)
class ReadLimits:
    max_unpacked_bytes: int = 50_000_000
    max_text_chars: int = 5_000_000
    max_nesting: int = 200
    max_xml_elements: int = 2_000_000
    max_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings) -> "ReadLimits":
        return cls(max_unpacked_bytes=int(settings.max_unpacked_mb * 1_000_000),
                   max_text_chars=settings.max_text_chars, max_nesting=settings.max_nesting,
                   max_xml_elements=settings.max_text_chars // 2, max_seconds=settings.max_read_seconds)


class Deadline:
    """Raises ``UnreadableFileError`` once reading a file has taken longer than allowed."""

    def __init__(self, path: Path, seconds: float):
        self.path, self.seconds, self.end = path, seconds, time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise UnreadableFileError(self.path, f"het lezen duurde te lang (meer dan {self.seconds:g} s); "
                                                 "overgeslagen")


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f}"


class _XmlMeter:
    """Counts depth, elements and text of an XML stream; refuses DTDs and entity definitions."""

    def __init__(self, path: Path, limits: ReadLimits, deadline: Deadline, what: str):
        self.path, self.limits, self.deadline, self.what = path, limits, deadline, what
        self.depth = self.elements = self.chars = 0
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity

    def _fail(self, reason: str) -> None:
        raise UnreadableFileError(self.path, f"{self.what} {reason}; overgeslagen")

    def _start(self, name, attrs) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > self.limits.max_nesting:
            self._fail(f"is te diep genest (meer dan {self.limits.max_nesting} niveaus)")
        if self.elements > self.limits.max_xml_elements:
            self._fail(f"bevat te veel onderdelen (meer dan {self.limits.max_xml_elements:,})".replace(",", "."))
        if not self.elements % 50_000:
            self.deadline.check()

    def _end(self, name) -> None:
        self.depth -= 1

    def _text(self, data) -> None:
        self.chars += len(data)
        if self.chars > self.limits.max_text_chars:
            self._fail(f"bevat te veel tekst (meer dan {self.limits.max_text_chars:,} tekens)".replace(",", "."))

    def _doctype(self, *args) -> None:
        self._fail("bevat een DTD (doctype); die wordt niet gelezen")

    def _entity(self, *args) -> None:
        self._fail("definieert XML-entiteiten; die worden niet gelezen")

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            raise UnreadableFileError(self.path, f"{self.what} is geen geldige XML") from None


def check_xml(path: Path, data: bytes, limits: ReadLimits, what: str = "het XML-bestand",
              allow_doctype: bool = False) -> None:
    """Measure an XML document before a tree is built from it."""
    meter = _XmlMeter(path, limits, Deadline(path, limits.max_seconds), what)
    if allow_doctype:
        meter.parser.StartDoctypeDeclHandler = None
    for i in range(0, len(data), _CHUNK):
        meter.feed(data[i:i + _CHUNK])
    meter.feed(b"", True)


def check_docx(path: Path, data: bytes, limits: ReadLimits) -> None:
    """Measure every XML part of a Word file, streaming, before python-docx unpacks it."""
    import io

    deadline = Deadline(path, limits.max_seconds)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFileError(path, "geen geldig Word-bestand (.docx)") from None
    with archive:
        members = archive.infolist()
        if len(members) > _MAX_ZIP_MEMBERS:
            raise UnreadableFileError(path, f"het Word-bestand bevat te veel onderdelen ({len(members)}); "
                                            "overgeslagen")
        total = sum(m.file_size for m in members)
        if total > limits.max_unpacked_bytes:
            raise UnreadableFileError(
                path, f"het Word-bestand pakt uit tot {_mb(total)} MB, maximaal {_mb(limits.max_unpacked_bytes)} "
                      "MB (een zip-bom?); overgeslagen")
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            meter = _XmlMeter(path, limits, deadline, f"het Word-bestand ({member.filename})")
            unpacked = 0
            try:
                with archive.open(member) as fh:
                    while chunk := fh.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limits.max_unpacked_bytes:
                            raise UnreadableFileError(path, "het Word-bestand pakt uit tot meer dan "
                                                            f"{_mb(limits.max_unpacked_bytes)} MB; overgeslagen")
                        meter.feed(chunk)
                        deadline.check()
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                raise UnreadableFileError(path, "geen geldig Word-bestand (.docx)") from None
            meter.feed(b"", True)
