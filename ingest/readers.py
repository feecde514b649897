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


def read_document(path: Path, max_bytes: int = 20_000_000) -> RawDocument:
    """Read ``path`` into a ``RawDocument``; raise ``UnreadableFileError`` if it cannot be used."""
    path = Path(path)
    fmt = _format_for(path)
    data = _read_bytes(path, max_bytes)
    if fmt in ("txt", "md"):
        doc = _read_plain(path, data, fmt)
    elif fmt == "pdf":
        doc = _read_pdf(path, data)
    elif fmt == "docx":
        doc = _read_docx(path, data)
    elif fmt == "xml":
        doc = _read_bwb_xml(path, data)
    else:
        doc = _read_html(path, data)
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


def _read_pdf(path: Path, data: bytes) -> RawDocument:
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

        texts = _pdf_pages(data, pages, warns)

    if not any(t.strip() for t in texts):
        raise UnreadableFileError(path, "de PDF bevat geen tekst (gescand document?); OCR wordt niet ondersteund")
    return RawDocument(path=path, text="\f".join(texts), fmt="pdf", page_count=len(pages), warnings=warns)


def _pypdf_page_text(page) -> str:
    # A form feed inside a page would break the one-"\f"-per-page-break contract.
    return _normalise_newlines(page.extract_text() or "").replace("\f", "\n")


def _pdf_pages(data: bytes, pages: list, warns: list[str]) -> list[str]:
    """Text per page with the headings marked (``# …``) from font size and weight (pdfplumber); a page for
    which pdfplumber finds no text is read with pypdf instead, one that neither can read is reported."""
    import pdfplumber

    lines: list[list[PdfLine]] = [[] for _ in pages]
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages[: len(pages)]):
                try:
                    lines[number] = _pdf_lines(page)
                except Exception:  # noqa: BLE001 - this page falls back to pypdf
                    pass
    except Exception:  # noqa: BLE001 - pdfplumber could not open what pypdf could: pypdf reads every page
        pass
    out = []
    for number, (page, text) in enumerate(zip(pages, render_pdf_lines(lines)), start=1):
        if not text.strip():
            try:
                text = _pypdf_page_text(page)
            except Exception:  # noqa: BLE001
                text = ""
                warns.append(f"pagina {number} van de PDF kon niet worden gelezen en is overgeslagen")
        out.append(text.replace("\f", "\n"))
    return out


@dataclass
class PdfLine:
    """One text line of a PDF page with the font it is mostly set in."""

    text: str
    top: float
    bottom: float
    size: float
    bold: bool


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


def _pdf_lines(page) -> list[PdfLine]:
    out = []
    for line in page.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in line.get("chars", []) if str(c.get("text", "")).strip()]
        text = _WS_RE.sub(" ", line.get("text", "")).strip()
        if not chars or not text:
            continue
        sizes: dict[float, int] = {}
        for c in chars:
            size = round(float(c.get("size", 0)) * 2) / 2
            sizes[size] = sizes.get(size, 0) + 1
        bold = sum(1 for c in chars if _BOLD_FONT.search(str(c.get("fontname", "")))) >= 0.8 * len(chars)
        out.append(PdfLine(text, float(line["top"]), float(line["bottom"]), max(sizes, key=sizes.get), bold))
    return out


_HEADING_SIZE_RATIO = 1.15
_MAX_HEADING_WORDS = 30
_MAX_BOLD_HEADING_WORDS = 14
_PARAGRAPH_GAP = 1.2  # a line pitch this many times the usual one starts a new paragraph


def _is_heading(line: PdfLine, body: float, bold_headings: bool) -> bool:
    words = len(line.text.split())
    if not re.search(r"[^\W\d_]{2}", line.text):
        return False  # page numbers, dates in a footer
    if line.size >= body * _HEADING_SIZE_RATIO:
        return words <= _MAX_HEADING_WORDS
    return (bold_headings and line.bold and line.size >= body - 0.5 and words <= _MAX_BOLD_HEADING_WORDS
            and line.text[-1] not in ".;,:")


def render_pdf_lines(pages: list[list[PdfLine]]) -> list[str]:
    """Page texts with headings as ``#`` lines, levels by font (largest first, bold before regular at one
    size), a heading wrapped over lines joined into one, and a blank line where a paragraph gap is."""
    all_lines = [ln for page in pages for ln in page]
    weight: dict[float, int] = {}
    for ln in all_lines:
        weight[ln.size] = weight.get(ln.size, 0) + len(ln.text)
    if not weight:
        return ["" for _ in pages]
    body = max(weight, key=weight.get)
    bold_share = sum(len(ln.text) for ln in all_lines if ln.bold) / max(1, sum(len(ln.text) for ln in all_lines))
    bold_headings = bold_share < 0.5
    styles = sorted({(ln.size, ln.bold) for ln in all_lines if _is_heading(ln, body, bold_headings)},
                    key=lambda s: (-s[0], not s[1]))
    level = {style: min(6, i + 1) for i, style in enumerate(styles)}
    pitches = sorted(b.top - a.top for page in pages for a, b in zip(page, page[1:])
                     if a.size == body and b.size == body and b.top > a.top)
    # The usual pitch inside a paragraph: a low percentile, as paragraph gaps only make pitches larger.
    pitch = pitches[len(pitches) // 7] if pitches else 0.0
    out = []
    for page in pages:
        rendered: list[str] = []
        prev: PdfLine | None = None
        for ln in page:
            style = (ln.size, ln.bold)
            heading = _is_heading(ln, body, bold_headings)
            if heading and prev is not None and rendered and rendered[-1].startswith("#") and \
                    (prev.size, prev.bold) == style and ln.top - prev.bottom <= ln.bottom - ln.top:
                joined = rendered[-1][:-1] if rendered[-1].endswith("-") else rendered[-1] + " "
                rendered[-1] = joined + ln.text
            elif heading:
                rendered.append("#" * level[style] + " " + ln.text)
            else:
                gap = prev is not None and pitch and ln.top - prev.top > _PARAGRAPH_GAP * pitch
                if gap and rendered and rendered[-1] != "":
                    rendered.append("")
                rendered.append(ln.text)
            prev = ln
        out.append("\n".join(rendered))
    return out


# --- docx -----------------------------------------------------------------------------------------

_HEADING_STYLE_RE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE_PREFIXES = ("list", "lijst")


class DocxNumbering:
    """The numbers Word shows before numbered paragraphs ("1.1", "a.", "3)"), which are not in their text:
    counted per list in document order from ``numbering.xml`` (level formats, start values, level texts)."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.abstract: dict[str, str] = {}  # numId -> abstractNumId
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractNumId, ilvl) -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part: nothing is numbered
            return
        for abstract in root.iter(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.iter(qn("w:lvl")):
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                start = self._val(lvl, "w:start")
                self.levels[(aid, int(lvl.get(qn("w:ilvl")) or 0))] = (
                    fmt, self._val(lvl, "w:lvlText") or "", int(start) if start and start.isdigit() else 1)
        for num in root.iter(qn("w:num")):
            self.abstract[num.get(qn("w:numId"))] = self._val(num, "w:abstractNumId") or ""

    def _val(self, el, tag: str) -> str | None:
        child = el.find(self._qn(tag))
        return child.get(self._qn("w:val")) if child is not None else None

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id, ilvl = None, None
        for p_pr in sources:
            num_pr = p_pr.numPr if p_pr is not None else None
            if num_pr is None:
                continue
            if num_id is None and num_pr.numId is not None:
                num_id = str(num_pr.numId.val)
            if ilvl is None and num_pr.ilvl is not None:
                ilvl = int(num_pr.ilvl.val)
        return (num_id, ilvl or 0) if num_id not in (None, "0") else None

    def marker(self, paragraph) -> str | None:
        """The paragraph's number as Word shows it ("1.1", "b."), ``-`` for a bullet, None when not numbered."""
        try:
            found = self._num_pr(paragraph)
        except Exception:  # noqa: BLE001 - broken style references in odd documents
            return None
        if found is None:
            return None
        aid = self.abstract.get(found[0], "")
        ilvl = found[1]
        fmt, text, start = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none"):
            return "-"
        counters = self.counters.setdefault(aid, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [d for d in counters if d > ilvl]:
            del counters[deeper]

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = self.levels.get((aid, level), ("decimal", "", 1))
            return _format_number(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", number, text).strip() or None


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = _alpha(n)
    elif fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n)
    else:
        text = str(n)
    return text.upper() if fmt.startswith("upper") else text


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


def _read_docx(path: Path, data: bytes) -> RawDocument:
    """Body paragraphs and tables of a Word document in document order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = DocxNumbering(document)
        blocks: list[str] = []
        for item in document.iter_inner_content():
            block = _docx_table_block(item) if isinstance(item, Table) else _docx_paragraph_line(item, numbering)
            if block:
                blocks.append(block)
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

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []
        self._prefix = ""

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
                self._tag(child)

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


def _alpha(n: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += digits
            n -= value
    return out


def ordered_marker(n: int, kind: str) -> str:
    """How a list numbers its n-th item: ``1`` → ``3.``, ``a`` → ``c.``, ``A`` → ``C.``, ``i`` → ``iii.``."""
    if kind in ("a", "A"):
        text = _alpha(n)
    elif kind in ("i", "I"):
        text = _roman(n)
    else:
        text = str(n)
    return (text.upper() if kind in ("A", "I") else text) + "."


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


def _read_html(path: Path, data: bytes) -> RawDocument:
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
        collector = _HtmlText()
        collector.walk(soup)
        collector.flush()
    except Exception:
        raise UnreadableFileError(path, "geen geldig HTML-bestand") from None
    return RawDocument(path=path, text="\n\n".join(collector.blocks), fmt="html", warnings=warns)


# --- xml (BWB "toestand" of wetten.overheid.nl) -----------------------------------------------------

# Apparatus, never legal text: amendment history, references, version bookkeeping.
BWB_SKIP = frozenset({"meta-data", "jcis", "jci", "brondata", "redactionele-correcties", "bwb-inputbestand",
                      "bwb-wijzigingen", "kop", "lidnr", "li.nr"})
_BWB_DIVISIONS = {"boek": "Boek", "deel": "Deel", "titeldeel": "Titel", "hoofdstuk": "Hoofdstuk",
                  "afdeling": "Afdeling", "paragraaf": "§", "sub-paragraaf": "Subparagraaf", "artikel": "Artikel",
                  "bijlage": "Bijlage", "circulaire.divisie": "", "divisie": ""}
_BWB_INLINE = frozenset({"nadruk", "extref", "intref", "sup", "sub", "inf", "unl", "br", "omissie", "nootref",
                         "label", "nr", "titel"})


def _tag(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def bwb_text(el) -> str:
    """The legal text of an element, its apparatus left out, whitespace normalised."""
    parts = [el.text or ""]
    for child in el:
        if _tag(child) not in BWB_SKIP:
            parts.append(bwb_text(child))
        parts.append(child.tail or "")
    return _WS_RE.sub(" ", "".join(parts)).strip()


def _bwb_heading(el) -> str:
    """``Hoofdstuk IVA. Bijzondere bevoegdheden van de ondernemingsraad``, ``Artikel 25``, ``§ 1.1. Begrippen``."""
    kop = next((c for c in el if _tag(c) == "kop"), None)
    if kop is None:
        return ""
    fields = {_tag(c): bwb_text(c) for c in kop}
    label = fields.get("label") or _BWB_DIVISIONS.get(_tag(el), "")
    nr = fields.get("nr", "").rstrip(".")
    head = " ".join(p for p in (label, nr) if p)
    title = fields.get("titel", "")
    if not fields:
        return bwb_text(kop)
    return f"{head}. {title}" if head and title else head or title


class _BwbText:
    """Collects the blocks of a BWB toestand in document order as markdown-like text: headings for the
    divisions and articles, ``1. …`` for a member, ``a. …`` for an item, one block per ``al``."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._prefix = ""
        self._depth = 1

    def emit(self, text: str) -> None:
        if text:
            self.blocks.append(self._prefix + text)
            self._prefix = ""

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag in BWB_SKIP or tag == "citeertitel":
            return
        if tag in _BWB_DIVISIONS:
            heading = _bwb_heading(el)
            if heading:
                self.blocks.append("#" * min(6, self._depth + 1) + " " + heading)
            self._depth += 1
            self._children(el)
            self._depth -= 1
        elif tag == "lid":
            nr = next((bwb_text(c).rstrip(".") for c in el if _tag(c) == "lidnr"), "")
            self._prefix = f"{nr}. " if nr else ""
            self._children(el)
        elif tag == "li":
            nr = next((bwb_text(c) for c in el if _tag(c) == "li.nr"), "")
            self._prefix = f"{nr} " if nr else "- "
            self._children(el)
        elif tag == "table":
            rows = ["\t".join(bwb_text(e) for e in row if _tag(e) == "entry") for row in el.iter() if _tag(row) == "row"]
            self.emit("\n".join(r for r in rows if r.strip()))
        elif any(_tag(c) not in _BWB_INLINE and _tag(c) not in BWB_SKIP for c in el):
            self.emit(_WS_RE.sub(" ", el.text or "").strip())
            self._children(el)
        else:
            self.emit(bwb_text(el))

    def _children(self, el) -> None:
        for child in el:
            self.walk(child)
            tail = _WS_RE.sub(" ", child.tail or "").strip()
            if tail:
                self.emit(tail)


def _read_bwb_xml(path: Path, data: bytes) -> RawDocument:
    """A law as published by wetten.overheid.nl (BWB "toestand" XML): its citation title, version date and
    text, apparatus (amendment history, references) left out."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise UnreadableFileError(path, "geen geldig XML-bestand") from None
    if _tag(root) not in ("toestand", "wetgeving"):
        raise UnreadableFileError(path, "XML wordt alleen gelezen als wettekst van wetten.overheid.nl "
                                        "(BWB-toestand); dit bestand is dat niet")
    title = next((bwb_text(el) for el in root.iter() if _tag(el) == "citeertitel"), "")
    date = root.get("inwerkingtreding") or ""
    collector = _BwbText()
    if title:
        collector.blocks.append("# " + title)
    collector.walk(root)
    date = date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else ""
    return RawDocument(path=path, text="\n\n".join(collector.blocks), fmt="xml", title=title, date=date)
