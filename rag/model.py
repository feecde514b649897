"""The fitted answer-selection and refusal models, applied with plain numpy.

Their weights live in a parameters file written by ``python -m eval.fit`` (fitted on the dev split only, with
its provenance: which questions, which date, which commit); ``rag/params/answering.json`` ships with the code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_PARAMS = Path(__file__).resolve().parent / "params" / "answering.json"


@dataclass(frozen=True)
class LinearModel:
    """A standardised linear model: ``logit = ((x - mean) / scale) · weights + bias``."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        n = len(data["features"])
        return cls(tuple(data["features"]), np.asarray(data.get("mean", [0.0] * n), dtype=np.float64),
                   np.asarray(data.get("scale", [1.0] * n), dtype=np.float64),
                   np.asarray(data["weights"], dtype=np.float64), float(data["bias"]))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "weights": self.weights.round(6).tolist(),
                "bias": round(self.bias, 6)}

    def columns(self, names: tuple[str, ...]) -> list[int]:
        return [names.index(f) for f in self.features]

    def logits(self, x: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        """Logits for the rows of ``x``, whose columns are ``names`` (a superset of the model's features)."""
        if x.shape[0] == 0:
            return np.zeros(0)
        cols = x[:, self.columns(names)].astype(np.float64)
        return ((cols - self.mean) / self.scale) @ self.weights + self.bias


@dataclass(frozen=True)
class Selection:
    """How many candidates an answer takes: the best one, then others within ``margin`` logits of it that add
    at least ``min_gain`` of the question's idf mass, or an asked answer type the chosen ones lack."""

    margin: float = 1.0
    min_gain: float = 0.15
    max_sentences: int = 3
    distinct_passages: bool = False  # each further candidate from a passage not cited yet


@dataclass(frozen=True)
class AnswerParams:
    sentence: LinearModel
    refusal: LinearModel
    refusal_threshold: float  # refuse when P(unanswerable) is at least this
    selection: Selection
    evidence_weight: float
    provenance: dict = field(default_factory=dict)
    # answer, but say first that the documents do not state it in so many words, from this P(unanswerable) on
    caveat_threshold: float = 1.0

    @classmethod
    def from_json(cls, data: dict) -> "AnswerParams":
        return cls(LinearModel.from_json(data["sentence"]), LinearModel.from_json(data["refusal"]),
                   float(data["refusal_threshold"]), Selection(**data.get("selection", {})),
                   float(data.get("evidence_weight", 0.5)), dict(data.get("provenance", {})),
                   float(data.get("caveat_threshold", 1.0)))

    def to_json(self) -> dict:
        s = self.selection
        return {"provenance": self.provenance, "sentence": self.sentence.to_json(), "refusal": self.refusal.to_json(),
                "refusal_threshold": round(self.refusal_threshold, 6),
                "caveat_threshold": round(self.caveat_threshold, 6),
                "selection": {"margin": s.margin, "min_gain": s.min_gain, "max_sentences": s.max_sentences,
                              "distinct_passages": s.distinct_passages},
                "evidence_weight": self.evidence_weight}


@functools.lru_cache(maxsize=8)
def load_params(path: str | None = None) -> AnswerParams:
    """The parameters file at ``path`` (default: the shipped one)."""
    return AnswerParams.from_json(json.loads(Path(path or DEFAULT_PARAMS).read_text(encoding="utf-8")))


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))
