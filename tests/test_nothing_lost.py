"""Nothing lost (issues 2 and 13): from raw file to cleaned text to the chunks stored in the real index.

Three proofs, on all five corpus documents and on a user's own folder (BWB XML, an HTML law page, a cao as text,
two PDFs, Word, Markdown; see the end of this file, which adds a fourth: file to raw text):

1. every word of a document's cleaned body text occurs in the chunks stored in the index (``chunks.jsonl`` of
   the active build of the test store, read through ``index_store.store.open_store``) — counted word by word, so a
   word that occurs five times in the text must occur at least five times in the chunks;
2. the chunks' character spans cover every non-whitespace character of every unit's text;
3. every word of the raw file is in the cleaned text, or on a line that ``CleanResult.dropped`` reports with an
   allowed reason.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter

import pytest

from index_store.store import open_store
from ingest.cleaning import CleanResult, clean_document
from ingest.metadata import doc_id_for
from vraagbaak.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"
ALL_FILES = ("ser-advies-ai-en-werk-2025.md", "ser-raadsvergadering-2021-11-19.txt",
             "ser-raadsvergadering-2024-10-17.txt", "ser-dare-to-be-aware-2022-10-06.txt",
             "kabinetsreactie-robotisering-digitalisering.txt")
ALLOWED_DROPS = {"toc", "page_number", "page_break", "url_only", "separator"}
WORD = re.compile(r"\w+")


def _fmt(name: str) -> str:
    return "md" if name.endswith(".md") else "txt"


@pytest.fixture(scope="module")
def parsed(corpus_files):
    return {f.parsed.info.doc_id: (name, f.raw.text, f.cleaned, f.parsed) for name, f in corpus_files.items()}


@pytest.fixture(scope="module")
def store(corpus_store):
    reader = open_store(corpus_store.store_dir)
    yield reader
    del reader


# ------------------------------------------------------------------------------ cleaned text -> index


def words_missing_from_chunks(doc_text: str, chunk_texts: list[str]) -> Counter:
    """Words of ``doc_text`` (with multiplicity) that the chunks do not hold often enough."""
    need = Counter(WORD.findall(doc_text))
    have = Counter(w for t in chunk_texts for w in WORD.findall(t))
    return Counter({w: n - have[w] for w, n in need.items() if have[w] < n})


def test_the_index_holds_the_current_parse_of_all_five_documents(parsed, store):
    stored_ids = {r.doc_id for r in store.records}
    assert stored_ids == set(parsed)
    for doc_id, (name, _, _, doc) in parsed.items():
        stored = store.document(doc_id)
        assert stored["file"] == name
        assert stored["text"] == doc.text, f"{name}: the index is stale (run vraagbaak ingest)"
        assert [u["key"] for u in stored["units"]] == [u.key for u in doc.units]


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_word_of_the_body_text_is_in_a_stored_chunk(parsed, store, name):
    doc_id = doc_id_for(CORPUS / name)
    _, _, _, doc = parsed[doc_id]
    chunks = [r.text for r in store.records if r.doc_id == doc_id]
    words = WORD.findall(doc.text)
    assert len(words) > 2000
    missing = words_missing_from_chunks(doc.text, chunks)
    assert not missing, f"{name}: words missing from the index: {dict(list(missing.items())[:20])}"
    # and per unit: the words of each unit are in that unit's own chunks
    for unit in doc.units:
        own = [r.text for r in store.records if r.doc_id == doc_id and r.unit_key == unit.key]
        assert not words_missing_from_chunks(unit.text, own), (name, unit.key)


def test_the_word_check_detects_a_lost_chunk(parsed, store):
    doc_id = doc_id_for(CORPUS / "ser-raadsvergadering-2024-10-17.txt")
    chunks = [r.text for r in store.records if r.doc_id == doc_id]
    _, _, _, doc = parsed[doc_id]
    assert not words_missing_from_chunks(doc.text, chunks)
    longest = max(range(len(chunks)), key=lambda i: len(chunks[i]))
    assert words_missing_from_chunks(doc.text, chunks[:longest] + chunks[longest + 1:])


# ------------------------------------------------------------------------------- character coverage


def uncovered(units: list[dict], records: list, text: str) -> list[tuple[str, int, str]]:
    """Non-whitespace characters of unit texts that no chunk span of that unit covers. A chunk stays inside its
    unit, or inside the units below it (a lid announcing a list is chunked with its onderdelen)."""
    out = []
    for u in units:
        covered = bytearray(u["end"] - u["start"])
        below = [v["end"] for v in units if list(v["path"][:len(u["path"])]) == list(u["path"])]
        for r in records:
            if r.unit_key != u["key"]:
                continue
            assert u["start"] <= r.char_start < r.char_end <= max(below), r.id
            for i in range(r.char_start - u["start"], min(r.char_end, u["end"]) - u["start"]):
                covered[i] = 1
        for i, flag in enumerate(covered):
            ch = text[u["start"] + i]
            if not flag and not ch.isspace():
                out.append((u["key"], u["start"] + i, ch))
    return out


@pytest.mark.parametrize("name", ALL_FILES)
def test_chunk_spans_cover_every_character_of_every_unit(store, name):
    doc_id = doc_id_for(CORPUS / name)
    stored = store.document(doc_id)
    records = [r for r in store.records if r.doc_id == doc_id]
    for r in records:
        assert stored["text"][r.char_start:r.char_end] == r.text, r.id
    gaps = uncovered(stored["units"], records, stored["text"])
    assert not gaps, f"{name}: {len(gaps)} characters in no chunk, first: {gaps[:5]}"
    # the units themselves tile the document text
    assert sum(u["end"] - u["start"] for u in stored["units"]) + 2 * (len(stored["units"]) - 1) == \
        len(stored["text"])


def test_the_coverage_check_detects_a_gap(store):
    doc_id = doc_id_for(CORPUS / "ser-dare-to-be-aware-2022-10-06.txt")
    stored = store.document(doc_id)
    records = [r for r in store.records if r.doc_id == doc_id]
    unit_key = next(r.unit_key for r in records if sum(x.unit_key == r.unit_key for x in records) >= 2)
    first = next(i for i, r in enumerate(records) if r.unit_key == unit_key)
    trimmed = records[:first] + records[first + 1:]
    assert uncovered(stored["units"], trimmed, stored["text"])


# ----------------------------------------------------------------------------------- raw -> cleaned
#
# Words are runs of letters or runs of digits, lower-cased. That normalisation is what makes the comparison fair:
# - footnote-number separation: "ontwikkelingen1" becomes "ontwikkelingen ¹" and "(SER)1" "(SER) ¹"; as runs of
#   letters and digits (superscripts read as digits) both sides read "ontwikkelingen", "1" (and "Onderwijs2032"
#   stays "onderwijs", "2032");
# - markup is not text: HTML tags (<b>, <sup>) are removed and a markdown link [text](target) counts as its text
#   (in this corpus the text is the address itself, the target only adds "http"); "**" and "*" are no words;
# - a footnote's number is kept in Block.number (rendered as superscript "ᴺ" in the unit text), so it is counted
#   from there.
# Hyphens are where cleaning legitimately changes words, so a hyphenated chain is accepted either way:
# - a word broken at a line end ("voorin-" / "genomenheid") may come out joined ("vooringenomenheid") or keep its
#   hyphen ("Sociaal-" / "Economische"); the continuation may be several lines further on, after a page break and a
#   block of footnotes, so the first word of the next lines (up to 25) that forms a cleaned word is taken;
# - a hyphen inside a line ("regelge-ving") may be removed when the document itself spells the joined word.
# Each raw word must then be matched by its own occurrence in the cleaned text (multiset, not set), so a lost
# paragraph of common words is noticed too. Table rendering repeats column headers, which only adds words.

_RUN = r"(?:[^\W\d_]+|\d+)"
_CHAIN = re.compile(rf"{_RUN}(?:-{_RUN})*-?")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_plain_digits(text).lower())


def _plain_digits(text: str) -> str:
    """Footnote references are superscript digits in the cleaned text ("ontwikkelingen ¹"); compare them as digits."""
    return unicodedata.normalize("NFKC", text)


def _display(line: str) -> str:
    line = re.sub(r"</?[a-zA-Z]+\s*/?>", " ", line)
    return re.sub(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)", r"\1", line)


def unaccounted_words(raw: str, result: CleanResult) -> list[str]:
    """Words of ``raw`` that are neither in the cleaned blocks nor on a line dropped with an allowed reason."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A PDF's pages are joined by form feeds inside a line: each piece of it is a line of its own, numbered as it.
    pieces = [(number, piece) for number, line in enumerate(lines, start=1) for piece in line.split("\f")]
    problems = []
    dropped = set()
    for d in result.dropped:
        if d.reason not in ALLOWED_DROPS or (d.line, d.text) not in pieces:
            problems.append(f"bad drop {d}")
        else:
            dropped.add((d.line, d.text))
    cleaned = Counter()
    for b in result.blocks:
        cleaned.update(_tokens(b.text))
        if b.kind == "footnote" and b.number:
            cleaned.update([b.number])
    vocab = set(cleaned)
    surface = _plain_digits(" ".join(b.text.lower() for b in result.blocks))

    content = [[m.group(0).lower() for m in _CHAIN.finditer(_display(line))]
               for number, line in pieces if (number, line) not in dropped]
    content = [c for c in content if c]
    chains: list[tuple[list[str], list[str]]] = []  # (parts, kind of each junction: "inline" | "break")
    for i, line in enumerate(content):
        for k, chain in enumerate(line):
            if not chain:
                continue
            parts = [p for p in chain.split("-") if p]
            kinds = ["inline"] * (len(parts) - 1)
            if chain.endswith("-") and k == len(line) - 1:
                for j in range(i + 1, min(len(content), i + 25)):
                    nxt = content[j][0] if content[j] else ""
                    if not nxt:
                        continue
                    first = nxt.split("-")[0]
                    if parts[-1] + first in vocab:
                        parts.append(first)
                        kinds.append("break")
                        content[j][0] = nxt[len(first):].lstrip("-")
                        break
            chains.append((parts, kinds))

    have = cleaned.copy()
    missing = []
    for parts, kinds in chains:  # plain words first: they have no alternative spelling
        if not kinds:
            for t in _tokens(parts[0]):
                if have[t] > 0:
                    have[t] -= 1
                else:
                    missing.append(t)
    for parts, kinds in chains:
        if not kinds:
            continue
        preferred = [(a + b) in vocab and not (kind == "inline" and f"{a}-{b}" in surface)
                     for a, b, kind in zip(parts, parts[1:], kinds)]
        options = sorted(itertools.product([False, True], repeat=len(kinds)),
                         key=lambda joins: sum(j != p for j, p in zip(joins, preferred)))
        for joins in options:
            words, current = [], parts[0]
            for part, join in zip(parts[1:], joins):
                if join:
                    current += part
                else:
                    words.append(current)
                    current = part
            words.append(current)
            need = Counter(t for w in words for t in _tokens(w))
            if all(have[t] >= n for t, n in need.items()):
                have.subtract(need)
                break
        else:
            missing.append("-".join(parts))
    return problems + missing


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_raw_word_is_cleaned_or_dropped_with_a_reason(parsed, name):
    doc_id = doc_id_for(CORPUS / name)
    _, raw, cleaned, _ = parsed[doc_id]
    n_words = len(_tokens(raw))
    missing = unaccounted_words(raw, cleaned)
    print(f"{name}: {n_words} raw words, {len(cleaned.dropped)} dropped lines "
          f"{dict(Counter(d.reason for d in cleaned.dropped))}")
    assert not missing, f"{name}: {len(missing)} raw words lost: {missing[:30]}"


def test_the_raw_word_check_detects_losses(parsed):
    doc_id = doc_id_for(CORPUS / "ser-raadsvergadering-2021-11-19.txt")
    _, raw, cleaned, _ = parsed[doc_id]
    assert not unaccounted_words(raw, cleaned)
    # a paragraph that silently disappears
    victim = next(i for i, b in enumerate(cleaned.blocks) if b.text.startswith("Mevrouw Peek is blij"))
    lost_block = CleanResult(cleaned.blocks[:victim] + cleaned.blocks[victim + 1:], cleaned.dropped)
    assert len(unaccounted_words(raw, lost_block)) > 20
    # a line dropped for a reason that is not allowed
    bad = CleanResult(cleaned.blocks, cleaned.dropped[:1] + [type(cleaned.dropped[0])(
        cleaned.dropped[1].line, cleaned.dropped[1].text, "boring")] + cleaned.dropped[2:])
    assert any(p.startswith("bad drop") for p in unaccounted_words(raw, bad))
    # a footnote number glued back onto its word is fine, a footnote text that vanished is not
    no_notes = CleanResult([b for b in cleaned.blocks if b.kind != "footnote"], cleaned.dropped)
    assert "zie" in unaccounted_words(raw, no_notes)


def test_hyphen_normalisation_inline():
    raw = "Het gaat om voorin-\ngenomenheid en om Sociaal-\nEconomische zaken en regelge-ving.\n"
    result = clean_document(raw, "txt")
    assert result.blocks[0].text == \
        "Het gaat om vooringenomenheid en om Sociaal-Economische zaken en regelge-ving."
    assert not unaccounted_words(raw, result)
    # a word that is missing in both spellings is reported (here as its two halves)
    tampered = CleanResult([type(result.blocks[0])("para", "Het gaat om en om Sociaal-Economische zaken en "
                                                           "regelge-ving.", 1)], [])
    assert unaccounted_words(raw, tampered) == ["voorin", "genomenheid"]


# ------------------------------------------------------------------------------- a user's own folder
#
# The same three proofs on the formats of issue 13, ingested for real with the default corpus (``mixed_store``),
# plus a fourth before them: every word the source file holds is in the text its reader produced. For a BWB XML
# file those are all text nodes outside the apparatus (amendment history, references); for an HTML page the
# visible text of the page; for a PDF or a Word file the text the test wrote into it.

OWN_FILES = ("wet-overleg-proefbedrijven.xml", "wet-artikelen-8-en-9.html", "cao-proefsector.txt",
             "onderzoek-roosters.pdf", "artikel-27.pdf", "beleid-ai.docx", "handreiking-roosters.md",
             "uitleg-adviesrecht.md")
_BWB_APPARATUS = {"meta-data", "redactionele-correcties", "bwb-inputbestand", "bwb-wijzigingen"}


def xml_words(data: bytes) -> list[str]:
    """The words of every text node of a BWB XML file outside its apparatus."""
    import xml.etree.ElementTree as ET

    out: list[str] = []

    def walk(el) -> None:
        if el.tag in _BWB_APPARATUS:
            return
        out.extend(_tokens(el.text or ""))
        for child in el:
            walk(child)
            out.extend(_tokens(child.tail or ""))

    walk(ET.fromstring(data))
    return out


def html_words(data: bytes) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data.decode("utf-8"), "html.parser")
    for tag in soup.find_all(["script", "style", "nav", "header", "footer", "title"]):
        tag.decompose()
    return _tokens(soup.get_text(" "))


def source_words(path, sources: dict[str, str]) -> list[str]:
    if path.suffix == ".xml":
        return xml_words(path.read_bytes())
    if path.suffix == ".html":
        return html_words(path.read_bytes())
    if path.name in sources:
        return _tokens(re.sub(r"^#+ ", "", sources[path.name], flags=re.M))
    return _tokens(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def own_parsed(own_folder):
    from ingest.pipeline import parse_file

    return {name: parse_file(own_folder / name) for name in OWN_FILES}


@pytest.mark.parametrize("name", OWN_FILES)
def test_every_word_of_an_own_file_reaches_the_index(own_folder, own_parsed, mixed_store, name):
    from own_documents import SOURCES

    pf = own_parsed[name]
    raw_words = Counter(_tokens(pf.raw.text))
    lost = Counter(source_words(own_folder / name, SOURCES)) - raw_words
    assert not lost, f"{name}: words of the file the reader lost: {dict(lost)}"
    missing = unaccounted_words(pf.raw.text, pf.cleaned)
    assert not missing, f"{name}: raw words lost in cleaning: {missing[:30]}"
    settings, _ = mixed_store
    store = open_store(settings.store_dir)
    doc_id = pf.parsed.info.doc_id
    stored = store.document(doc_id)
    assert stored["text"] == pf.parsed.text
    records = [r for r in store.records if r.doc_id == doc_id]
    assert not words_missing_from_chunks(pf.parsed.text, [r.text for r in records]), name
    assert not uncovered(stored["units"], records, stored["text"]), name


def test_the_source_word_check_detects_a_reader_that_drops_text(own_folder):
    words = Counter(xml_words((own_folder / "wet-overleg-proefbedrijven.xml").read_bytes()))
    assert words["prestaties"] == 1 and words["jci1"] == 0  # apparatus is not counted
    html = html_words((own_folder / "wet-artikelen-8-en-9.html").read_bytes())
    assert "copyright" not in html and "kantonrechter" in html
