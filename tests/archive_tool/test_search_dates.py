"""Date filters over many dated records: every range finds exactly the records inside it."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from archive_tool.search import search, update_index

from .test_search_index import doc, make_config

START = date(1995, 1, 1)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    rng = random.Random(7)
    days = sorted({START + timedelta(days=rng.randrange(40 * 365)) for _ in range(150)})
    config = make_config(tmp_path_factory.mktemp("dates"))
    update_index(config, [doc(f"I-1/II-1/{i:03d}：记录.txt", "活动记录", day=d)
                          for i, d in enumerate(days)])
    return config, days


def _found(config, **kw) -> list[date]:
    return sorted(date.fromisoformat(h.date) for h in search(config, "", limit=None, **kw).hits)


def test_ranges_find_exactly_the_days_inside(dated):
    config, days = dated
    rng = random.Random(3)
    for _ in range(40):
        a, b = sorted(rng.sample(days, 2))
        assert _found(config, date_from=a, date_to=b) == [d for d in days if a <= d <= b]
    for bound in rng.sample(days, 10):
        assert _found(config, date_to=bound) == [d for d in days if d <= bound], bound
        assert _found(config, date_from=bound) == [d for d in days if d >= bound], bound


def test_to_a_year_alone(dated):
    config, days = dated
    assert _found(config, date_to="2010") == [d for d in days if d.year <= 2010]
