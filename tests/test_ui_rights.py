"""The Rechtenwijzer tab in a real browser (Debian's chromium, Playwright) on a real server over the real index:
describe a system, see the features ticked, show the cards, open a source, export, and the chat's pointer."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_ui_browser import (DESKTOP, PHONE, answer, ask, browser, horizontal_overflow,  # noqa: F401
                                   in_view, open_page, screenshot, serious_violations)

WAREHOUSE = "Een systeem dat bijhoudt hoe snel magazijnmedewerkers orders verzamelen en wie achterloopt."
CONTROL = "voorzieningen om de werknemers te controleren op hun gedrag, aanwezigheid of prestaties"

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")


@pytest.fixture
def page(browser, chat_server):
    pg = open_page(browser, chat_server[0], DESKTOP)
    yield pg
    assert pg.outside == []
    pg.context.close()


def open_tab(page: Page) -> None:
    page.get_by_role("tab", name="Rechtenwijzer").click()
    expect(page.locator("#rw-beschrijving textarea")).to_be_visible(timeout=10_000)


def feature_box(page: Page, label: str):
    return page.locator("#rw-kenmerken").get_by_label(label, exact=True)


def employees(page: Page):
    return page.locator("#rw-werknemers textarea, #rw-werknemers input").first


def card(page: Page, right_id: str):
    return page.locator(f"#rw-rapport article.recht-kaart[data-recht='{right_id}']")


def test_describe_tick_show_cards_open_a_source_and_export(page: Page):
    from pypdf import PdfReader

    open_tab(page)
    expect(page.locator("#rw-exporteer")).to_be_disabled()
    page.locator("#rw-beschrijving textarea").fill(WAREHOUSE)
    expect(feature_box(page, "Controle van werknemers")).to_be_checked(timeout=10_000)
    expect(feature_box(page, "Werving en selectie")).not_to_be_checked()
    expect(page.locator("#rw-afgeleid")).to_contain_text("bijhoudt")
    employees(page).fill("120")
    page.locator("#rw-toon").click()

    consent = card(page, "instemmingsrecht")
    expect(consent).to_be_visible(timeout=20_000)
    expect(consent).to_have_attribute("data-status", "van toepassing")
    expect(consent.locator(".recht-status")).to_have_text("Van toepassing")
    expect(consent.locator(".recht-artikel")).to_have_text("WOR art. 27")
    expect(consent.locator("blockquote.recht-citaat").first).to_contain_text(CONTROL)
    assert page.locator("#rw-rapport .rw-voorbehoud").inner_text().count("geen juridisch advies") == 1
    screenshot(page, "rechtenwijzer-desktop.png")
    assert serious_violations(page) == []
    assert horizontal_overflow(page) == 0

    # a card's source opens in the tab's source column, with the quoted sentence marked
    link = consent.locator("a.bron-link").first
    label = link.locator(".bron-label").inner_text().strip()
    link.click()
    panel = page.locator("#rw-passage-paneel")
    expect(panel.locator(".passage-label")).to_have_text(label, timeout=10_000)
    expect(panel.locator("mark.steunzin").first).to_contain_text("controleren op hun gedrag")
    assert in_view(page, "#rw-passage-paneel .passage-kop")
    expect(page.locator("#passage-paneel .passage-label")).to_have_count(0)  # the chat's column is untouched

    # the features can be changed: without monitoring the same system gets no instemmingsrecht, and says why
    feature_box(page, "Controle van werknemers").uncheck()
    page.locator("#rw-toon").click()
    expect(card(page, "instemmingsrecht")).to_have_attribute("data-status", "niet van toepassing", timeout=20_000)
    expect(card(page, "instemmingsrecht").locator(".recht-waarom")).to_contain_text("geen werknemers")
    feature_box(page, "Controle van werknemers").check()
    page.locator("#rw-toon").click()
    expect(card(page, "instemmingsrecht")).to_have_attribute("data-status", "van toepassing", timeout=20_000)

    # export as Markdown and PDF: the rights, the quoted sentences with their sources, the caveat
    expect(page.locator("#rw-exporteer")).to_be_enabled(timeout=10_000)
    with page.expect_download() as info:
        page.locator("#rw-exporteer").click()
    assert info.value.suggested_filename.startswith("rechtenwijzer-")
    md = Path(info.value.path()).read_text(encoding="utf-8")
    assert md.startswith("# Rechtenwijzer") and "<" not in md.replace("<br>", "")
    assert "Instemmingsrecht van de ondernemingsraad (WOR art. 27)" in md and CONTROL in md
    assert f"> — {label}" in md and "## Voorbehoud" in md and "geen juridisch advies" in md
    assert "werknemers: 120" in md
    with page.expect_download() as info:
        page.locator("#rw-exporteer-pdf").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf[:5] == b"%PDF-"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "Instemmingsrecht van de ondernemingsraad (WOR art. 27)" in text and "Voorbehoud" in text


def test_bad_input_gets_a_dutch_message(page: Page):
    open_tab(page)
    page.locator("#rw-toon").click()
    expect(page.locator("#rw-rapport .foutmelding")).to_contain_text("Beschrijf het AI-systeem", timeout=10_000)
    page.locator("#rw-beschrijving textarea").fill("Een camera die medewerkers volgt.")
    employees(page).fill("-5")
    page.locator("#rw-toon").click()
    expect(page.locator("#rw-rapport .foutmelding")).to_contain_text("geheel getal van 0 of meer", timeout=10_000)
    expect(page.locator("#rw-exporteer")).to_be_disabled()


def test_chat_question_about_rights_points_to_the_tab_with_that_situation(page: Page):
    ask(page, "Welke rechten heeft de OR bij een AI-systeem dat werknemers volgt?")
    article = answer(page, 1)
    pointer = article.locator("aside.rw-wijzer")
    expect(pointer).to_contain_text("instemmingsrecht van de ondernemingsraad (WOR art. 27)")
    pointer.locator("a.rw-open").click()
    expect(page.get_by_role("tab", name="Rechtenwijzer")).to_have_attribute("aria-selected", "true",
                                                                            timeout=10_000)
    expect(page.locator("#rw-beschrijving textarea")).to_have_value("een AI-systeem dat werknemers volgt")
    expect(feature_box(page, "Controle van werknemers")).to_be_checked()
    expect(card(page, "instemmingsrecht")).to_have_attribute("data-status", "van toepassing", timeout=20_000)
    expect(page.locator("#rw-exporteer")).to_be_enabled()

    # a card's question goes to the chat and is answered there
    question = card(page, "instemmingsrecht").locator("button.rw-vraag")
    asked = question.get_attribute("data-vraag")
    question.click()
    expect(page.get_by_role("tab", name="Vragen")).to_have_attribute("aria-selected", "true", timeout=10_000)
    second = answer(page, 2)
    expect(page.locator("#gesprek article.vraag-bericht").nth(1)).to_have_text(asked)
    expect(second.locator("a.bron-marker").first).to_be_visible()


def test_a_question_without_a_rights_ask_gets_no_pointer(page: Page):
    ask(page, "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?")
    expect(answer(page, 1).locator("aside.rw-wijzer")).to_have_count(0)


def test_phone_layout_of_the_tab(browser, chat_server):
    phone = open_page(browser, chat_server[0], PHONE, is_mobile=True, has_touch=True)
    try:
        open_tab(phone)
        phone.locator("#rw-beschrijving textarea").fill("Een chatbot die vragen van klanten beantwoordt.")
        expect(feature_box(phone, "Contact met klanten of burgers")).to_be_checked(timeout=10_000)
        phone.locator("#rw-toon").click()
        expect(card(phone, "ai-transparantie")).to_be_visible(timeout=20_000)
        expect(card(phone, "instemmingsrecht")).to_have_attribute("data-status", "niet van toepassing")
        assert horizontal_overflow(phone) == 0
        card(phone, "ai-transparantie").locator("a.bron-link").first.click()
        expect(phone.locator("#rw-passage-paneel .passage-label")).to_be_visible(timeout=10_000)
        expect(phone.locator("body")).not_to_have_class(re.compile("bron-open"))  # not the chat's drawer
        assert re.search("artikel 50", phone.locator("#rw-passage-paneel").inner_text())
        screenshot(phone, "rechtenwijzer-telefoon.png")
        assert serious_violations(phone) == []
    finally:
        phone.context.close()
