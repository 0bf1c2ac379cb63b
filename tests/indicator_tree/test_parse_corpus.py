"""The parse corpus (parse_corpus.yaml): every phrasing read as an inspector reads it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import indicator_tree as it
from indicator_tree import rules_for

_spec = importlib.util.spec_from_file_location("parse_corpus",
                                               Path(__file__).with_name("parse_corpus.py"))
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
ENTRIES = corpus.load()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_every_phrasing_is_read_as_expected(entry):
    assert corpus.mismatch(entry, rules_for) is None, corpus.mismatch(entry, rules_for)


def test_the_corpus_is_large_and_every_entry_states_each_field():
    assert len(ENTRIES) >= 150
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        assert entry["expect"] == "default" or isinstance(entry["expect"], list), entry["id"]
        for rule in corpus.expected(entry):
            assert all(key in rule for key in corpus.REQUIRED), entry["id"]
    groups = {corpus.group(e) for e in ENTRIES}
    assert groups == {"seeds", "own"}
    assert sum(1 for e in ENTRIES if e["id"].startswith("seed-004")) >= 15


@pytest.mark.parametrize("tree_id", ["linyi-2018", "zhoushan-2020", "yimeng-2021"])
def test_every_requirement_of_the_shipped_trees_is_in_the_corpus(tree_id):
    tree = it.load_shipped(tree_id)
    written = {(e["text"], e.get("note", ""), e.get("year")) for e in ENTRIES}
    for ind in tree.walk():
        for req in ind.requirements:
            assert (req.text, req.note, tree.window_start.year) in written, (ind.id, req.text)


def test_a_mismatch_is_reported():
    """The comparison can fail: a reading that differs in one field is a mismatch."""
    entry = {"id": "x", "text": "每月至少开展一次活动", "year": 2024,
             "expect": [{"kind": "any", "min": 2, "period": "month", "words": None,
                         "deadline": None}]}
    assert corpus.mismatch(entry, rules_for)
    entry["expect"][0]["min"] = 1
    assert corpus.mismatch(entry, rules_for) is None
