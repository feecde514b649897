"""Architecture rules (issue 11): language knowledge lives once, in nl/; corpus knowledge beside the corpus;
the dependency arrows point one way (ingest → index_store ← rag ← ui / eval); no corpus facts in code."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from vraagbaak.settings import REPO_ROOT

PRODUCTION = ("nl", "ingest", "index_store", "rag", "ui", "vraagbaak")
# Who may import whom (besides itself). vraagbaak is the CLI dispatcher and may start any part.
ALLOWED = {
    "nl": set(),
    "index_store": {"nl"},
    "ingest": {"nl", "index_store", "vraagbaak"},
    "rag": {"nl", "index_store", "vraagbaak"},
    "ui": {"nl", "index_store", "rag", "vraagbaak", "ingest"},
}
# Words the issue names as corpus literals that must not appear in code.
NAMED_LITERALS = ["philips", "utrecht", "mckinsey", "acemoglu", "piersma", "houweling", "dare to be aware"]


def code_files(packages=PRODUCTION) -> list[Path]:
    return sorted(p for pkg in packages for p in (REPO_ROOT / pkg).rglob("*.py"))


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependency_arrows_point_one_way(package):
    own = {"nl", "ingest", "index_store", "rag", "ui", "vraagbaak", "eval", "bench"}
    bad = {}
    for path in code_files((package,)):
        wrong = (imported_packages(path) & own) - ALLOWED[package] - {package}
        if wrong:
            bad[str(path.relative_to(REPO_ROOT))] = sorted(wrong)
    assert not bad, bad


def test_production_code_never_imports_eval_except_the_cli_dispatcher():
    offenders = [str(p.relative_to(REPO_ROOT)) for p in code_files()
                 if "eval" in imported_packages(p) and p != REPO_ROOT / "vraagbaak" / "cli.py"]
    assert not offenders


def corpus_literals() -> list[str]:
    """Names of people and documents of the default corpus: what code must not know."""
    corpus = REPO_ROOT / "corpus"
    names: set[str] = set(NAMED_LITERALS)
    person = re.compile(r"\b(?:[Mm]evrouw|de heer|[Dd]hr\.?|[Mm]w\.?|[Pp]rof\.?|[Dd]r\.?)\s+((?:van |de |ter |den )?"
                        r"[A-Z][a-zà-ÿ'-]{2,})")
    for f in corpus.glob("*.*"):
        if f.suffix in (".txt", ".md"):
            names |= {m.group(1).lower() for m in person.finditer(f.read_text(encoding="utf-8"))}
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest.values():
        names |= {entry["citation"].lower(), entry["title"].lower()}
    with open(corpus / "domain.toml", "rb") as fh:
        domain = tomllib.load(fh)
    names |= {a.lower() for aliases in domain.get("aliases", {}).values() for a in aliases if " " in a}
    names |= {e["add"].lower() for e in domain.get("expansion", []) if len(e["add"].split()) >= 3}
    from wordfreq import zipf_frequency

    # a surname that is also a common Dutch word ("Hamer") is only a literal with its title
    return sorted(n for n in names if " " in n or zipf_frequency(n, "nl") < 3.0)


def test_the_corpus_literal_check_finds_names():
    literals = corpus_literals()
    assert len(literals) > 10 and "dare to be aware" in literals


def test_no_corpus_literals_in_code():
    literals = corpus_literals()
    hits = {}
    for path in code_files():
        text = path.read_text(encoding="utf-8").lower()
        found = [n for n in literals if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", text)]
        if found:
            hits[str(path.relative_to(REPO_ROOT))] = found
    assert not hits, hits


def _files_with_all(words: list[str], paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8").lower()
        if all(re.search(rf"\b{w}\b", text) for w in words):
            out.append(str(path.relative_to(REPO_ROOT)))
    return out


def _all_sources() -> list[Path]:
    built = REPO_ROOT / "index_store" / "data"  # the default index (generated, not source)
    data = [p for pkg in PRODUCTION for p in (REPO_ROOT / pkg).rglob("*")
            if p.suffix in (".toml", ".txt", ".json") and built not in p.parents]
    return code_files() + data


def test_month_names_are_defined_once():
    assert _files_with_all(["januari", "februari", "maart", "oktober"], _all_sources()) == ["nl/data/months.toml"]


def test_number_words_are_defined_once():
    assert _files_with_all(["twee", "drie", "vier", "vijf", "zeven"], _all_sources()) == ["nl/data/numbers.toml"]


def test_superscript_digits_are_defined_once():
    holders = [str(p.relative_to(REPO_ROOT)) for p in code_files() if "⁰¹²³" in p.read_text(encoding="utf-8")]
    assert holders == ["nl/footnotes.py"]


def dutch_word_lists(path: Path) -> list[int]:
    """Line numbers of literal lists, sets or tuples of six or more strings that are mostly Dutch words."""
    from wordfreq import zipf_frequency

    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.List, ast.Set, ast.Tuple)) and len(node.elts) >= 6:
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            dutch = [w for w in strings if re.fullmatch(r"[a-zà-ÿ]{3,}", w)
                     and zipf_frequency(w, "nl") >= 3.0 and zipf_frequency(w, "nl") > zipf_frequency(w, "en")]
            if len(dutch) >= 6:
                out.append(node.lineno)
    return out


def test_no_dutch_word_lists_in_code_outside_the_language_package():
    offenders = {str(p.relative_to(REPO_ROOT)): lines for p in code_files(("ingest", "index_store", "rag", "ui"))
                 if (lines := dutch_word_lists(p))}
    assert not offenders, offenders


def test_the_word_list_check_can_fail(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('WORDS = ["werkgever", "werknemer", "vergadering", "bijeenkomst", "advies", "wetgeving"]\n')
    assert dutch_word_lists(sample) == [1]
