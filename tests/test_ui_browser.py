"""The chat page in a real browser: Debian's chromium driven by Playwright (never Playwright's own download)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ui.feedback import FeedbackStore

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUESTION = "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?"

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")



@pytest.fixture(scope="module")
def served(chat_server):
    return chat_server


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), "chromium ontbreekt: installeer hem met `make browser` (apt-get install chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    """A fresh page on the app that records every request leaving the machine (there must be none)."""
    url, _ = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.outside = []
    local = (url.rstrip("/"), "data:", "blob:")
    pg.on("request", lambda r: None if r.url.startswith(local) else pg.outside.append(r.url))
    pg.goto(url)
    yield pg
    context.close()


def ask(page: Page, question: str) -> None:
    box = page.locator("#vraag textarea")
    box.fill(question)
    box.press("Enter")


def test_answer_marker_source_panel_and_feedback(page: Page, served, tmp_path):
    """Ask, see [n] markers and labelled sources, open a source and a marker, screenshot, thumbs up."""
    ask(page, QUESTION)
    answer = page.locator("#gesprek .antwoord").last
    expect(answer.locator("details.bronnen")).to_be_visible(timeout=30_000)
    expect(answer.locator("a.bron-marker", has_text="[1]").first).to_be_visible()
    label = answer.locator(".bron-label").first
    expect(label).to_be_visible()
    label_text = label.inner_text().strip()
    assert " — " in label_text

    # clicking a source shows its whole passage with the label, document details and the cited sentence marked
    answer.locator("a.bron-link").first.click()
    panel = page.locator("#passage-paneel")
    expect(panel.locator(".passage-label")).to_have_text(label_text, timeout=10_000)
    expect(panel.locator("dl.passage-meta")).to_contain_text("Datum")
    expect(panel.locator("mark.steunzin").first).to_be_visible()

    # clicking a marker in the text opens that passage too, with its sentence highlighted
    marker = answer.locator("a.bron-marker").first
    n = marker.inner_text().strip()
    marker.click()
    expect(panel.locator(".passage-kop .bron-nr")).to_have_text(n, timeout=10_000)
    expect(panel.locator("mark.steunzin").first).to_be_visible()

    shot = tmp_path / "antwoord.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000

    # thumbs up is stored with the question, answer and citations
    page.locator("#gesprek button[aria-label='Goed antwoord']").last.click()
    store = FeedbackStore(served[1].feedback_db)
    rows = []
    for _ in range(50):
        rows = [r for r in store.rows() if r.question == QUESTION]
        if rows:
            break
        page.wait_for_timeout(100)
    assert rows and rows[-1].rating == 1 and rows[-1].citations and "[" in rows[-1].answer
    assert page.outside == [], f"de pagina haalde iets van buiten: {page.outside}"


def test_refusal_looks_like_a_refusal(page: Page):
    ask(page, "Wat is een lekker recept voor pannenkoeken?")
    refusal = page.locator("#gesprek .weigering").last
    expect(refusal).to_be_visible(timeout=30_000)
    expect(refusal).to_contain_text("Geen antwoord in de documenten")
    expect(refusal.locator("details.misschien")).to_contain_text("Misschien relevant")
    assert page.locator("#gesprek .antwoord").count() == 0
    border = refusal.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(217, 119, 6)"


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
