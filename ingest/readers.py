"""Read source files (txt, md, pdf, docx, html) into raw text for the cleaning stage.

Every failure a user can cause (wrong type, empty, too big, corrupt, encrypted, scanned) is raised as
``UnreadableFileError`` with a Dutch reason, so the ingest can skip the file and report why.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ingest.list_numbers import DocxNumbering, ordered_marker

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm", ".xml"})

_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xml": "xml",
}
_SUPPORTED_LIST = ".txt, .md, .pdf, .docx, .html, .xml (wetten.overheid.nl)"

_CP1252_WARNING = "geen geldige UTF-8; gelezen als Windows-1252"
_WS_RE = re.compile(r"\s+")


@dataclass
class RawDocument:
    """Text of one source file, before cleaning."""

    path: Path
    text: str  # whole text; for PDFs the pages are separated by "\f", one per page break
    fmt: str  # "txt" | "md" | "pdf" | "docx" | "html" | "xml"
    page_count: int | None = None  # PDFs only
    warnings: list[str] = field(default_factory=list)  # Dutch, user-facing
    title: str = ""  # a title the file itself states apart from its text (the citeertitel of a BWB XML file)
    date: str = ""  # likewise a date (ISO), e.g. the version date of a BWB XML file


class UnreadableFileError(Exception):
    """Raised with a Dutch, user-facing reason; the file is skipped, the ingest goes on."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")

    def __reduce__(self):
        # Keep the exception picklable (e.g. across a process pool) despite the two-argument __init__.
        return (self.__class__, (self.path, self.reason))


def read_document(path: Path, max_bytes: int = 20_000_000, limits=None) -> RawDocument:
    """Read ``path`` into a ``RawDocument``; raise ``UnreadableFileError`` if it cannot be used. ``limits``
    (``ingest.read_limits.ReadLimits``) bound what reading may unpack, nest and cost in time."""
    from ingest.read_limits import Deadline, ReadLimits

    path = Path(path)
    limits = limits or ReadLimits()
    fmt = _format_for(path)
    data = _read_bytes(path, max_bytes)
    deadline = Deadline(path, limits.max_seconds)
    if fmt in ("txt", "md"):
        doc = _read_plain(path, data, fmt)
    elif fmt == "pdf":
        doc = _read_pdf(path, data, deadline)
    elif fmt == "docx":
        doc = _read_docx(path, data, limits, deadline)
    elif fmt == "xml":
        doc = _read_bwb_xml(path, data, limits)
    else:
        doc = _read_html(path, data, limits, deadline)
    if len(doc.text) > limits.max_text_chars:
        raise UnreadableFileError(path, f"het bestand bevat te veel tekst ({len(doc.text):,} tekens, maximaal "
                                        f"{limits.max_text_chars:,}); overgeslagen".replace(",", "."))
    if not doc.text.strip():
        raise UnreadableFileError(path, "het bestand is leeg")
    return doc


# --- shared helpers -------------------------------------------------------------------------------


def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _FORMATS:
        return _FORMATS[suffix]
    what = f"bestandstype {suffix}" if suffix else "een bestand zonder extensie"
    raise UnreadableFileError(path, f"{what} wordt niet ondersteund (wel: {_SUPPORTED_LIST})")


def _format_mb(n_bytes: int, *, drop_zero_decimal: bool = False) -> str:
    """Decimal megabytes, Dutch notation: 52_428_800 -> "52,4"; small limits keep their digits."""
    mb = n_bytes / 1_000_000
    text = f"{mb:.1f}" if mb >= 0.1 or mb == 0 else f"{mb:.2g}"
    if drop_zero_decimal and text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Check existence, emptiness and size before reading; never read more than ``max_bytes + 1``."""
    try:
        if not path.is_file():
            reason = "is een map, geen bestand" if path.is_dir() else "bestand niet gevonden"
            raise UnreadableFileError(path, reason)
        size = path.stat().st_size
        if size == 0:
            raise UnreadableFileError(path, "het bestand is leeg")
        if size <= max_bytes:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
            size = len(data)
    except PermissionError:
        raise UnreadableFileError(path, "geen toestemming om het bestand te lezen") from None
    except OSError:
        raise UnreadableFileError(path, "het bestand kan niet worden gelezen") from None
    if size > max_bytes:
        raise UnreadableFileError(
            path,
            f"te groot: {_format_mb(size)} MB, maximaal {_format_mb(max_bytes, drop_zero_decimal=True)} MB",
        )
    if not data:
        raise UnreadableFileError(path, "het bestand is leeg")
    return data


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unicode_bom_codec(data: bytes) -> str | None:
    """Codec for a UTF-16/32 byte-order mark (these files legitimately contain NUL bytes)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _decode_text(path: Path, data: bytes, warns: list[str], declared: str | None = None) -> str:
    """Decode bytes: BOM, then a declared charset, then UTF-8, then Windows-1252 (with a warning)."""
    bom_codec = _unicode_bom_codec(data)
    if bom_codec:
        try:
            return data.decode(bom_codec)
        except UnicodeDecodeError:
            raise UnreadableFileError(path, f"ongeldige {bom_codec.upper()}-tekst") from None
    if b"\x00" in data:
        raise UnreadableFileError(path, "lijkt een binair bestand, geen tekst")
    if data.startswith(codecs.BOM_UTF8):
        declared = None  # a BOM overrides any declaration
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            warns.append(f"tekenset {declared} in het bestand klopt niet met de inhoud")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    warns.append(_CP1252_WARNING)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # A few bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are undefined in Windows-1252.
        return data.decode("cp1252", errors="replace")


# --- txt / md -------------------------------------------------------------------------------------


def _read_plain(path: Path, data: bytes, fmt: str) -> RawDocument:
    """Plain text or markdown, layout kept as is apart from newline normalisation."""
    warns: list[str] = []
    text = _normalise_newlines(_decode_text(path, data, warns))
    return RawDocument(path=path, text=text, fmt=fmt, warnings=warns)


# --- pdf ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's logging and Python warnings while it parses a file."""
    logger = logging.getLogger("pypdf")
    old_level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(old_level)


def _read_pdf(path: Path, data: bytes, deadline) -> RawDocument:
    """Text per page with pypdf, pages joined by form feeds."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:
        raise UnreadableFileError(path, "geen geldig PDF-bestand")
    warns: list[str] = []
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise UnreadableFileError(path, "PDF is beveiligd met een wachtwoord")
            pages = list(reader.pages)
            if not pages:
                raise UnreadableFileError(path, "geen geldig PDF-bestand (geen pagina's gevonden)")
        except UnreadableFileError:
            raise
        except DependencyError:
            raise UnreadableFileError(
                path, "PDF is versleuteld (AES); hiervoor is het Python-pakket 'cryptography' nodig"
            ) from None
        except Exception:
            raise UnreadableFileError(path, "geen geldig PDF-bestand (beschadigd of onvolledig)") from None

        texts = _pdf_pages(data, pages, warns, deadline)

    if not any(t.strip() for t in texts):
        raise UnreadableFileError(path, "de PDF bevat geen tekst (gescand document?); OCR wordt niet ondersteund")
    return RawDocument(path=path, text="\f".join(texts), fmt="pdf", page_count=len(pages), warnings=warns)


def _pypdf_page_text(page) -> str:
    # A form feed inside a page would break the one-"\f"-per-page-break contract.
    return _normalise_newlines(page.extract_text() or "").replace("\f", "\n")


def _pdf_pages(data: bytes, pages: list, warns: list[str], deadline) -> list[str]:
    """Text per page with the headings marked (``# …``) from font size and weight (pdfplumber); a page for
    which pdfplumber finds no text is read with pypdf instead, one that neither can read is reported."""
    import pdfplumber

    from ingest.pdf_layout import PdfLine, page_lines, render_pdf_lines

    lines: list[list[PdfLine]] = [[] for _ in pages]
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages[: len(pages)]):
                deadline.check()
                try:
                    lines[number] = page_lines(page)
                except Exception:  # noqa: BLE001 - this page falls back to pypdf
                    pass
    except UnreadableFileError:
        raise
    except Exception:  # noqa: BLE001 - pdfplumber could not open what pypdf could: pypdf reads every page
        pass
    out = []
    for number, (page, text) in enumerate(zip(pages, render_pdf_lines(lines)), start=1):
        if not text.strip():
            deadline.check()
            try:
                text = _pypdf_page_text(page)
            except Exception:  # noqa: BLE001
                text = ""
                warns.append(f"pagina {number} van de PDF kon niet worden gelezen en is overgeslagen")
        out.append(text.replace("\f", "\n"))
    return out


# --- docx -----------------------------------------------------------------------------------------

_HEADING_STYLE_RE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE_PREFIXES = ("list", "lijst")


def _docx_paragraph_line(paragraph, numbering: DocxNumbering | None = None) -> str:
    """Markdown-like line for a Word paragraph: heading, list item or plain text ("" if empty); the number
    Word shows before a numbered heading or list item is written out ("## 1.1 Opzet", "a. een regeling")."""
    text = paragraph.text
    if not text.strip():
        return ""
    try:
        style_name = (paragraph.style.name or "").strip() if paragraph.style is not None else ""
    except Exception:  # broken style references in odd documents
        style_name = ""
    flat = _WS_RE.sub(" ", text).strip()
    marker = numbering.marker(paragraph) if numbering is not None else None
    numbered = f"{marker} {flat}" if marker and marker != "-" else flat
    heading = _HEADING_STYLE_RE.match(style_name)
    if heading:
        level = min(max(int(heading.group(1)), 1), 6)
        return "#" * level + " " + numbered
    if style_name.lower() in _TITLE_STYLES:
        return "# " + numbered
    p_pr = paragraph._p.pPr
    is_numbered = p_pr is not None and p_pr.numPr is not None
    if marker and marker != "-":
        return numbered
    if style_name.lower().startswith(_LIST_STYLE_PREFIXES) or is_numbered or marker:
        return "- " + flat
    return _normalise_newlines(text).strip()


def _docx_table_block(table) -> str:
    """One line per row, cells joined by tabs; horizontally merged cells appear once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue  # python-docx repeats a merged cell for each grid column it spans
            previous = cell._tc
            cells.append(_WS_RE.sub(" ", cell.text).strip())
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _read_docx(path: Path, data: bytes, limits, deadline) -> RawDocument:
    """Body paragraphs and tables of a Word document in document order (measured first: see read_limits)."""
    import docx
    from docx.table import Table

    from ingest.read_limits import check_docx

    check_docx(path, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = DocxNumbering(document)
        blocks: list[str] = []
        for n, item in enumerate(document.iter_inner_content()):
            if not n % 1000:
                deadline.check()
            block = _docx_table_block(item) if isinstance(item, Table) else _docx_paragraph_line(item, numbering)
            if block:
                blocks.append(block)
    except UnreadableFileError:
        raise
    except Exception:
        raise UnreadableFileError(path, "geen geldig Word-bestand (.docx)") from None
    return RawDocument(path=path, text="\n\n".join(blocks), fmt="docx")


# --- html -----------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "title", "svg")
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure form hr html li main ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_STRUCTURE_TAGS = ["p", "ul", "ol", "table", "blockquote", "pre", *_HEADING_TAGS]


def _html_declared_charset(data: bytes) -> str | None:
    """Charset from a <meta> tag near the start, mapped the way browsers do."""
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # WHATWG: these labels mean windows-1252
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a meta tag readable as ASCII cannot really be UTF-16
    return name


class _HtmlText:
    """Collects markdown-like blocks from a parsed HTML tree in document order."""

    def __init__(self, max_depth: int = 200, deadline=None) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []
        self._prefix = ""
        self._depth = 0
        self._max_depth = max_depth
        self._deadline = deadline
        self._seen = 0

    def _add(self, text: str) -> None:
        if text:
            self.blocks.append(self._prefix + text)
            self._prefix = ""

    def flush(self) -> None:
        text = _WS_RE.sub(" ", "".join(self._inline)).strip()
        self._inline.clear()
        self._add(text)

    def walk(self, node) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA, ...
                    self._inline.append(str(child))
            elif isinstance(child, Tag):
                self._seen += 1
                if self._deadline is not None and not self._seen % 5000:
                    self._deadline.check()
                if self._depth >= self._max_depth:  # deeper markup is read as plain text, without recursion
                    self._inline.append(child.get_text(" "))
                    continue
                self._depth += 1
                try:
                    self._tag(child)
                finally:
                    self._depth -= 1

    def _tag(self, tag) -> None:
        name = tag.name
        if name in _HEADING_TAGS:
            self.flush()
            self._prefix = ""
            self._add(_html_heading(tag, _HEADING_TAGS[name]))
        elif name == "pre":
            self.flush()
            self._add(_normalise_newlines(tag.get_text()).strip("\n").rstrip())
        elif name == "table" and not tag.find(_STRUCTURE_TAGS):
            self.flush()
            self._add(_html_table_block(tag))
        elif name == "li":
            self.flush()
            self._prefix = _list_marker(tag)
            self.walk(tag)
            self.flush()
            self._prefix = ""
        elif name in _BLOCK_TAGS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def _int_attr(tag, name: str) -> int | None:
    try:
        return int(str(tag.get(name)).strip())
    except (TypeError, ValueError):
        return None


def _list_marker(li) -> str:
    """The marker an item is shown with: ``- `` in a bullet list, its number (``3. ``, ``c. ``) in an ``<ol>``
    (with its ``start``, ``type``, ``reversed`` and an item's ``value``), so that "lid 3" and "onder c" stay in the
    text. Text that already starts with its number ("a. …") keeps it as it is."""
    parent = li.parent
    if parent is None or parent.name != "ol":
        return "- "
    kind = (parent.get("type") or "1").strip() or "1"
    items = [c for c in parent.find_all("li", recursive=False)]
    reverse = parent.has_attr("reversed")
    n = _int_attr(parent, "start") or (len(items) if reverse else 1)
    for item in items:
        value = _int_attr(item, "value")
        if value is not None:
            n = value
        if item is li:
            break
        n += -1 if reverse else 1
    marker = ordered_marker(n, kind)
    own = _WS_RE.sub(" ", li.get_text(" ")).strip()
    return "" if own.lower().startswith(marker.lower()) else marker + " "


def _html_heading(tag, level: int) -> str:
    text = _WS_RE.sub(" ", tag.get_text()).strip()
    return "#" * level + " " + text if text else ""


def _html_table_block(table) -> str:
    """A data table: one line per row (its own rows only), cells joined by tabs; caption first."""
    lines: list[str] = []
    caption = table.find("caption")
    if caption is not None:
        caption_text = _WS_RE.sub(" ", caption.get_text()).strip()
        if caption_text:
            lines.append(caption_text)
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = [_WS_RE.sub(" ", c.get_text()).strip() for c in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _keep_html_header(tag) -> bool:
    """An article's own <header> usually holds its title; only page-level headers are chrome."""
    return tag.name == "header" and tag.find_parent(["article", "main", "section"]) is not None


def _read_html(path: Path, data: bytes, limits, deadline) -> RawDocument:
    """Visible block text of an HTML page as markdown-like blocks."""
    from bs4 import BeautifulSoup

    warns: list[str] = []
    markup = _decode_text(path, data, warns, declared=_html_declared_charset(data))
    try:
        soup = BeautifulSoup(markup, "html.parser")
        for tag in soup.find_all(_DROP_TAGS):
            if not tag.decomposed and not _keep_html_header(tag):
                tag.decompose()
        for br in soup.find_all("br"):
            br.replace_with("\n")
        collector = _HtmlText(limits.max_nesting, deadline)
        collector.walk(soup)
        collector.flush()
    except UnreadableFileError:
        raise
    except Exception:
        raise UnreadableFileError(path, "geen geldig HTML-bestand") from None
    return RawDocument(path=path, text="\n\n".join(collector.blocks), fmt="html", warnings=warns)


# --- xml (BWB "toestand" of wetten.overheid.nl) -----------------------------------------------------


def _read_bwb_xml(path: Path, data: bytes, limits) -> RawDocument:
    """A law as published by wetten.overheid.nl (BWB "toestand" XML): its citation title, version date and
    text, apparatus (amendment history, references) left out."""
    import xml.etree.ElementTree as ET

    from ingest.bwb import bwb_document, is_bwb
    from ingest.read_limits import check_xml

    check_xml(path, data, limits, allow_doctype=True)  # a doctype without entities is harmless
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise UnreadableFileError(path, "geen geldig XML-bestand") from None
    if not is_bwb(root):
        raise UnreadableFileError(path, "XML wordt alleen gelezen als wettekst van wetten.overheid.nl "
                                        "(BWB-toestand); dit bestand is dat niet")
    text, title, date = bwb_document(root)
    return RawDocument(path=path, text=text, fmt="xml", title=title, date=date)
