"""Which years an export covers: ``--years 2018-2020`` against a several-years archive's labels
(``2018年``) or, in a single archive, against the evidence dates. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Sequence

from ..errors import UsageError
from .catalog import Catalogue, label_year, years_label

_HINT = "写成 --years 2018-2020、--years 2019 或 --years 2018,2020。"


def parse_years(text: str) -> frozenset[int]:
    """``2018-2020`` (also ``2018—2020``, ``2018至2020``), ``2019``, ``2018,2020`` -> years."""
    norm = unicodedata.normalize("NFKC", text).replace("年", "").strip()
    out: set[int] = set()
    for part in re.split(r"[,，、\s]+", norm):
        if not part:
            continue
        bounds = re.fullmatch(r"(\d{4})\s*(?:-|—|–|~|至|到)\s*(\d{4})", part)
        if bounds:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            if high < low:
                raise UsageError(f"年份范围 {text} 的结束早于开始", hint=_HINT)
            out.update(range(low, high + 1))
        elif re.fullmatch(r"\d{4}", part):
            out.add(int(part))
        else:
            raise UsageError(f"年份无法识别：{text}", hint=_HINT)
    if not out:
        raise UsageError(f"年份无法识别：{text!r}", hint=_HINT)
    return frozenset(out)


def select_labels(labels: Sequence[str], wanted: frozenset[int] | None) -> tuple[str, ...]:
    """The year archives whose name falls in ``wanted`` (all when None); UsageError for none."""
    if wanted is None:
        return tuple(labels)
    chosen = tuple(label for label in labels if label_year(label) in wanted)
    if not chosen:
        asked = years_label(f"{y}年" for y in sorted(wanted))
        raise UsageError(f"档案中没有 {asked} 的年度（现有：{'、'.join(labels)}）",
                         hint=_HINT)
    return chosen


def by_date(catalogue: Catalogue, wanted: frozenset[int] | None) -> Catalogue:
    """A single archive's catalogue cut to the files dated in ``wanted`` (files without a date
    are kept only when no years are asked for)."""
    if wanted is None:
        return catalogue
    volumes = []
    for volume in catalogue.volumes:
        kept = [e for e in volume.entries if e.date is not None and e.date.year in wanted]
        if kept:
            volumes.append(replace(volume, entries=[replace(e, no=n)
                                                    for n, e in enumerate(kept, 1)]))
    return replace(catalogue, volumes=volumes)
