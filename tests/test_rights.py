"""The Rechtenwijzer over the real index of the default corpus: rules table, evidence, report, CLI and eval."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import replace

import pytest

from nl.situation import feature_ids
from rag.rightsguide import SituationError, evidence, rights, rules
from rag.rightsguide.evidence import Evidence, law_articles
from rag.rightsguide.report import build_report
from rag.rightsguide.situation import Situation, resolve
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE, TableError, parse_table
from tests.conftest import ADVIES, CORPUS
from vraagbaak.cli import main

WAREHOUSE = {"beschrijving": "Een systeem dat bijhoudt hoe snel magazijnmedewerkers orders verzamelen en wie "
                             "achterloopt.", "vertegenwoordiging": "or", "werknemers": 120}
RECRUITMENT = {"beschrijving": "Een AI-tool die cv's van sollicitanten leest en selecteert wie we uitnodigen.",
               "vertegenwoordiging": "or", "werknemers": 400}
SMALL_NO_OR = {"beschrijving": "Een planningssysteem met AI dat de roosters van ons personeel maakt.",
               "vertegenwoordiging": "geen", "werknemers": 30}
CUSTOMER_CHATBOT = {"beschrijving": "Een chatbot die vragen van klanten op de website beantwoordt; voor het "
                                    "personeel verandert er niets.", "vertegenwoordiging": "or"}


def norm(text: str) -> str:
    return " ".join(text.split())


def by_id(report) -> dict:
    return {r.id: r for r in report.rechten + report.niet_van_toepassing}


@pytest.fixture(scope="module")
def store(engine):
    return engine.ensure_store()


# ------------------------------------------------------------------------------------------ evidence
def test_every_quote_of_the_rules_occurs_verbatim_in_the_indexed_chunks(corpus_store, store):
    """The test that fails when the corpus (or its cleaning) changes so that a cited sentence is gone."""
    table = rules(corpus_store)
    ev = Evidence.build(store.records, table)
    assert ev.missing == []
    chunks = {r.id: r for r in store.records}
    for quote, source in ev.quotes.items():
        chunk = chunks[source.chunk_id]
        assert norm(quote) in norm(chunk.text) and source.text == chunk.text
        assert source.label in (chunk.label, f"{chunk.label}, voetnoot {source.label.rsplit(' ', 1)[-1]}")


def test_every_right_cites_the_advies_and_the_caveat_its_own_sentences(corpus_store):
    table = rules(corpus_store)
    ev = evidence(corpus_store)
    for rule in table.rules:
        for case in rule.cases:
            sources = ev.sources(rule.quotes_of(case))
            assert sources, (rule.id, case.status)
            assert all(s.doc == ADVIES.removesuffix(".md") for s in sources)
    report = rights({"kenmerken": []}, corpus_store)
    assert report.voorbehoud and "geen juridisch advies" in report.voorbehoud
    assert {"De tekst van de WOR blijft leidend."} <= {b.quote for b in report.voorbehoud_bronnen}


def test_a_quote_that_is_not_in_the_index_is_missing_and_its_right_is_left_out(corpus_store, store):
    data = tomllib.loads(corpus_store.rights_file.read_text(encoding="utf-8"))
    data["recht"][0]["bronnen"] = ["Deze zin staat in geen enkel document van de index."]
    for case in data["recht"][0]["geval"]:
        case.pop("bronnen", None)
    table = parse_table(data)
    ev = Evidence.build(store.records, table)
    assert ev.missing == ["Deze zin staat in geen enkel document van de index."]
    report = build_report(table, ev, resolve(Situation(kenmerken=("technologische_voorziening",),
                                                       vertegenwoordiging="or"), table))
    assert data["recht"][0]["id"] not in by_id(report)
    assert report.rechten  # the other rules still stand


def test_without_the_documents_the_report_says_why_it_is_empty(corpus_store):
    table = rules(corpus_store)
    ev = Evidence.build([], table)
    report = build_report(table, ev, resolve(Situation(kenmerken=("monitoring",)), table))
    assert report.rechten == () and report.niet_van_toepassing == ()
    assert report.melding == table.no_sources


# ---------------------------------------------------------------------------------- the cases
def test_warehouse_monitoring_gives_instemmingsrecht_citing_the_control_sentence(corpus_store):
    report = rights(WAREHOUSE, corpus_store)
    assert report.situatie.kenmerken == ("monitoring",)
    right = by_id(report)["instemmingsrecht"]
    assert (right.status, right.artikel) == (APPLIES, "WOR art. 27")
    quote = next(b for b in right.bronnen if "controleren op hun gedrag" in b.quote)
    assert "voorzieningen om de werknemers te controleren op hun gedrag, aanwezigheid of prestaties" in quote.quote
    assert norm(quote.quote) in norm(quote.text) and "§6.3.2" in quote.label
    assert report.rechten[0].status == APPLIES and right in report.rechten


def test_recruitment_tool_gives_the_duty_to_inform_about_high_risk_ai(corpus_store):
    report = rights(RECRUITMENT, corpus_store)
    assert "werving_selectie" in report.situatie.kenmerken
    right = by_id(report)["ai-informeren-hoog-risico"]
    assert right.status == APPLIES and right.artikel == "AI-verordening art. 26"
    quotes = [b.quote for b in right.bronnen]
    assert "De verplichting om medewerkers te informeren over hoogrisico-AI-systemen die worden gebruikt." in quotes
    assert any(b.label.endswith("voetnoot 39") and "Art. 26" in b.quote for b in right.bronnen)


def test_small_company_without_an_or_gets_the_pvt_and_employees_route(corpus_store):
    report = rights(SMALL_NO_OR, corpus_store)
    rights_ = by_id(report)
    route = rights_["overleg-zonder-or"]
    assert route.status == APPLIES and route in report.rechten
    assert any(b.label.endswith("voetnoot 38") and "35b en 35c" in b.quote for b in route.bronnen)
    assert any("belanghebbende werknemers" in b.quote for b in route.bronnen)
    for or_right in ("adviesrecht", "instemmingsrecht", "informatierecht", "deskundigheid"):
        assert rights_[or_right].status == NOT_APPLICABLE and "geen ondernemingsraad" in rights_[or_right].waarom
    assert "(hier: 30 werknemers)" in route.waarom


def test_customer_chatbot_without_effect_on_staff_gets_no_instemmingsrecht_and_says_why(corpus_store):
    report = rights(CUSTOMER_CHATBOT, corpus_store)
    assert "instemmingsrecht" not in {r.id for r in report.rechten}
    why_not = next(r for r in report.niet_van_toepassing if r.id == "instemmingsrecht")
    assert "controleert of beoordeelt het systeem geen werknemers" in why_not.waarom
    assert any("WOR art. 27" in b.quote for b in why_not.bronnen)
    assert by_id(report)["ai-transparantie"].status == APPLIES


def test_edited_features_win_over_the_ones_read_from_the_description(corpus_store):
    edited = {**CUSTOMER_CHATBOT, "kenmerken": ["klantinteractie", "monitoring"]}
    report = rights(edited, corpus_store)
    assert report.situatie.kenmerken == ("monitoring", "klantinteractie")
    assert {h.feature for h in report.situatie.afgeleid} == {"klantinteractie", "generatieve_ai"}
    assert by_id(report)["instemmingsrecht"].status == APPLIES


def test_every_report_quote_is_in_its_passage_and_possible_rights_say_what_they_depend_on(corpus_store, store):
    from eval.rights_eval import load_cases

    chunks = {r.id: r.text for r in store.records}
    for case in load_cases():
        report = rights(case.situation, corpus_store)
        for right in report.rechten + report.niet_van_toepassing:
            assert right.bronnen and right.waarom and "{" not in right.waarom + right.afhankelijk_van
            assert bool(right.afhankelijk_van) == (right.status == "mogelijk")
            for source in right.bronnen:
                assert norm(source.quote) in norm(chunks[source.chunk_id]) == norm(source.text)
        assert report.vervolgvragen == tuple(dict.fromkeys(r.vraag for r in report.rechten))


def test_each_rule_question_finds_the_rule_evidence_in_the_chat(corpus_store, engine):
    """The question a report offers for each right is one the chat answers from that right's passages."""
    table, ev = rules(corpus_store), evidence(corpus_store)
    for rule in table.rules:
        ans = engine.answer(rule.question)
        cited = {p.chunk_id for p in ans.passages}
        assert not ans.refused, rule.question
        assert cited & {s.chunk_id for s in ev.sources(rule.quotes)}, rule.question


# -------------------------------------------------------------------------------------- the table
def test_the_table_and_the_language_data_know_the_same_features(corpus_store):
    assert set(rules(corpus_store).features) == set(feature_ids())


def test_a_malformed_table_is_refused_with_the_rule_named(corpus_store):
    data = tomllib.loads(corpus_store.rights_file.read_text(encoding="utf-8"))
    data["recht"][1]["geval"][0]["een_van"] = ["bestaat_niet"]
    with pytest.raises(TableError, match="instemmingsrecht: unknown features"):
        parse_table(data)
    data = tomllib.loads(corpus_store.rights_file.read_text(encoding="utf-8"))
    data["recht"][0]["geval"][1].pop("afhankelijk_van")
    with pytest.raises(TableError, match="afhankelijk_van"):
        parse_table(data)


def test_cases_can_depend_on_the_number_of_employees(corpus_store, store):
    """The shipped table names no employee thresholds (the documents give none); the rules engine supports them."""
    data = tomllib.loads(corpus_store.rights_file.read_text(encoding="utf-8"))
    rule = next(r for r in data["recht"] if r["id"] == "overleg-zonder-or")
    rule["geval"] = [{"vertegenwoordiging": ["geen"], "werknemers_min": 10, "werknemers_max": 49,
                      "status": "van toepassing", "waarom": "Tussen 10 en 50 werknemers{omvang}."}]
    table = parse_table(data)
    ev = Evidence.build(store.records, table)

    def status(n):
        situation = resolve(Situation(kenmerken=(), vertegenwoordiging="geen", werknemers=n), table)
        return build_report(table, ev, situation).status_of("overleg-zonder-or")

    assert (status(30), status(5), status(None)) == (APPLIES, "", "")


# -------------------------------------------------------------------------------------- input errors
@pytest.mark.parametrize("data, message", [
    ([1, 2], "JSON-object"),
    ({"beschrijving": "x", "kenmerk": []}, "Onbekend veld 'kenmerk'"),
    ({"kenmerken": ["monitoring", "spionage"]}, "Onbekend kenmerk 'spionage'. Kies uit: monitoring"),
    ({"kenmerken": "monitoring"}, "lijst van namen"),
    ({"beschrijving": "x", "werknemers": -4}, "geheel getal van 0 of meer zijn (nu: -4)"),
    ({"beschrijving": "x", "werknemers": True}, "geheel getal"),
    ({"beschrijving": "x", "werknemers": "30"}, "geheel getal"),
    ({"beschrijving": "x", "vertegenwoordiging": "cor"}, "kies or, pvt of geen"),
    ({"beschrijving": "   "}, "Beschrijf het AI-systeem"),
    ({"beschrijving": 12}, "moet tekst zijn"),
    ({"beschrijving": "woord " * 1000}, "te lang"),
])
def test_bad_situations_get_a_dutch_message(corpus_store, data, message):
    with pytest.raises(SituationError) as info:
        rights(data, corpus_store)
    assert message in str(info.value)


# ------------------------------------------------------------------------------------------------ CLI
def run_cli(args, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["rechten", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_from_a_file_has_the_contract_fields(corpus_store, tmp_path, capsys):
    path = tmp_path / "situatie.json"
    path.write_text(json.dumps(WAREHOUSE), encoding="utf-8")
    code, out, err = run_cli(["--json", "--situatie", str(path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert {"rechten", "voorbehoud", "vervolgvragen", "niet_van_toepassing", "situatie"} <= set(data)
    first = data["rechten"][0]
    assert {"id", "naam", "artikel", "status", "waarom", "bronnen"} <= set(first)
    assert {"label", "text", "quote"} <= set(first["bronnen"][0])
    assert first["id"] == "instemmingsrecht"


def test_cli_reads_standard_input_and_prints_readable_dutch(corpus_store, capsys, monkeypatch):
    code, out, _ = run_cli(["--situatie", "-"], capsys, json.dumps(CUSTOMER_CHATBOT), monkeypatch)
    assert code == 0
    assert "VAN TOEPASSING" in out and "NIET VAN TOEPASSING" in out and "Voorbehoud:" in out
    assert "Instemmingsrecht van de ondernemingsraad (WOR art. 27)" in out


@pytest.mark.parametrize("stdin, message", [
    ('{"beschrijving": "x", ', "Geen geldige JSON in standaardinvoer (regel 1"),
    ('{"kenmerken": ["onbekend"]}', "Onbekend kenmerk 'onbekend'"),
    ('{"beschrijving": "een camera", "werknemers": -1}', "geheel getal van 0 of meer"),
    ("", "Standaardinvoer is leeg"),
])
def test_cli_bad_input_exits_2_with_a_dutch_message(corpus_store, capsys, monkeypatch, stdin, message):
    code, out, err = run_cli(["--json", "--situatie", "-"], capsys, stdin, monkeypatch)
    assert code == 2 and out == "" and message in err


def test_cli_missing_or_binary_file_exits_2(corpus_store, tmp_path, capsys):
    code, _, err = run_cli(["--situatie", str(tmp_path / "weg.json")], capsys)
    assert code == 2 and "Bestand niet gevonden" in err
    binary = tmp_path / "plaatje.json"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00")
    code, _, err = run_cli(["--situatie", str(binary)], capsys)
    assert code == 2 and "UTF-8" in err
    code, _, err = run_cli([], capsys)
    assert code == 2 and "--situatie" in err


def test_cli_as_a_process_with_a_description_argument(corpus_store):
    """The installed command end to end (the contract scripts use)."""
    exe = shutil.which("vraagbaak", path=str(sys.prefix) + "/bin")
    result = subprocess.run([exe, "rechten", "--json", "een", "AI-systeem", "dat", "sollicitanten", "selecteert"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    ids = {r["id"] for r in json.loads(result.stdout)["rechten"]}
    assert "ai-informeren-hoog-risico" in ids


# --------------------------------------------------------------------------- a folder with the law itself
def test_a_folder_holding_the_law_text_cites_the_article_too(isolated_settings, tmp_path):
    from ingest.pipeline import run_ingest

    folder = tmp_path / "or-map"
    folder.mkdir()
    shutil.copy(CORPUS / ADVIES, folder / ADVIES)
    # the advies keeps its corpus metadata, so its passages (and their embeddings) are the cached ones
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({ADVIES: manifest[ADVIES]}), encoding="utf-8")
    (folder / "wor.md").write_text(
        "# Wet op de ondernemingsraden\n\n## Artikel 26\n\nDe ondernemingsraad kan beroep instellen.\n\n"
        "## Artikel 27\n\nDe ondernemer behoeft de instemming van de ondernemingsraad voor elk door hem voorgenomen "
        "besluit tot vaststelling, wijziging of intrekking van een regeling.\n", encoding="utf-8")
    run_ingest([folder], isolated_settings, progress=False, log=lambda *_: None)
    report = rights({"kenmerken": ["monitoring"], "vertegenwoordiging": "or"}, isolated_settings)
    articles = [b for b in by_id(report)["instemmingsrecht"].bronnen if b.soort == "artikel"]
    assert len(articles) == 1 and "artikel 27" in articles[0].label.lower()
    assert articles[0].quote.startswith("De ondernemer behoeft de instemming")
    assert not [b for r in report.rechten if r.id == "informatierecht" for b in r.bronnen if b.soort == "artikel"]


def test_law_articles_are_matched_by_number_not_by_prefix(corpus_store, store):
    record = next(r for r in store.records if r.doc_id == ADVIES.removesuffix(".md"))
    law = [replace(record, doc_title="Wet op de ondernemingsraden", label=f"WOR — Artikel {n}", id=f"w{n}",
                   text=f"Tekst van artikel {n} met genoeg woorden erin.") for n in ("250", "25a", "25")]
    found = law_articles(law, ("Wet op de ondernemingsraden",), ("25",))
    assert [b.chunk_id for b in found] == ["w25"]
    assert law_articles(law, ("Uitvoeringswet",), ("25",)) == []


# ------------------------------------------------------------------------------------------------ eval
def test_rights_eval_every_situation_passes(corpus_store):
    from eval.rights_eval import format_summary, load_cases, run_rights_eval

    cases = load_cases()
    assert len(cases) >= 12 and {"dev", "test"} == {c.split for c in cases}
    summary = run_rights_eval(corpus_store, cases)
    ok, total = summary.passed()
    assert ok == total, format_summary(summary)
    assert summary.feature_recall() >= 0.9
