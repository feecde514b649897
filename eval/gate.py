"""The CI gate: compare aggregate metrics with the thresholds in ``eval/thresholds.toml``."""

from __future__ import annotations

import tomllib
from pathlib import Path

from vraagbaak.settings import REPO_ROOT

THRESHOLDS = REPO_ROOT / "eval" / "thresholds.toml"
# The split the gate judges: the questions nobody tuned on.
GATE_SPLIT = "test"


def load_thresholds(path: Path = THRESHOLDS) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def check_gate(aggregate: dict, thresholds: dict) -> list[str]:
    """Human-readable failures; empty when every metric meets its threshold."""
    failures = []
    for key, limit in thresholds.get("min", {}).items():
        value = aggregate.get(key)
        if value is None:
            failures.append(f"{key} ontbreekt in de resultaten (drempel ≥ {limit})")
        elif value < limit:
            failures.append(f"{key} = {value:.3f} < {limit} (tekort {limit - value:.3f})")
    for key, limit in thresholds.get("max", {}).items():
        value = aggregate.get(key)
        if value is None:
            failures.append(f"{key} ontbreekt in de resultaten (drempel ≤ {limit})")
        elif value > limit:
            failures.append(f"{key} = {value:.3f} > {limit} (te hoog met {value - limit:.3f})")
    return failures
