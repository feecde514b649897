"""The chat page's server, asked through gradio_client: answers with [n] markers and sources, follow-ups,
and several people at once. Also the passage-in-context helper the sources column uses."""

from __future__ import annotations

import html
import re
import statistics
import threading
import time

import pytest
from gradio_client import Client

from rag.context import passage_context
from ui import render
from ui.filters import FilterError, build_filters, describe_filters
from ui.serve import parse_auth

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")

QUESTION = "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?"
QUESTIONS = [
    QUESTION,
    "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?",
    "Wat is er in de raadsvergadering van 17 oktober 2024 besproken over AI?",
    "Hoe reageerde het kabinet op de SER-verkenning Mens en technologie?",
    "Welke rol moeten sociale partners spelen bij de invoering van AI op het werk?",
    "Wat is een lekker recept voor pannenkoeken?",
]



@pytest.fixture(scope="module")
def server(chat_server):
    """One real server for this module, on a free loopback port, over the test profile's index."""
    return chat_server[0]


def skipped(value) -> bool:
    """An output the event left as it was (``gr.skip()``)."""
    return isinstance(value, dict) and value.get("__type__") == "update" and "value" not in value


def answers(result) -> list[str]:
    """The answer articles of the conversation an ask event returned (the question box is never written)."""
    html, box = result
    assert skipped(box)
    return re.findall(r"<article class='bericht antwoord-bericht'.*?</article>", html, flags=re.S)


def last_answer(result) -> str:
    found = answers(result)
    assert found and "data-klaar='1'" in found[-1]
    return found[-1]


def questions(result) -> list[str]:
    return [html.unescape(q) for q in re.findall(r"<p class='vraag-tekst'>(.*?)</p>", result[0], flags=re.S)]


def test_answer_has_markers_and_sources(server):
    client = Client(server, verbose=False)
    # the streaming check needs an answer of several sentences: the first of these questions that gets one
    for question in QUESTIONS[:5]:
        job = client.submit(question, api_name="/vraag")
        final = last_answer(job.result(timeout=120))
        if len(re.findall(r"class='bron-marker'", final)) >= 2:
            break
    else:
        pytest.fail("geen van de vragen kreeg een antwoord van meer dan één zin")
    # the answer is streamed as it is there, one cited sentence at a time (no pauses): a growing partial answer
    # per sentence before the last, each ending in its marker, then the final one with its sources
    partial = [found[-1] for found in (answers(out) for out in job.outputs()[:-1]) if found]
    partial = [p for p in partial if "data-klaar='0'" in p and "bezig-tekst" not in p]
    assert len(partial) >= 1 and all("Bronnen" not in p and "kopieer" not in p for p in partial)
    assert all(re.search(r">\[\d+\]</a> …</p>", p) for p in partial), partial
    assert [len(p) for p in partial] == sorted({len(p) for p in partial}) and len(partial[-1]) < len(final)
    markers = re.findall(r"class='bron-marker' href='#bron-\w+-(\d+)-?\d*'[^>]*>\[(\d+)\]</a>", final)
    assert markers, final
    assert all(a == b for a, b in markers)
    assert "Bronnen (" in final
    labels = re.findall(r"<span class='bron-label'>([^<]+)</span>", final)
    assert labels and all(" — " in label for label in labels)
    # every cited number has a source entry under the answer
    listed = set(re.findall(r"class='bron-link' href='#bron-\w+-(\d+)'", final))
    assert {n for n, _ in markers} == listed
    assert "weigering" not in final
    # the copy button carries the answer as plain text with the sources as a numbered list
    copied = html.unescape(re.search(r"data-tekst='([^']*)'", final).group(1))
    assert "<" not in copied and copied.endswith("\n".join(
        f"[{n}] {html.unescape(label)}" for n, label in zip(sorted(listed, key=int), labels)))


def test_follow_up_uses_the_conversation(server):
    client = Client(server, verbose=False)
    client.predict(QUESTION, api_name="/vraag")
    result = client.predict("En in 2021?", api_name="/vraag")
    assert questions(result) == [QUESTION, "En in 2021?"] and len(answers(result)) == 2
    assert f"<p class='opgevat'>Gelezen als vervolg op: “{QUESTION}”</p>" in last_answer(result)
    # a question that stands on its own is not marked as a follow-up
    result = client.predict(QUESTIONS[1], api_name="/vraag")
    assert "opgevat" not in last_answer(result)


def test_retry_and_new_conversation(server):
    client = Client(server, verbose=False)
    client.predict(QUESTION, api_name="/vraag")
    again = client.predict(api_name="/opnieuw")
    assert questions(again) == [QUESTION] and len(answers(again)) == 1
    assert "bron-marker" in last_answer(again)
    cleared, panel, md, pdf = client.predict(api_name="/nieuw_gesprek")
    assert "gesprek-leeg" in cleared and "passage-leeg" in panel
    assert not isinstance(md, str) and not isinstance(pdf, str)  # nothing to export
    # the new conversation has no history: a short question is not read as a follow-up
    assert "opgevat" not in last_answer(client.predict("En in 2021?", api_name="/vraag"))


def test_user_text_is_escaped(server):
    client = Client(server, verbose=False)
    typed = "<img src=x onerror=alert(1)><b>vet</b> <script>alert(2)</script>"
    result = client.predict(typed, api_name="/vraag")
    assert questions(result) == [typed]
    assert "<img" not in result[0] and "<b>" not in result[0] and "<script" not in result[0]


def test_refusal_and_filters(server):
    client = Client(server, verbose=False)
    refusal = last_answer(client.predict("Wat is een lekker recept voor pannenkoeken?", api_name="/vraag"))
    assert "class='weigering'" in refusal and "Misschien relevant" in refusal
    # a filter on one meeting: every cited source comes from that meeting, and the answer says the filter is on
    client = Client(server, verbose=False)
    found = last_answer(client.predict("Wat is er besproken over AI?", ["ser-raadsvergadering-2024-10-17"], [], "", "",
                                       api_name="/vraag"))
    labels = re.findall(r"<span class='bron-label'>([^<]+)</span>", found)
    assert labels and all(label.startswith("SER-raadsvergadering 17 oktober 2024") for label in labels), found
    assert "Gezocht met filters: documenten: " in found
    # a period filter is passed on (the advice of 2025 falls outside 2021-2022)
    client = Client(server, verbose=False)
    found = last_answer(client.predict("Wat zegt de SER over AI en werk?", [], [], "2021", "2022", api_name="/vraag"))
    assert "Advies AI en werk" not in found
    assert "periode: 1 januari 2021 t/m 31 december 2022" in found
    # an impossible date is not sent: nothing is asked and the question goes back into the box
    client = Client(server, verbose=False)
    conversation, box = client.predict("Wat zegt de SER over AI?", [], [], "gisteren", "", api_name="/vraag")
    assert skipped(conversation) and box == "Wat zegt de SER over AI?"


def test_filters_and_auth_parsing():
    assert build_filters([], [], "", "") is None
    assert build_filters(["a"], ["advies"], "2021", "2024-02") == {
        "docs": ["a"], "doc_types": ["advies"], "date_from": "2021-01-01", "date_to": "2024-02-29"}
    assert build_filters([], [], "19-11-2021", "") == {"docs": [], "doc_types": [], "date_from": "2021-11-19",
                                                       "date_to": ""}
    assert describe_filters(build_filters(["a"], ["advies"], "2030", "2031"), {"a": "Advies A"}, {"advies": "Advies"}) \
        == "documenten: Advies A; soort: Advies; periode: 1 januari 2030 t/m 31 december 2031"
    assert describe_filters(build_filters([], [], "", "2024-02"), {}, {}) == "periode: tot en met 29 februari 2024"
    assert describe_filters(None, {}, {}) == ""
    for bad in (("2024", "2021"), ("2021-13", ""), ("morgen", "")):
        with pytest.raises(FilterError):
            build_filters([], [], *bad)
    assert parse_auth("") is None
    assert parse_auth("or:geheim, ser:ook-geheim") == [("or", "geheim"), ("ser", "ook-geheim")]
    with pytest.raises(ValueError):
        parse_auth("alleen-een-naam")


def test_eight_concurrent_clients(server):
    """8 people asking 5 questions each at the same time: all 40 answered, none errored."""
    latencies: list[float] = []
    errors: list[str] = []
    answered = []
    lock = threading.Lock()

    def person(i: int) -> None:
        try:
            client = Client(server, verbose=False)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(f"client {i}: {exc!r}")
            return
        for j in range(5):
            question = QUESTIONS[(i + j) % len(QUESTIONS)]
            t0 = time.perf_counter()
            try:
                found = last_answer(client.predict(question, api_name="/vraag"))
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"client {i} vraag {j}: {exc!r}")
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)
                if "foutmelding" in found:
                    errors.append(f"client {i} vraag {j}: {found[:200]}")
                else:
                    answered.append(found)

    threads = [threading.Thread(target=person, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    assert len(answered) == 40
    ordered = sorted(latencies)
    print(f"\n40 vragen, 8 gelijktijdig: p50 {statistics.median(ordered):.2f} s, "
          f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:.2f} s")


def test_passage_context_and_panel(engine):
    """The sources column: a passage with its neighbours from the same document, the cited sentence marked."""
    ans = engine.answer(QUESTION)
    assert ans.citations and ans.sentences
    sentence, n = ans.sentences[0]
    passage = ans.passages[n - 1]
    store = engine.ensure_store()
    ctx = passage_context(store, passage.chunk_id)
    assert ctx is not None and ctx.text == passage.text and ctx.label == passage.label
    assert ctx.doc_title and ctx.doc_date
    same_doc = sorted((r for r in store.records if r.doc_id == ctx.doc_id), key=lambda r: r.char_start)
    pos = [r.id for r in same_doc].index(ctx.chunk_id)
    assert (ctx.previous.chunk_id if ctx.previous else None) == (same_doc[pos - 1].id if pos else None)
    assert (ctx.next.chunk_id if ctx.next else None) == (same_doc[pos + 1].id if pos + 1 < len(same_doc) else None)
    assert passage_context(store, "bestaat-niet") is None
    panel = render.passage_html({"n": n, "label": passage.label, "text": passage.text}, ctx, [sentence])
    assert f"<mark class='steunzin'>{render.esc(sentence)}</mark>" in panel
    assert render.esc(ctx.label) in panel and render.format_date(ctx.doc_date) in panel


def test_http_api_load_generator(server):
    """The benchmark's load generator (plain HTTP against ``/vraag``) gets the same final answer the page
    gets, and counts a failed question as an error."""
    import httpx

    from bench.serving import FINAL, ask_once, load_test

    url = server if server.endswith("/") else server + "/"
    with httpx.Client(timeout=120) as http:
        html = ask_once(http, url, "Wat is het instemmingsrecht van de ondernemingsraad?")
    assert FINAL.search(html) and "[1]" in html
    result = load_test(url, ["Wat adviseert de SER over scholing?", "Wie is de voorzitter?"], users=3, per_user=2)
    assert (result["asked"], result["answered"], result["errors"]) == (6, 6, 0)
    broken = load_test(url + "geen-pagina/", ["Wat is AI?"], users=1, per_user=1)
    assert broken["errors"] >= 1 and broken["answered"] == 0
