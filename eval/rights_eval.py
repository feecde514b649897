"""Scoring the Rechtenwijzer on situations with expected rights (``eval/rights/situations.jsonl``).

A situation passes when every right it expects "van toepassing" is in the report with that status, no right it
excludes is in the report as applying or possibly applying, and the representation and number of employees
it expects were read from the description. The features read from each description are scored too
(recall and precision against the expected ones), for information.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rag.rightsguide.report import RightsReport
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE

SITUATIONS = Path(__file__).resolve().parent / "rights" / "situations.jsonl"


@dataclass(frozen=True)
class RightsCase:
    id: str
    split: str
    situation: dict
    features: tuple[str, ...]
    applies: tuple[str, ...]
    excluded: tuple[str, ...]
    representation: str | None = None
    employees: int | None = None


@dataclass(frozen=True)
class CaseScore:
    case: RightsCase
    missing: tuple[str, ...]  # expected "van toepassing", not so in the report
    wrongly_present: tuple[str, ...]  # excluded, yet (possibly) applying in the report
    features_found: tuple[str, ...]
    features_missing: tuple[str, ...]
    features_extra: tuple[str, ...]
    representation_ok: bool = True
    employees_ok: bool = True

    @property
    def passed(self) -> bool:
        return not self.missing and not self.wrongly_present and self.representation_ok and self.employees_ok


@dataclass
class Summary:
    scores: list[CaseScore] = field(default_factory=list)

    def split(self, name: str) -> list[CaseScore]:
        return [s for s in self.scores if name in ("all", s.case.split)]

    def passed(self, name: str = "all") -> tuple[int, int]:
        scores = self.split(name)
        return sum(s.passed for s in scores), len(scores)

    def feature_recall(self, name: str = "all") -> float:
        scores = [s for s in self.split(name) if "beschrijving" in s.case.situation]
        expected = sum(len(s.case.features) for s in scores)
        return sum(len(s.features_found) for s in scores) / expected if expected else 1.0

    def feature_precision(self, name: str = "all") -> float:
        scores = [s for s in self.split(name) if "beschrijving" in s.case.situation]
        read = sum(len(s.features_found) + len(s.features_extra) for s in scores)
        return sum(len(s.features_found) for s in scores) / read if read else 1.0


def load_cases(path: Path = SITUATIONS) -> list[RightsCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        cases.append(RightsCase(d["id"], d["split"], d["situatie"], tuple(d.get("kenmerken", ())),
                                tuple(d["van_toepassing"]), tuple(d.get("uitgesloten", ())),
                                d.get("vertegenwoordiging"), d.get("werknemers")))
    return cases


def score(case: RightsCase, report: RightsReport) -> CaseScore:
    """How a report meets a situation's expectations (pure)."""
    status = {r.id: r.status for r in report.rechten + report.niet_van_toepassing}
    read = {h.feature for h in report.situatie.afgeleid}
    expected = case.features if case.situation.get("beschrijving") else ()
    return CaseScore(
        case,
        missing=tuple(r for r in case.applies if status.get(r) != APPLIES),
        wrongly_present=tuple(r for r in case.excluded if status.get(r, NOT_APPLICABLE) != NOT_APPLICABLE),
        features_found=tuple(f for f in expected if f in read),
        features_missing=tuple(f for f in expected if f not in read),
        features_extra=tuple(sorted(read - set(expected))),
        representation_ok=case.representation is None or report.situatie.vertegenwoordiging == case.representation,
        employees_ok=case.employees is None or report.situatie.werknemers == case.employees,
    )


def run_rights_eval(settings, cases: list[RightsCase] | None = None) -> Summary:
    """Every situation through the real Rechtenwijzer (rules table, language data, index)."""
    from rag.rightsguide import rights

    return Summary([score(c, rights(c.situation, settings)) for c in (cases or load_cases())])


def format_summary(summary: Summary) -> str:
    lines = ["Rechtenwijzer: situaties met verwachte rechten", ""]
    for s in summary.scores:
        mark = "ok  " if s.passed else "FOUT"
        detail = []
        if s.missing:
            detail.append(f"ontbreekt: {', '.join(s.missing)}")
        if s.wrongly_present:
            detail.append(f"ten onrechte: {', '.join(s.wrongly_present)}")
        if not s.representation_ok:
            detail.append("vertegenwoordiging niet herkend")
        if not s.employees_ok:
            detail.append("aantal werknemers niet herkend")
        if s.features_missing:
            detail.append(f"kenmerken gemist: {', '.join(s.features_missing)}")
        lines.append(f"{mark} {s.case.split:4} {s.case.id:32} {'; '.join(detail)}")
    lines.append("")
    for name in ("dev", "test", "all"):
        ok, n = summary.passed(name)
        lines.append(f"{name:4}: {ok}/{n} situaties goed; kenmerken recall {summary.feature_recall(name):.3f}, "
                     f"precisie {summary.feature_precision(name):.3f}")
    return "\n".join(lines)


def run_rights_eval_cli(args, settings) -> int:
    summary = run_rights_eval(settings)
    if getattr(args, "json", False):
        print(json.dumps({name: {"passed": summary.passed(name)[0], "total": summary.passed(name)[1],
                                 "feature_recall": round(summary.feature_recall(name), 4),
                                 "feature_precision": round(summary.feature_precision(name), 4)}
                          for name in ("dev", "test", "all")}, ensure_ascii=False))
    else:
        print(format_summary(summary))
    ok, n = summary.passed()
    return 0 if ok == n or not getattr(args, "gate", False) else 1


if __name__ == "__main__":
    from vraagbaak.settings import load_settings

    sys.exit(run_rights_eval_cli(None, load_settings()))
