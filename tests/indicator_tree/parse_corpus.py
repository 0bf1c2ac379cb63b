"""The parse corpus (``parse_corpus.yaml``): requirement phrasings with the rules an inspector
reads from them. ``test_parse_corpus.py`` and ``benchmarks/parse_rate.py`` use this module.

An entry: ``id`` (where it comes from: a shipped tree's indicator and requirement number,
``seed-004 …`` or ``own …``), ``text``, optional ``note`` and ``year`` (default 2024), and
``expect``: ``default`` (nothing can be read: the default rule), ``[]`` (the unit files nothing)
or the rules, each with ``kind``, ``min``, ``period``, ``words`` and ``deadline`` always, and
``each``, ``cutoffs``, ``caption`` and ``source`` where they matter.
"""
from __future__ import annotations

from pathlib import Path

import yaml

CORPUS = Path(__file__).with_name("parse_corpus.yaml")
DEFAULT_YEAR = 2024
REQUIRED = ("kind", "min", "period", "words", "deadline")
_DEFAULT = {"kind": "any", "min": 1, "period": "window", "words": None, "deadline": None,
            "source": "default"}


def load(path: Path = CORPUS) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def group(entry: dict) -> str:
    """``seeds`` (the shipped trees and seed 004) or ``own``."""
    return "own" if entry["id"].startswith("own") else "seeds"


def _key(rule: dict, caption: bool) -> tuple:
    words = rule.get("words")
    return (rule["kind"], rule["min"], rule["period"], tuple(words) if words else None,
            str(rule["deadline"]) if rule.get("deadline") else None, rule.get("each"),
            tuple(str(d) for d in rule.get("cutoffs") or ()), rule.get("source", "parsed"),
            rule.get("caption") if caption else None)


def _actual(rule, caption: bool) -> tuple:
    return _key({"kind": rule.kind, "min": rule.min_count, "period": rule.period,
                 "words": rule.words, "deadline": rule.deadline,
                 "each": getattr(rule, "each", None), "cutoffs": getattr(rule, "cutoffs", ()),
                 "source": rule.source, "caption": rule.caption_required}, caption)


def expected(entry: dict) -> list[dict]:
    return [_DEFAULT] if entry["expect"] == "default" else list(entry["expect"])


def mismatch(entry: dict, rules_for) -> str | None:
    """None when ``rules_for`` reads the entry as expected, else what differs."""
    left = list(rules_for(entry["text"], entry.get("note", ""), entry.get("year", DEFAULT_YEAR)))
    missing = []
    for want in expected(entry):
        caption = "caption" in want
        hit = next((g for g in left if _actual(g, caption) == _key(want, caption)), None)
        if hit is None:
            missing.append(want)
        else:
            left.remove(hit)
    if not missing and not left:
        return None
    return f"not read: {missing}; read instead: {[(r.describe(), r.source) for r in left]}"
