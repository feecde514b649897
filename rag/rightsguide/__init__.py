"""The Rechtenwijzer: a works council describes a planned AI system and gets the rights and duties that may
apply, each with the sentences of the indexed documents that state it.

``rights(situation, settings) -> RightsReport``. The rules are data (``corpus/rights.toml``, see
``rag.rightsguide.table``); the words that signal a feature in a description are language data
(``nl/data/situation_features.toml``); the evidence is looked up in the index (``rag.rightsguide.evidence``).
"""

from __future__ import annotations

from rag.rightsguide.evidence import Bron, Evidence, evidence_for
from rag.rightsguide.report import Recht, RightsReport, build_report
from rag.rightsguide.situation import Situation, SituationError, resolve
from rag.rightsguide.table import RulesTable, load_table
from vraagbaak.settings import Settings


def rules(settings: Settings) -> RulesTable:
    """The rules table the settings name."""
    return load_table(settings.rights_file)


def evidence(settings: Settings) -> Evidence:
    """The evidence of the rules in the active index build (raises ``StoreError`` without an index)."""
    from rag.engine import get_engine

    return evidence_for(get_engine(settings).ensure_store(), rules(settings))


def rights(situation: Situation | dict, settings: Settings) -> RightsReport:
    """The report for a situation (a ``Situation`` or its JSON object); raises ``SituationError`` (Dutch) for
    input that does not describe one."""
    table = rules(settings)
    parsed = Situation.from_json(situation, table, settings.rights_max_description_chars)
    return build_report(table, evidence(settings), resolve(parsed, table))


__all__ = ["Bron", "Recht", "RightsReport", "Situation", "SituationError", "rights", "rules", "evidence"]
