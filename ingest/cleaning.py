"""Turn extracted text (PDF-to-text or markdown artefacts included) into clean blocks.

Everything here is a pure function of the text. ``clean_document`` returns the blocks (paragraphs,
headings, list items, tables, footnotes) plus every line it dropped with the reason, so that tests can
prove that no text vanished silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nl.footnotes import SUPERSCRIPT_DIGITS  # noqa: F401 - re-exported for the parsers
from nl.footnotes import cites as cites_footnote  # noqa: F401
from nl.footnotes import marker as footnote_marker
from nl.questions import re_wh_word
from nl.resources import table, word_list

_STRUCTURE = table("structure")

BULLET_GLYPHS = "\uf0b7\uf02d\u2212\u2022\u25aa\u25cf\u25e6\uf0a7\uf076\uf0d8\u2023\u2043"
TERMINAL = ".?!:;"
_DIGRAPH_CLASH = frozenset(table("orthography")["digraph_clash"])
_KEEP_HYPHEN_PREFIXES = frozenset(table("orthography")["hyphen_prefixes"])
_ELLIPSIS_WORDS = frozenset(table("orthography")["ellipsis_words"])

_RE_PAGE_NUMBER = re.compile(r"^\s*(\d{1,3}|(" + "|".join(_STRUCTURE["page_words"]) + r") \d+( (van|of) \d+)?)\s*$",
                             re.I)
_RE_URL_ONLY = re.compile(r"^\s*<?(https?://|www\.)\S+>?\s*$", re.I)
_RE_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RE_MD_FOOTNOTE = re.compile(r"^\s*<sup>(\d{1,3})</sup>\s*(.*)$")
_RE_TXT_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_RE_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([(\"'‘“A-ZÀ-Ý].*)$")
_RE_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+\S")
_RE_LETTERED_ITEM = re.compile(r"^\s*(?:(?P<letter>[a-z]{1,2})[.)]|\d{1,2}°\.?)\s+\S")
# Where a list item may end and the next begin: after ";", ":", "." or a closing "en" / "of".
_RE_ITEM_END = re.compile(r"(?:[;:.]|\b(?:en|of|en/of))\s*$")
_RE_TOC_TITLE = re.compile(r"^\s*#*\s*(<b>|\*\*)?\s*(" + "|".join(_STRUCTURE["toc_titles"]) + r")\s*(</b>|\*\*)?\s*$",
                           re.I)
_RE_TOC_ENTRY = re.compile(r"(\t|\.{3,}|\s{2,})\s*(<b>|\*\*)?\d{1,3}(</b>|\*\*)?\s*$")


@dataclass
class Line:
    text: str
    number: int
    page: int | None = None


@dataclass
class Block:
    """A paragraph-level piece of cleaned text with where it came from."""

    kind: str  # "heading" | "para" | "list" | "table" | "footnote"
    text: str
    line: int
    page: int | None = None
    level: int = 0
    number: str | None = None
    last_line_long: bool = False
    after_artefact: bool = False
    end_page: int | None = None  # the page it ends on, when a page break fell inside it


@dataclass
class Dropped:
    line: int
    text: str
    reason: str  # "toc" | "page_number" | "page_break" | "url_only" | "separator"


@dataclass
class CleanResult:
    blocks: list[Block]
    dropped: list[Dropped] = field(default_factory=list)
    double_spaced: bool = False


# ---------------------------------------------------------------------------------------------- lines


def split_lines(text: str, paged: bool = False) -> list[Line]:
    """Split into lines, numbering them from 1 and tracking PDF pages separated by form feeds (``paged``:
    always, even for a single page)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u00ad", "")
    has_pages = paged or "\f" in text
    lines: list[Line] = []
    page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        while "\f" in raw:
            before, raw = raw.split("\f", 1)
            if before.strip():
                lines.append(Line(before, number, page if has_pages else None))
            lines.append(Line("\f", number, page if has_pages else None))
            page += 1
        lines.append(Line(raw.rstrip("\n"), number, page if has_pages else None))
    return lines


def is_double_spaced(lines: list[Line]) -> bool:
    """True when nearly every text line is followed by an empty line (and real breaks hold a space)."""
    texts = [ln.text for ln in lines]
    nonempty = [i for i, t in enumerate(texts) if t.strip()]
    if len(nonempty) < 20:
        return False
    followed = sum(1 for i in nonempty if i + 1 < len(texts) and texts[i + 1] == "")
    return followed / len(nonempty) >= 0.85


def undo_double_spacing(lines: list[Line]) -> list[Line]:
    """Drop the empty line after every text line; a line holding only spaces becomes the paragraph break."""
    out: list[Line] = []
    for ln in lines:
        if ln.text == "":
            continue
        if not ln.text.strip() and len(ln.text) < 10:
            out.append(Line("", ln.number, ln.page))
        else:
            out.append(ln)
    return out


def drop_table_of_contents(lines: list[Line]) -> tuple[list[Line], list[Dropped]]:
    """Remove a table of contents: its title and the entries that end in a page number."""
    out: list[Line] = []
    dropped: list[Dropped] = []
    i = 0
    while i < len(lines):
        if _RE_TOC_TITLE.match(lines[i].text):
            j = i + 1
            entries = 0
            while j < len(lines) and (not lines[j].text.strip() or _RE_TOC_ENTRY.search(lines[j].text)):
                entries += bool(lines[j].text.strip())
                j += 1
            if entries >= 3:
                dropped.extend(Dropped(ln.number, ln.text, "toc") for ln in lines[i:j] if ln.text.strip())
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out, dropped


# ------------------------------------------------------------------------------------- inline markup


def strip_markup(text: str) -> str:
    """Plain text from inline HTML/markdown markup; ``<sup>N</sup>`` footnote markers become ``ᴺ``."""
    text = re.sub(r"<sup>\s*(\d{1,3})\s*</sup>", lambda m: " " + footnote_marker(m.group(1)), text)
    text = re.sub(r"</?(b|strong|i|em|u|sup|sub|span|br)\s*/?>", "", text, flags=re.I)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)", r"\1", text)
    text = re.sub(r"<((?:https?://|mailto:)[^>\s]+)>", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"__(.+?)__", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = text.replace("\\_", "_").replace("\\*", "*").replace("\\#", "#").replace("\\", "")
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip()


def bullet_text(line: str) -> str | None:
    """The item text when ``line`` starts with a bullet glyph (private-use, U+2212, •), else None."""
    s = line.strip()
    if s and s[0] in BULLET_GLYPHS:
        return s[1:].strip()
    return None


# ------------------------------------------------------------------------------------ de-hyphenation


def _last_segment(word: str) -> str:
    return word.rsplit("-", 1)[-1]


def keep_hyphen(left: str, right: str, vocabulary: set[str] | None = None) -> bool:
    """Whether a hyphen at a line break belongs to the word (``AI-verordening``) or only to the break."""
    vocabulary = vocabulary or set()
    joined_hyphen = f"{left}-{right}".lower()
    joined = f"{left}{right}".lower()
    if joined_hyphen in vocabulary:
        return True
    if joined in vocabulary:
        return False
    seg = _last_segment(left)
    if not seg or not right:
        return True
    if right[0].isupper() or any(c.isupper() or c.isdigit() for c in seg) or len(seg) == 1:
        return True
    if seg.lower() in _KEEP_HYPHEN_PREFIXES:
        return True
    return (seg[-1] + right[0]).lower() in _DIGRAPH_CLASH


def join_broken(left_text: str, right_text: str, vocabulary: set[str] | None = None) -> str:
    """Join two pieces of a line-broken paragraph, re-joining a word hyphenated at the break."""
    a = left_text.rstrip()
    b = right_text.lstrip()
    if not a:
        return b
    if not b:
        return a
    m = re.search(r"([\w-]*\w)-$", a)
    if m and b[0].isalpha():
        right_word = re.match(r"[\w-]+", b).group(0)
        if right_word.lower() in _ELLIPSIS_WORDS:
            return f"{a} {b}"
        if keep_hyphen(m.group(1), right_word.split("-")[0], vocabulary):
            return a + b
        return a[:-1] + b
    return f"{a} {b}"


def hyphen_vocabulary(text: str) -> set[str]:
    """Words of the text as they occur inside lines, to decide line-break hyphens by the text itself."""
    vocab: set[str] = set()
    for line in text.split("\n"):
        for w in re.findall(r"\w+(?:-\w+)*", line[:-1] if line.rstrip().endswith("-") else line):
            vocab.add(w.lower())
            if "-" in w:
                parts = w.lower().split("-")
                for i in range(len(parts) - 1):
                    vocab.add(f"{parts[i]}-{parts[i + 1]}")
    return vocab


def word_part_counts(text: str) -> dict[str, int]:
    """How often each word occurs on its own or as a part of a hyphenated compound."""
    counts: dict[str, int] = {}
    for token in re.findall(r"\w+(?:-\w+)*", text.lower()):
        for part in token.split("-"):
            counts[part] = counts.get(part, 0) + 1
        if "-" in token:
            counts[token] = counts.get(token, 0) + 1
    return counts


_RE_INLINE_HYPHEN = re.compile(r"(?<![a-zà-ÿ])([a-zà-ÿ]{2,})-([a-zà-ÿ]{2,})(?![\w])")


def repair_inline_hyphens(blocks: list[Block], counts: dict[str, int]) -> list[Block]:
    """Join words split by a hyphen inside a line (``regelge-ving``) when the text itself uses the joined
    word more often than the hyphenated form; real compounds (``sociaal-economische``) keep their hyphen."""
    def repl(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        joined = (left + right).lower()
        if counts.get(joined, 0) >= max(1, counts.get(f"{left}-{right}".lower(), 0)) and \
                not keep_hyphen(left, right):
            return left + right
        return m.group(0)

    for b in blocks:
        if b.kind in ("para", "list", "heading", "footnote"):
            b.text = _RE_INLINE_HYPHEN.sub(repl, b.text)
    return blocks


# ----------------------------------------------------------------------------------- line -> blocks


def _typical_width(lines: list[Line]) -> int:
    lengths = sorted(len(ln.text.strip()) for ln in lines if len(ln.text.strip()) > 15)
    if not lengths:
        return 80
    return max(40, int(lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]))


def numbered_heading(line: str) -> tuple[str, str] | None:
    """``("4.2", "Title")`` when a line starts like a numbered heading, else None."""
    m = _RE_NUMBERED.match(line)
    if not m:
        return None
    number, title = m.group(1), m.group(2).strip()
    if len(title) > 200 or re.match(r"^\d", title):
        return None
    return number, title


_RE_QUESTION_LINE = re.compile(r"^\s*(" + "|".join(w.capitalize() for w in _STRUCTURE["question_headings"])
                               + r")\s+\d{1,2}\s*[.:]\s")


def looks_like_title(line: str, width: int | None = None, max_words: int = 10) -> bool:
    """A short capitalised line without a sentence end (or a short question): a heading, not a wrap."""
    t = line.strip()
    words = t.split()
    if not t or not (t[0].isupper() or t[0].isdigit()) or len(words) > max_words:
        return False
    if width is not None and len(t) > 0.6 * width:
        return False
    if t.endswith("?"):
        return bool(re_wh_word().match(t)) or len(words) <= 6
    return t[-1] not in TERMINAL + ","


def lettered_item(line: str) -> bool:
    """Whether a line starts a lettered or degree-numbered list item of a law or cao ("a. een regeling …",
    "k) …", "1°. …"); "dr. J. Jansen" is a name, not item "dr"."""
    m = _RE_LETTERED_ITEM.match(line)
    return bool(m) and not (m.group("letter") and len(m.group("letter")) == 2
                            and m.group("letter") in word_list("abbreviations"))


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip("\"'”’)»]*").rstrip()
    return bool(t) and t[-1] in TERMINAL


def _starts_lower(text: str) -> bool:
    t = text.lstrip().lstrip("(\"'‘“«[")
    return bool(t) and t[0].islower()


class _Assembler:
    """Stateful helper of ``clean_document``: groups classified lines into blocks."""

    def __init__(self, width: int, vocabulary: set[str], markdown: bool):
        self.width = width
        self.vocab = vocabulary
        self.markdown = markdown
        self.blocks: list[Block] = []
        self.dropped: list[Dropped] = []
        self.open: Block | None = None
        self.open_last_line = ""
        self.artefact_pending = False

    def close(self) -> None:
        if self.open is not None:
            self.open.last_line_long = len(self.open_last_line.strip()) >= 0.75 * self.width
            self.blocks.append(self.open)
        self.open = None
        self.open_last_line = ""

    def start(self, kind: str, text: str, ln: Line, **extra: object) -> None:
        self.close()
        self.open = Block(kind, text, ln.number, ln.page, after_artefact=self.artefact_pending, **extra)
        self.open_last_line = text
        self.artefact_pending = False

    def extend(self, text: str, hard_break: bool = False) -> None:
        assert self.open is not None
        if hard_break:
            self.open.text = self.open.text.rstrip() + "\n" + text.strip()
        else:
            self.open.text = join_broken(self.open.text, text, self.vocab)
        self.open_last_line = text

    def drop(self, ln: Line, reason: str) -> None:
        self.dropped.append(Dropped(ln.number, ln.text, reason))
        self.artefact_pending = True

    def continues(self, text: str) -> bool:
        """Whether a plain text line continues the open block (txt layout rules)."""
        if self.open is None or self.open.kind in ("heading", "table"):
            return False
        prev = self.open_last_line.rstrip()
        if self.open.kind == "para" and numbered_heading(self.open.text) and not _starts_lower(text):
            return False
        if self.open.kind == "para" and lettered_item(self.open.text) and prev.endswith((";", ".")):
            return False  # a list item of a law or cao ends there; what follows is the next item or its slot
        if _RE_QUESTION_LINE.match(text) and _ends_sentence(prev):
            return False  # "Vraag 2. Op welke manier ..." opens a question section, even after a long line
        if prev.endswith("-") and text.lstrip()[:1].isalpha():
            return True
        if _starts_lower(text) and not _ends_sentence(prev):
            return True
        if _starts_lower(text) and self.open.kind == "footnote":
            return True
        if looks_like_title(text, self.width) and (_ends_sentence(prev) or
                                                    (text.rstrip().endswith("?") and not prev.endswith(":"))):
            return False
        return len(prev.strip()) >= 0.75 * self.width and not (self.markdown and _ends_sentence(prev))


def clean_document(text: str, fmt: str = "txt") -> CleanResult:
    """Clean extracted text into blocks; ``fmt`` is ``md`` for markdown, anything else for layout text
    (``pdf``: layout text whose ``#`` lines are the headings the PDF reader found by font)."""
    markdown = fmt in ("md", "docx", "html")
    lines = split_lines(text, paged=fmt == "pdf")
    double = (not markdown) and is_double_spaced(lines)
    if double:
        lines = undo_double_spacing(lines)
    lines, toc_dropped = drop_table_of_contents(lines)
    asm = _Assembler(_typical_width(lines), hyphen_vocabulary(text), markdown)
    asm.dropped.extend(toc_dropped)
    in_footnotes = False
    expected_footnote = 1
    markers_seen: set[int] = set()
    glued_seen: set[int] = set()  # footnote numbers seen glued to a word so far (``ontwikkelingen1``)

    for ln in lines:
        raw = ln.text
        s = raw.strip()
        if raw == "\f":
            asm.close()
            asm.artefact_pending = True
            in_footnotes = False
            continue
        if not s:
            if len(raw) >= 10 and not markdown:
                asm.close()
                asm.drop(ln, "separator")
                in_footnotes = True
                continue
            if not (in_footnotes and not double):
                asm.close()
            continue
        if markdown and re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", s):
            asm.close()
            asm.drop(ln, "page_break")
            continue
        if not markdown:
            # A page-foot footnote without a separator line above it: "1 Zie ..." after a blank line,
            # numbered as the next footnote whose marker was already seen glued to a word.
            fm = _RE_TXT_FOOTNOTE.match(s)
            if (fm and not in_footnotes and asm.open is None and raw[:1] != " "
                    and int(fm.group(1)) == expected_footnote and expected_footnote in glued_seen):
                in_footnotes = True
            glued_seen.update(int(g.group("n")) for g in _RE_GLUED.finditer(raw))
        if in_footnotes and not markdown and s.isdigit() and int(s) == expected_footnote:
            asm.start("footnote", "", ln, number=s)
            expected_footnote += 1
            continue
        if _RE_PAGE_NUMBER.match(s) and "\t" not in raw:
            asm.drop(ln, "page_number")
            continue
        if _RE_URL_ONLY.match(s):
            asm.drop(ln, "url_only")
            continue

        if in_footnotes and not markdown:
            m = _RE_TXT_FOOTNOTE.match(s)
            if m and raw[:1] != " " and int(m.group(1)) == expected_footnote:
                asm.start("footnote", strip_markup(m.group(2)), ln, number=m.group(1))
                expected_footnote += 1
                continue
            if asm.open is not None and asm.open.kind == "footnote" and (raw[:1] != " " or not asm.open.text):
                asm.extend(strip_markup(s))
                continue
            in_footnotes = False
            asm.close()
            asm.artefact_pending = True

        if markdown:
            m = _RE_MD_HEADING.match(raw)
            if m:
                title = strip_markup(m.group(2))
                if title:
                    asm.start("heading", title, ln, level=len(m.group(1)))
                    asm.close()
                continue
            m = _RE_MD_FOOTNOTE.match(raw) or _RE_TXT_FOOTNOTE.match(raw)
            if m and (raw.lstrip().startswith("<sup>") or int(m.group(1)) in markers_seen):
                asm.start("footnote", strip_markup(m.group(2)), ln, number=m.group(1))
                continue
            markers_seen.update(int(n) for n in re.findall(r"<sup>\s*(\d{1,3})\s*</sup>", raw))
            if "\t" in raw.strip("\t "):
                _add_table_row(asm, ln)
                continue
            if _RE_MD_LIST.match(raw) or bullet_text(raw) is not None or (
                    lettered_item(raw) and (asm.open is None or _RE_ITEM_END.search(asm.open_last_line))):
                item = bullet_text(raw)
                item = strip_markup(item if item is not None else re.sub(r"^\s*[-*+]\s+", "", raw))
                asm.start("list", item, ln)
                continue
            if asm.open is not None and asm.open.kind in ("para", "list", "footnote"):
                asm.extend(strip_markup(s), hard_break=asm.open_last_line.endswith("  "))
                asm.open_last_line = raw
                continue
            asm.start("para", strip_markup(s), ln)
            asm.open_last_line = raw
            continue

        # Layout text (PDF extractions, plain text).
        if fmt == "pdf" and (m := _RE_MD_HEADING.match(raw)) and m.group(2).strip():
            asm.start("heading", m.group(2).strip(), ln, level=len(m.group(1)))
            asm.close()
            continue
        if "\t" in raw.strip("\t "):
            _add_table_row(asm, ln)
            continue
        item = bullet_text(raw)
        if item is not None:
            asm.start("list", strip_markup(item), ln)
            continue
        if numbered_heading(raw) and not (asm.open and asm.open.kind == "para" and _joins_number(asm.open_last_line)):
            asm.start("para", strip_markup(s), ln)
            continue
        if lettered_item(raw) and asm.open is not None and _RE_ITEM_END.search(asm.open_last_line):
            asm.start("para", strip_markup(s), ln)
            continue
        if asm.continues(raw):
            asm.extend(strip_markup(s))
            continue
        asm.start("para", strip_markup(s), ln)
    asm.close()

    blocks = merge_broken_paragraphs(asm.blocks, markdown, asm.vocab)
    blocks = repair_inline_hyphens(blocks, word_part_counts(text))
    blocks = _attach_table_captions(blocks)
    if not markdown:
        blocks = separate_glued_footnote_markers(blocks)
    return CleanResult(blocks=[b for b in blocks if b.text.strip()], dropped=asm.dropped, double_spaced=double)


def _joins_number(prev_line: str) -> bool:
    """A line ending in a word like 'artikel' or 'nr.' continues onto a number at the next line start."""
    return bool(re.search(r"\b(artikel|art\.|nr\.|nummer|pagina|p\.|blz\.|paragraaf|hoofdstuk|bijlage|van|op|in|tot|en|de|het)\s*$",
                          prev_line.strip(), re.I))


def _add_table_row(asm: _Assembler, ln: Line) -> None:
    cells = [c.strip() for c in strip_markup_keep_tabs(ln.text).split("\t") if c.strip()]
    if asm.open is not None and asm.open.kind == "table":
        asm.open.text += "\n" + "\t".join(cells)
        asm.open_last_line = ln.text
    else:
        asm.start("table", "\t".join(cells), ln)


def strip_markup_keep_tabs(text: str) -> str:
    return "\t".join(strip_markup(part) for part in text.split("\t"))


def render_table(text: str, caption: str = "") -> str:
    """Render tab-separated rows as readable lines: ``row head — column: value; column: value``."""
    rows = [r.split("\t") for r in text.split("\n") if r.strip()]
    if not rows:
        return caption
    header = rows[0]
    out = [caption] if caption else []
    if len(rows) == 1 or len(header) < 2:
        out.extend(" — ".join(r) for r in rows)
        return "\n".join(out)
    out.append(" | ".join(header))
    for r in rows[1:]:
        head, values = r[0], r[1:]
        pairs = [f"{header[i + 1] if i + 1 < len(header) else ''}: {v}".lstrip(": ") for i, v in enumerate(values)]
        out.append(f"{head} — " + "; ".join(pairs) if pairs else head)
    return "\n".join(out)


def _attach_table_captions(blocks: list[Block]) -> list[Block]:
    """Render tables as readable rows; a preceding 'Tabel ...' paragraph becomes their caption."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "table":
            caption = ""
            if out and out[-1].kind == "para" and re.match(r"^(tabel|table|figuur|overzicht)\b", out[-1].text, re.I):
                caption = out.pop().text
            b.text = render_table(b.text, caption)
        out.append(b)
    return out


def merge_broken_paragraphs(blocks: list[Block], markdown: bool, vocabulary: set[str]) -> list[Block]:
    """Re-join paragraphs split by a page break, footnotes or a stray blank line in mid-sentence."""
    out: list[Block] = []
    for b in blocks:
        prev = _last_para(out)
        if (b.kind == "para" and prev is not None and not _ends_sentence(prev.text)
                and (numbered_heading(prev.text) is None or _starts_lower(b.text))
                and not lettered_item(b.text)):
            lower = _starts_lower(b.text)
            looks_heading = numbered_heading(b.text) is not None
            layout_wrap = (not markdown) and (prev.last_line_long or b.after_artefact) and not looks_heading
            if lower or layout_wrap:
                prev.text = join_broken(prev.text, b.text, vocabulary)
                prev.last_line_long = b.last_line_long
                if (b.end_page or b.page) != (prev.end_page or prev.page):
                    prev.end_page = b.end_page or b.page
                continue
        out.append(b)
    return out


def _last_para(blocks: list[Block]) -> Block | None:
    """The last paragraph or list item, skipping footnotes that were placed in between."""
    for b in reversed(blocks):
        if b.kind == "footnote":
            continue
        return b if b.kind in ("para", "list") else None
    return None


_RE_GLUED = re.compile(r"(?P<pre>[A-Za-zÀ-ÿ)’'”](?:[.,;:] ?)?)(?P<n>\d{1,2})(?=[\s,.;:)]|$)")


def separate_glued_footnote_markers(blocks: list[Block]) -> list[Block]:
    """Turn footnote numbers glued to words (``ontwikkelingen1``, ``(SER)1``) into ``¹`` markers.

    Only numbers that have a footnote text in the document are taken, in increasing order, so names such as
    ``Onderwijs2032`` or ``COVID-19`` stay as they are.
    """
    numbers = sorted({int(b.number) for b in blocks if b.kind == "footnote" and b.number})
    if not numbers:
        return blocks
    pending = list(numbers)
    for b in blocks:
        if b.kind not in ("para", "list", "heading") or not pending:
            continue

        def repl(m: re.Match) -> str:
            n = int(m.group("n"))
            if pending and n == pending[0]:
                pending.pop(0)
                return f"{m.group('pre').rstrip()} {footnote_marker(n)}"
            return m.group(0)

        b.text = _RE_GLUED.sub(repl, b.text)
    return blocks
