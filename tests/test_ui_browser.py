"""The chat page in a real browser: Debian's chromium driven by Playwright (never Playwright's own download), on
a real server over the real index, at desktop (1366×900) and phone (390×844) size. Accessibility is checked with
axe-core (the npm package in tests/package.json, injected into the page). Screenshots of both sizes are written
to .cache/screenshots/ (not committed)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from nl.dates import format_date
from ui.feedback import FeedbackStore
from vraagbaak.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO_ROOT / ".cache" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
QUESTION = "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?"
# a question whose answer has several sentences, for the checks of what happens while one streams
STREAMED = "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?"
SECOND = "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?"
EXAMPLES = [
    QUESTION, SECOND,
    "Wat is er in de raadsvergadering van 17 oktober 2024 besproken over AI?",
    "Hoe reageerde het kabinet op de SER-verkenning Mens en technologie?",
    "Welke rol moeten sociale partners spelen bij de invoering van AI op het werk?",
]
ENGLISH = ("Liked", "Disliked", "Like", "Dislike", "Copy", "Copied", "Retry", "Undo", "Clear", "Info", "Warning",
           "Error", "Loading", "chatbot conversation", "'s message")

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")


@pytest.fixture(scope="module")
def served(chat_server):
    return chat_server


# How long an answer takes in the tests of what the page does while one is on its way: answers are sent as
# soon as they are there (often within a few tens of milliseconds), faster than anyone types.
SLOW_ANSWER_S = 0.8


@pytest.fixture
def slow_answers(monkeypatch):
    """Answers that take a while, as on a busy server or with a language model (the server runs in this
    process, so its chat handler is wrapped for the duration of one test)."""
    import time

    from ui.chat import ChatService

    ask = ChatService.ask

    def slow(self, *args, **kwargs):
        time.sleep(SLOW_ANSWER_S)
        return ask(self, *args, **kwargs)

    monkeypatch.setattr(ChatService, "ask", slow)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), "chromium ontbreekt: installeer hem met `make browser` (apt-get install chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, url: str, viewport: dict, **options) -> Page:
    """A fresh page on the app that records every request leaving the machine (there must be none)."""
    context = browser.new_context(viewport=viewport, locale="en-US", accept_downloads=True, **options)
    pg = context.new_page()
    pg.outside = []
    local = (url.rstrip("/"), "data:", "blob:")
    pg.on("request", lambda r: None if r.url.startswith(local) else pg.outside.append(r.url))
    pg.goto(url)
    expect(pg.locator("#vraag textarea")).to_be_visible(timeout=30_000)
    return pg


@pytest.fixture
def page(browser, served):
    pg = open_page(browser, served[0], DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    yield pg
    pg.context.close()


@pytest.fixture
def phone(browser, served):
    pg = open_page(browser, served[0], PHONE, is_mobile=True, has_touch=True)
    yield pg
    pg.context.close()


def ask(page: Page, question: str) -> None:
    box = page.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")


def answer(page: Page, count: int):
    """The ``count``-th answer of the conversation, once it is complete and the page takes questions again."""
    answers = page.locator("#gesprek article.antwoord-bericht[data-klaar='1']")
    expect(answers).to_have_count(count, timeout=30_000)
    expect(page.locator("body")).not_to_have_class(re.compile("vraagbaak-bezig"), timeout=30_000)
    return answers.nth(count - 1)


def listed_sources(article) -> list[tuple[int, str]]:
    """(n, label) of the sources listed under an answer, in the order shown."""
    items = article.locator("ul.bronlijst li")
    return [(int(items.nth(i).locator(".bron-nr").inner_text().strip("[]")),
             items.nth(i).locator(".bron-label").inner_text().strip()) for i in range(items.count())]


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    assert AXE.is_file(), "axe-core ontbreekt: `npm ci --prefix tests` (make test doet dat)"
    # colours mid-transition (a button just enabled after an answer) are not the page's colours
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=10_000)
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.impact} ${v.id}: ${v.help} → ` + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '))""")


def horizontal_overflow(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 \
        and box["x"] + box["width"] <= size["width"]


def screenshot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path))
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    return path


# ------------------------------------------------------------------------------------------ answering
def test_answer_marker_source_panel_and_feedback(page: Page, served):
    """Ask, see [n] markers and labelled sources, open a source and a marker, thumbs up (labels Dutch)."""
    ask(page, QUESTION)
    article = answer(page, 1)
    expect(article.locator("details.bronnen")).to_be_visible()
    expect(article.locator("a.bron-marker", has_text="[1]").first).to_be_visible()
    label_text = article.locator(".bron-label").first.inner_text().strip()
    assert " — " in label_text

    # clicking a source shows its whole passage with the label, document details and the cited sentence marked
    article.locator("a.bron-link").first.click()
    panel = page.locator("#passage-paneel")
    expect(panel.locator(".passage-label")).to_have_text(label_text, timeout=10_000)
    expect(panel.locator("dl.passage-meta")).to_contain_text("Datum")
    expect(panel.locator("mark.steunzin").first).to_be_visible()

    # clicking a marker in the text opens that passage too, with its sentence highlighted
    marker = article.locator("a.bron-marker").first
    n = marker.inner_text().strip()
    marker.click()
    expect(panel.locator(".passage-kop .bron-nr")).to_have_text(n, timeout=10_000)
    expect(panel.locator("mark.steunzin").first).to_be_visible()

    # thumbs up is stored with the question, answer and citations; the button says so in Dutch
    thumb = article.locator("button[aria-label='Goed antwoord']")
    thumb.click()
    expect(thumb).to_have_attribute("aria-pressed", "true")
    toast = page.get_by_test_id("toast-body")
    expect(toast).to_contain_text("Bedankt, je beoordeling is opgeslagen.", timeout=10_000)
    expect(toast.locator(".toast-title")).to_have_text("Melding")
    expect(toast.get_by_role("button", name="Sluiten", exact=True)).to_be_visible()
    store = FeedbackStore(served[1].feedback_db)
    rows = []
    for _ in range(50):
        rows = [r for r in store.rows() if r.question == QUESTION]
        if rows:
            break
        page.wait_for_timeout(100)
    assert rows and rows[-1].rating == 1 and rows[-1].citations and "[" in rows[-1].answer
    expect(thumb).to_have_attribute("title", "Goed antwoord")

    # no English label anywhere in the conversation, its buttons or the toasts
    labels = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#gesprek [aria-label], #gesprek [title], [data-testid=toast-body] [aria-label], .toast-title'))
        .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
                   e.classList.contains('toast-title') ? e.textContent : null]).flat().filter(Boolean)""")
    assert labels and not [x for x in labels if any(word in x for word in ENGLISH)], labels
    assert page.outside == [], f"de pagina haalde iets van buiten: {page.outside}"


def test_refusal_looks_like_a_refusal(page: Page):
    ask(page, "Wat is een lekker recept voor pannenkoeken?")
    refusal = answer(page, 1).locator(".weigering")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Geen antwoord in de documenten")
    expect(refusal.locator("details.misschien")).to_contain_text("Misschien relevant")
    assert page.locator("#gesprek .antwoord").count() == 0
    border = refusal.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(217, 119, 6)"


def test_cited_sources_are_numbered_in_reading_order(page: Page):
    """Each answer's markers, read from the start, are 1, 2, … n, and 'Bronnen (n)' lists exactly [1] … [n]."""
    for i, question in enumerate(EXAMPLES, 1):
        ask(page, question)
        article = answer(page, i)
        if article.locator(".weigering").count():
            continue
        markers = [int(m.strip("[]")) for m in article.locator(".antwoord p a.bron-marker").all_inner_texts()]
        first_seen = list(dict.fromkeys(markers))
        assert first_seen == list(range(1, len(first_seen) + 1)), (question, markers)
        listed = [n for n, _ in listed_sources(article)]
        assert listed == first_seen, (question, listed, markers)
        expect(article.locator("details.bronnen summary")).to_have_text(f"Bronnen ({len(listed)})")


def test_user_html_is_shown_as_typed(page: Page):
    typed = "<img src=x onerror=\"window.__xss=1\"><b>vet</b> <script>window.__xss=2</script> *geen* _markdown_"
    ask(page, typed)
    answer(page, 1)
    bubble = page.locator("#gesprek article.vraag-bericht").first
    expect(bubble.locator(".vraag-tekst")).to_have_text(typed)
    assert bubble.locator("img, b, script, em, strong").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#gesprek article").first.get_attribute("aria-label") == "Jouw vraag"


# --------------------------------------------------------------------------------- copy and export
def test_copy_gives_plain_text_with_numbered_sources(page: Page):
    ask(page, QUESTION)
    article = answer(page, 1)
    sources = listed_sources(article)
    article.locator("button.kopieer").click()
    expect(article.locator("button.kopieer")).to_contain_text("Gekopieerd")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "<" not in copied and ">" not in copied and "class=" not in copied, copied
    text = article.locator(".antwoord > p").last.inner_text().strip()
    assert copied.startswith(" ".join(text.split()[:8]))
    head, _, tail = copied.partition("\n\nBronnen:\n")
    assert head and tail.splitlines() == [f"[{n}] {label}" for n, label in sources]


def test_export_downloads_markdown_and_pdf_with_every_answers_sources(page: Page):
    from pypdf import PdfReader

    expect(page.locator("#exporteer")).to_be_disabled()
    ask(page, QUESTION)
    first = answer(page, 1)
    ask(page, SECOND)
    second = answer(page, 2)
    expected = [listed_sources(first), listed_sources(second)]
    expect(page.locator("#exporteer")).to_be_enabled(timeout=10_000)

    with page.expect_download() as info:
        page.locator("#exporteer").click()
    download = info.value
    assert download.suggested_filename.endswith(".md")
    md = Path(download.path()).read_text(encoding="utf-8")
    assert "<div" not in md and "class=" not in md
    assert f"Geëxporteerd op {format_date(date.today().isoformat())}" in md
    sections = re.split(r"^## Vraag \d+: ", md, flags=re.M)[1:]
    assert len(sections) == 2 and sections[0].startswith(QUESTION) and sections[1].startswith(SECOND)
    for section, sources in zip(sections, expected):
        listed = re.findall(r"^(\d+)\. (.+)$", section, flags=re.M)
        assert [(int(n), label) for n, label in listed] == sources, (listed, sources)
        answer_line = next(line for line in section.splitlines()[1:] if "[1]" in line)
        assert set(int(n) for n in re.findall(r"\[(\d+)\]", answer_line)) == {n for n, _ in sources}

    with page.expect_download() as info:
        page.locator("#exporteer-pdf").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf[:5] == b"%PDF-" and info.value.suggested_filename.endswith(".pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert QUESTION in text and SECOND in text
    for sources in expected:
        for n, label in sources:
            assert f"{n}. {label}" in text, (label, text[:2000])


# ------------------------------------------------------------------------------------ while streaming
RECORDER = """() => {
  window.__log = [];
  const box = document.querySelector('#vraag textarea');
  new MutationObserver(() => {
    const log = document.querySelector('#gesprek .gesprek');
    window.__log.push({ busy: log ? log.getAttribute('aria-busy') : null,
                        done: document.querySelectorAll("#gesprek article[data-klaar='1']").length,
                        partial: document.querySelectorAll("#gesprek article[data-klaar='0']").length,
                        box: box.value });
  }).observe(document.querySelector('#gesprek'), { childList: true, subtree: true });
}"""


def test_typing_while_an_answer_streams_is_kept(page: Page, slow_answers):
    page.evaluate(RECORDER)
    box = page.locator("#vraag textarea")
    box.fill(STREAMED)
    box.press("Enter")
    expect(box).to_have_value("")  # the page empties the box on sending; keys typed before that are the old text's
    typed = "En wat zegt de SER over het informatierecht van de ondernemingsraad bij AI-systemen?"
    box.press_sequentially(typed, delay=25)
    answer(page, 1)
    log = page.evaluate("() => window.__log")
    log = log[next(i for i, e in enumerate(log) if e["box"] == ""):]  # from when the question was sent
    # the answer streamed (partial updates) and finished while the user was still typing
    streamed = [e for e in log if e["partial"] and e["box"]]
    finished = [e for e in log if e["done"] == 1 and 0 < len(e["box"]) < len(typed)]
    assert streamed and finished, log[-5:]
    assert all(typed.startswith(e["box"]) for e in log), [e["box"] for e in log]
    expect(box).to_have_value(typed)
    box.press("Enter")
    answer(page, 2)
    expect(page.locator("#gesprek article.vraag-bericht").nth(1)).to_have_text(typed)
    expect(box).to_have_value("")


def test_second_question_waits_and_is_never_sent_half(page: Page, slow_answers):
    box = page.locator("#vraag textarea")
    ask(page, SECOND)
    expect(page.locator("#gesprek section.gesprek")).to_have_attribute("aria-busy", "true", timeout=5_000)
    box.fill(QUESTION)
    box.press("Enter")
    page.locator("#verstuur").click(force=True)  # aria-disabled while busy, but a finger can still tap it
    hint = page.locator("#vraag-hint")
    expect(hint).to_contain_text("Even geduld")
    expect(box).to_have_value(QUESTION)
    answer(page, 1)
    assert page.locator("#gesprek article.vraag-bericht").count() == 1
    expect(hint).to_be_hidden()
    expect(box).to_have_value(QUESTION)
    box.press("Enter")
    answer(page, 2)
    expect(page.locator("#gesprek article.vraag-bericht").nth(1)).to_have_text(QUESTION)


# ------------------------------------------------------------------------------------------- filters
def ask_in_period(page: Page, question: str, start: str, end: str, count: int):
    """Ask with the period filter set; the refusal block of the answer."""
    page.get_by_label("Vanaf").fill(start)
    page.get_by_label("Tot en met").fill(end)
    ask(page, question)
    return answer(page, count).locator(".weigering")


def test_empty_period_and_english_question_get_their_own_message(page: Page):
    page.get_by_text("Filters: documenten, soort en periode").click()
    refusal = ask_in_period(page, "Wat zegt de SER over AI en werk?", "2030", "2031", 1)
    expect(refusal.locator(".weigering-kop")).to_have_text("Geen documenten in deze selectie")
    expect(refusal).not_to_contain_text("gaat niet over AI en werk")
    expect(refusal.locator(".filters-actief")).to_have_text(
        "Gezocht met filters: periode: 1 januari 2030 t/m 31 december 2031")

    refusal = ask_in_period(page, "What does the SER advise about training workers for AI?", "", "", 2)
    expect(refusal.locator(".weigering-kop")).to_have_text("Stel je vraag in het Nederlands")
    expect(refusal).to_contain_text("Nederlands")


# ----------------------------------------------------------------------------------- layout and a11y
def test_documents_tab_and_dutch_labels(page: Page, served):
    _, settings = served
    page.get_by_role("tab", name="Documenten").click()
    table = page.locator("table.documenten")
    expect(table).to_be_visible(timeout=10_000)
    from index_store.store import read_manifest

    documents = read_manifest(settings.store_dir)["documents"]
    expect(table.locator("tbody tr")).to_have_count(len(documents))
    expect(table).to_contain_text("Raadsvergadering")
    # Gradio's own labels are Dutch even in an English browser
    expect(page.get_by_text("Gebruik via API")).to_be_visible()


def test_desktop_layout_and_accessibility(page: Page):
    # on load: the question box and the example questions, in full, above the fold
    assert in_view(page, "#vraag textarea") and in_view(page, "#voorbeelden button.voorbeeld")
    first = page.locator("#voorbeelden button.voorbeeld").first
    assert first.inner_text().strip() == EXAMPLES[0]
    assert first.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    assert serious_violations(page) == []
    first.click()
    article = answer(page, 1)
    assert in_view(page, "#vraag textarea")
    article.locator("a.bron-link").first.click()
    expect(page.locator("#passage-paneel .passage-label")).to_be_visible(timeout=10_000)
    assert in_view(page, "#passage-paneel .passage-kop")
    screenshot(page, "vragen-desktop.png")
    assert serious_violations(page) == []
    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("table.documenten")).to_be_visible(timeout=10_000)
    assert serious_violations(page) == []
    assert horizontal_overflow(page) == 0


def test_phone_layout_and_accessibility(phone: Page):
    # on load: question box and the first example question in view, nothing wider than the screen
    assert horizontal_overflow(phone) == 0
    assert in_view(phone, "#vraag textarea") and in_view(phone, "#verstuur")
    assert in_view(phone, "#voorbeelden button.voorbeeld")
    assert serious_violations(phone) == []
    ask(phone, QUESTION)
    article = answer(phone, 1)
    assert horizontal_overflow(phone) == 0
    assert in_view(phone, "#vraag textarea")
    screenshot(phone, "vragen-telefoon.png")
    assert serious_violations(phone) == []

    # a source opens in a drawer over the answer, and closes again
    article.locator("a.bron-link").first.click()
    drawer = phone.locator("#bron-kolom")
    expect(drawer).to_be_visible()
    expect(drawer.locator(".passage-label")).to_be_visible(timeout=10_000)
    assert in_view(phone, "#bron-kolom .bron-sluiten")
    box = drawer.bounding_box()
    assert box["y"] < PHONE["height"] and box["y"] + box["height"] <= PHONE["height"] + 1
    screenshot(phone, "bron-telefoon.png")
    assert serious_violations(phone) == []
    drawer.locator(".bron-sluiten").click()
    expect(drawer).to_be_hidden()

    phone.get_by_role("tab", name="Documenten").click()
    expect(phone.locator("table.documenten")).to_be_visible(timeout=10_000)
    assert horizontal_overflow(phone) == 0
    assert serious_violations(phone) == []


def test_dark_mode_keeps_the_contrast(browser, served):
    """A phone or laptop set to dark mode gets Gradio's dark theme: the page's own colours must hold up there too."""
    for viewport in (DESKTOP, PHONE):
        pg = open_page(browser, served[0], viewport, color_scheme="dark")
        try:
            ask(pg, "Wat is een lekker recept voor pannenkoeken?")
            answer(pg, 1)
            ask(pg, QUESTION)
            answer(pg, 2)
            assert serious_violations(pg) == [], viewport
        finally:
            pg.context.close()
