"""The README's table of phrasing families says what the parser reads: every row is checked."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicator_tree import rules_for

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TABLE = README.split("<!-- phrasings -->")[1].split("<!-- /phrasings -->")[0]
ROWS = [tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in TABLE.strip().splitlines()[2:]]


def read_as(text: str) -> str:
    rules = rules_for(text, year=2024)
    if not rules:
        return "（不评材料）"
    if rules[0].source == "default":
        return f"未识别的要求：{rules[0].describe()}"
    return "；".join(rule.describe() for rule in rules)


def test_the_table_has_every_family():
    assert len(ROWS) >= 40
    assert all(len(row) == 3 for row in ROWS)
    assert any(re.search("[開張於]", example) for _, example, _ in ROWS)  # traditional script


@pytest.mark.parametrize("family, example, expected", ROWS, ids=[row[1] for row in ROWS])
def test_each_example_is_read_as_the_readme_says(family, example, expected):
    assert read_as(example) == expected
