"""The situation a works council describes: parsed and checked (Dutch messages), then completed from its
description by the language package (features, representation, number of employees)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nl.situation import FeatureHit, infer_employees, infer_features, infer_representation
from rag.rightsguide.table import REPRESENTATIONS, RulesTable

FIELDS = ("beschrijving", "kenmerken", "vertegenwoordiging", "werknemers")
EXAMPLE = ('{"beschrijving": "een systeem dat bijhoudt hoe snel medewerkers orders verzamelen", '
           '"kenmerken": ["monitoring"], "vertegenwoordiging": "or", "werknemers": 120}')
DEFAULT_REPRESENTATION = "or"


class SituationError(ValueError):
    """Input that does not describe a situation; the message is Dutch and says how to fix it."""


@dataclass(frozen=True)
class Situation:
    """What the user gave: a description and/or features (``None``: read them from the description), the
    representation (``or``, ``pvt``, ``geen``) and the number of employees, when known."""

    beschrijving: str = ""
    kenmerken: tuple[str, ...] | None = None
    vertegenwoordiging: str | None = None
    werknemers: int | None = None

    @classmethod
    def from_json(cls, data: object, table: RulesTable, max_chars: int) -> "Situation":
        """A situation from its JSON object; raises ``SituationError`` with a Dutch message."""
        if isinstance(data, Situation):
            data = {"beschrijving": data.beschrijving, "kenmerken": data.kenmerken,
                    "vertegenwoordiging": data.vertegenwoordiging, "werknemers": data.werknemers}
        if not isinstance(data, dict):
            raise SituationError(f"De situatie moet een JSON-object zijn, bijvoorbeeld {EXAMPLE}")
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise SituationError(f"Onbekend veld {', '.join(repr(u) for u in unknown)}. "
                                 f"Gebruik {', '.join(FIELDS)}.")
        description = data.get("beschrijving") or ""
        if not isinstance(description, str):
            raise SituationError("'beschrijving' moet tekst zijn.")
        if len(description) > max_chars:
            raise SituationError(f"De beschrijving is te lang ({len(description)} tekens); houd het bij "
                                 f"{max_chars} tekens.")
        features = data.get("kenmerken")
        if features is not None:
            if not isinstance(features, (list, tuple)) or not all(isinstance(f, str) for f in features):
                raise SituationError("'kenmerken' moet een lijst van namen zijn, bijvoorbeeld [\"monitoring\"].")
            wrong = [f for f in features if f not in table.features]
            if wrong:
                raise SituationError(f"Onbekend kenmerk {', '.join(repr(w) for w in wrong)}. Kies uit: "
                                     f"{', '.join(table.features)}.")
            features = tuple(f for f in table.features if f in features)
        representation = data.get("vertegenwoordiging")
        if representation is not None and representation not in REPRESENTATIONS:
            raise SituationError(f"Onbekende vertegenwoordiging {representation!r}: kies "
                                 f"{', '.join(REPRESENTATIONS[:-1])} of {REPRESENTATIONS[-1]}.")
        employees = data.get("werknemers")
        if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int)
                                      or employees < 0):
            raise SituationError(f"'werknemers' moet een geheel getal van 0 of meer zijn (nu: {employees!r}).")
        if not description.strip() and features is None:
            raise SituationError("Beschrijf het AI-systeem ('beschrijving') of geef de kenmerken ('kenmerken').")
        return cls(" ".join(description.split()), features, representation, employees)


@dataclass(frozen=True)
class ResolvedSituation:
    """The situation the rules are applied to: the features used, those read from the description (with the
    words that signalled them), and which values were assumed rather than given or read."""

    beschrijving: str
    kenmerken: tuple[str, ...]
    afgeleid: tuple[FeatureHit, ...]
    vertegenwoordiging: str
    werknemers: int | None
    aangenomen: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {"beschrijving": self.beschrijving, "kenmerken": list(self.kenmerken),
                "afgeleid": [{"kenmerk": h.feature, "woorden": list(h.words)} for h in self.afgeleid],
                "vertegenwoordiging": self.vertegenwoordiging, "werknemers": self.werknemers,
                "aangenomen": list(self.aangenomen)}


def resolve(situation: Situation, table: RulesTable) -> ResolvedSituation:
    """Complete a situation from its description: given features win over the ones read (the user may have
    changed them); an unknown representation is assumed to be an OR."""
    hits = tuple(h for h in infer_features(situation.beschrijving) if h.feature in table.features)
    features = situation.kenmerken if situation.kenmerken is not None else tuple(h.feature for h in hits)
    assumed = []
    representation = situation.vertegenwoordiging or infer_representation(situation.beschrijving)
    if representation is None:
        representation = DEFAULT_REPRESENTATION
        assumed.append("vertegenwoordiging")
    employees = situation.werknemers if situation.werknemers is not None else infer_employees(situation.beschrijving)
    return ResolvedSituation(situation.beschrijving, features, hits, representation, employees, tuple(assumed))
