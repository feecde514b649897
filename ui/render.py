"""HTML for the chat page: answers with clickable [n] markers, refusals, the passage panel, the document list.

Pure functions over plain dicts ("turns", see ``ui.chat.turn_from_answer``); every piece of document or user
text is escaped here. Links of the form ``#bron-<answer id>-<n>[-<sentence index>]`` are picked up by the
page script (``ui.assets.HEAD``) and open the passage in the sources column.
"""

from __future__ import annotations

import html
import re

from nl import footnotes
from nl.dates import format_date
from nl.resources import table
from rag.context import PassageContext

DOC_TYPES = {t["name"]: t["label"] for t in table("doc_types")["type"]}
NEIGHBOUR_CHARS = 700
SNIPPET_CHARS = 110
MARKER = re.compile(r"\[(\d+)\]")
PLACEHOLDER = ("<div class='passage-leeg'><p><strong>Bron</strong></p><p>Klik in een antwoord op een "
               "bronnummer zoals <span class='bron-marker voorbeeld'>[1]</span> of op een bron onder "
               "‘Bronnen’: dan staat hier de hele passage, met de zin uit het antwoord gemarkeerd, en de "
               "tekst ervoor en erna.</p></div>")


def esc(text: object) -> str:
    return html.escape(str(text or ""), quote=True)


def format_timestamp(ts: str) -> str:
    """``2026-11-23T17:55:45`` → ``23 november 2026, 17:55``."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})", ts or "")
    return f"{format_date(m.group(1))}, {m.group(2)}" if m else (ts or "onbekend")


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPES.get(doc_type, (doc_type or "onbekend").replace("_", " ").capitalize())


# --------------------------------------------------------------------------------------------- answers
def _sentence_ends(text: str, sentences: list) -> list[tuple[int, int]]:
    """(end position in ``text``, n) for each answer sentence that occurs verbatim in the answer text."""
    ends, start = [], 0
    for sentence, n in sentences:
        pos = text.find(sentence, start)
        if pos < 0:
            pos = text.find(sentence)
        ends.append((pos + len(sentence) if pos >= 0 else -1, int(n)))
        if pos >= 0:
            start = pos + len(sentence)
    return ends


def link(answer_id: str, n: int, sentence: int | None = None) -> str:
    return f"#bron-{answer_id}-{n}" + ("" if sentence is None else f"-{sentence}")


def marked_text(text: str, answer_id: str, sentences: list, labels: dict[int, str]) -> str:
    """Escaped answer text with each ``[n]`` turned into a link to the sentence it supports."""
    ends = _sentence_ends(text, sentences)
    out, last = [], 0
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if n not in labels:
            continue
        best = None
        for i, (end, sn) in enumerate(ends):
            if sn == n and 0 <= end <= m.start() and (best is None or end >= ends[best][0]):
                best = i
        out.append(esc(text[last:m.start()]))
        out.append(f"<a class='bron-marker' href='{link(answer_id, n, best)}' title='{esc(labels[n])}'>[{n}]</a>")
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``text`` on one line, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + "…"


MAYBE_RELEVANT = 3
REFUSAL_TITLES = {"filter-empty": "Geen documenten in deze selectie", "not-dutch": "Stel je vraag in het Nederlands"}
REFUSAL_TITLE = "Geen antwoord in de documenten"


def refusal_title(turn: dict) -> str:
    """The heading of a refusal: why there is no answer (an empty filter, a non-Dutch question, or not found)."""
    return REFUSAL_TITLES.get(turn.get("reason", ""), REFUSAL_TITLE)


def shown_sources(turn: dict) -> list[dict]:
    """The passages listed under a turn, in the order shown: the cited ones of an answer, or the closest few
    ("Misschien relevant") of a refusal."""
    by_n = {p["n"]: p for p in turn["passages"]}
    if turn.get("error"):
        return []
    if turn["refused"]:
        return turn["passages"][:MAYBE_RELEVANT]
    return [by_n[n] for n in turn["cited"] if n in by_n]


def supporting_text(turn: dict, passage: dict) -> str:
    """What a source contributed: the first answer sentence citing it, else the start of the passage."""
    return next((s for s, sn in turn["sentences"] if sn == passage["n"]), "") or passage.get("text", "")


def _source_list(turn: dict, css: str, title: str) -> str:
    """Each source's label plus the start of what it contributed (labels repeat when two chunks share a
    section, so the snippet tells them apart)."""
    items = "".join(
        f"<li><a class='bron-link' href='{link(turn['id'], p['n'])}'><span class='bron-nr'>[{p['n']}]</span> "
        f"<span class='bron-label'>{esc(p['label'])}</span>"
        f"<span class='bron-zin'>“{esc(snippet(supporting_text(turn, p)))}”</span></a></li>"
        for p in shown_sources(turn))
    return (f"<details class='{css}' open><summary>{esc(title)}</summary>"
            f"<ul class='bronlijst'>{items}</ul></details>")


def answer_html(turn: dict, shown: str | None = None) -> str:
    """The assistant message for a turn; ``shown`` is the part streamed so far (sources come at the end)."""
    final = shown is None
    text = turn["answer"] if final else shown
    notice = f"<p class='melding'>{esc(turn['notice'])}</p>" if turn.get("notice") else ""
    if turn.get("follow_up_of"):
        notice += f"<p class='opgevat'>Gelezen als vervolg op: “{esc(turn['follow_up_of'])}”</p>"
    if turn.get("filter_text"):
        notice += f"<p class='opgevat filters-actief'>Gezocht met filters: {esc(turn['filter_text'])}</p>"
    if turn.get("error"):
        return f"<div class='foutmelding'><p>{esc(text)}</p></div>"
    if turn["refused"]:
        maybe = ""
        if final and turn["passages"]:
            maybe = _source_list(turn, "bronnen misschien", "Misschien relevant")
        return (f"<div class='weigering'><p class='weigering-kop'>{esc(refusal_title(turn))}</p>"
                f"<p>{esc(text)}</p>{notice}{maybe}</div>")
    labels = {p["n"]: p["label"] for p in turn["passages"]}
    caveat = f"<p class='voorbehoud'>{esc(turn['caveat'])}</p>" if turn.get("caveat") else ""
    body = marked_text(text, turn["id"], turn["sentences"], labels)
    sources = ""
    if final and turn["cited"]:
        sources = _source_list(turn, "bronnen", f"Bronnen ({len(shown_sources(turn))})")
    return f"<div class='antwoord'>{notice}{caveat}<p>{body}{'' if final else ' …'}</p>{sources}</div>"


# --------------------------------------------------------------------------------------- passage panel
def _spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    spans = []
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        pos = text.find(s)
        if pos >= 0:
            spans.append((pos, pos + len(s)))
            continue
        pattern = r"\s+".join(re.escape(w) for w in s.split())
        m = re.search(pattern, text)
        if m:
            spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _paragraphs(text: str, highlights: list[str] | None = None) -> str:
    """Text as <p> paragraphs, with the highlighted sentences wrapped in <mark>."""
    spans = _spans(text, highlights or [])
    out = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        a, b = para.start(), para.end()
        pieces, pos = [], a
        for s, e in spans:
            s, e = max(s, a), min(e, b)
            if s >= e:
                continue
            pieces.append(esc(text[pos:s]))
            pieces.append(f"<mark class='steunzin'>{esc(text[s:e])}</mark>")
            pos = e
        pieces.append(esc(text[pos:b]))
        body = _footnote_refs("".join(pieces).strip().replace("\n", "<br>"))
        if body:
            out.append(f"<p>{body}</p>")
    return "".join(out)


def _footnote_refs(html_text: str) -> str:
    """The documents' own footnote markers (superscript ``¹²`` in the index) marked up as footnote references,
    with their number as a tooltip."""
    def sup(m: re.Match) -> str:
        n = footnotes.plain(m.group(1))
        return f"<sup class='voetnoot' title='voetnoot {n}'>{n}</sup>"

    return footnotes.RE_REFERENCE.sub(sup, html_text)


def _clip_tail(text: str) -> str:
    text = text.strip()
    if len(text) <= NEIGHBOUR_CHARS:
        return text
    cut = text[-NEIGHBOUR_CHARS:]
    return "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut


def _clip_head(text: str) -> str:
    text = text.strip()
    if len(text) <= NEIGHBOUR_CHARS:
        return text
    cut = text[:NEIGHBOUR_CHARS]
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + "…"


def _neighbour(kind: str, title: str, label: str, own_label: str, text: str) -> str:
    if not text.strip():
        return ""
    where = f" <span class='buur-label'>({esc(label)})</span>" if label and label != own_label else ""
    return (f"<div class='buur {kind}'><div class='buur-kop'>{title}{where}</div>"
            f"{_paragraphs(text)}</div>")


def passage_html(passage: dict, ctx: PassageContext | None, highlights: list[str]) -> str:
    """The sources column: the whole passage, its supporting sentence(s) marked, its neighbours around it."""
    label = ctx.label if ctx else passage["label"]
    title = ctx.doc_title if ctx else passage.get("doc_title", "")
    date = ctx.doc_date if ctx else passage.get("doc_date", "")
    kind = ctx.doc_type if ctx else passage.get("doc_type", "")
    text = ctx.text if ctx else passage.get("text", "")
    meta = (f"<dl class='passage-meta'><dt>Document</dt><dd>{esc(title)}</dd>"
            f"<dt>Datum</dt><dd>{esc(format_date(date))}</dd>"
            f"<dt>Soort</dt><dd>{esc(doc_type_label(kind))}</dd></dl>")
    before = _neighbour("vorige", "Daarvoor", ctx.previous.label, label, _clip_tail(ctx.previous_tail())) \
        if ctx and ctx.previous else ""
    after = _neighbour("volgende", "Daarna", ctx.next.label, label, _clip_head(ctx.next_head())) \
        if ctx and ctx.next else ""
    missing = "" if ctx else ("<p class='melding'>Deze passage staat niet meer in de huidige index; "
                              "hieronder de tekst zoals die bij het antwoord hoorde.</p>")
    return (f"<div class='passage-paneel' data-bron='{passage['n']}'>"
            f"<div class='passage-kop'><span class='bron-nr'>[{passage['n']}]</span> "
            f"<span class='passage-label'>{esc(label)}</span></div>{meta}{missing}{before}"
            f"<div class='passage-tekst'>{_paragraphs(text, highlights)}</div>{after}</div>")


# ------------------------------------------------------------------------------------ documents / status
def documents_html(documents: dict[str, dict]) -> str:
    """The "Documenten" tab: one row per ingested document."""
    if not documents:
        return "<p class='melding'>Er zijn nog geen documenten ingelezen.</p>"
    rows = []
    for doc_id, d in sorted(documents.items(), key=lambda kv: kv[1].get("date", ""), reverse=True):
        rows.append(
            f"<tr><td><div class='doc-titel'>{esc(d.get('title') or doc_id)}</div>"
            f"<div class='doc-bestand'>{esc(d.get('file', ''))}</div></td>"
            f"<td>{esc(doc_type_label(d.get('doc_type', '')))}</td>"
            f"<td class='nowrap'>{esc(format_date(d.get('date', '')))}</td>"
            f"<td class='getal'>{int(d.get('units', 0))}</td><td class='getal'>{int(d.get('chunks', 0))}</td>"
            f"<td class='nowrap'>{esc(format_timestamp(d.get('ingested_at', '')))}</td></tr>")
    total_chunks = sum(int(d.get("chunks", 0)) for d in documents.values())
    return ("<div class='tabel-scroll' role='region' aria-label='Documenten in de index' tabindex='0'>"
            "<table class='documenten'><thead><tr><th>Document</th><th>Soort</th><th>Datum</th>"
            "<th class='getal'>Onderdelen</th><th class='getal'>Passages</th><th>Ingelezen op</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
            f"<p class='doc-totaal'>{len(documents)} documenten, {total_chunks} passages.</p>")


def missing_index_html(message: str) -> str:
    """The banner shown when there is no usable index, with how to build it."""
    return ("<div class='index-ontbreekt'><p><strong>De index is nog niet gebouwd.</strong></p>"
            f"<p>{esc(message)}</p><p>Bouw de index in een terminal met <code>vraagbaak ingest</code> "
            "(of start de pagina met <code>make run</code>, dat bouwt hem eerst), of klik hieronder op "
            "‘Index nu bouwen’.</p></div>")
