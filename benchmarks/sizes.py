"""One benchmark run over several archive sizes: the figures of each size side by side and the
ratio of the largest to the smallest (how a cost grows with the archive).

    --sizes 10000 40000      (the default: one year's archive and three years')

A figure is the median of its runs; the table says how many runs it took.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

SIZES = (10000, 40000)


def arguments(doc: str):
    """A benchmark's argument parser (its description the first paragraph of ``doc``), with
    ``--sizes``."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES),
                        help="archive sizes (files) to run on, smallest first")
    return parser


def run_sizes(figures: "Figures", sizes, measure) -> None:
    """``measure(size)`` for each size, then the table of ``figures``."""
    for size in sizes:
        measure(size)
    print()
    print(figures.table())


@dataclass
class Figures:
    """Figures by name and size, printed as a table."""

    title: str
    rows: dict[str, dict[int, float]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=dict)

    def add(self, size: int, name: str, values, unit: str = "s", target: str = "") -> float:
        """Record the median of ``values`` (a number or a list of runs); return it."""
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        value = statistics.median(values)
        self.rows.setdefault(name, {})[size] = value
        self.units[name] = unit
        self.runs[name] = len(values)
        if target:
            self.targets[name] = target
        return value

    def table(self) -> str:
        sizes = sorted({s for row in self.rows.values() for s in row})
        head = f"{'':40}" + "".join(f"{f'{s // 1000}k' if s >= 1000 else s:>11}" for s in sizes)
        ratio = len(sizes) > 1
        lines = [f"== {self.title}", head + (f"{f'{sizes[-1] // 1000}k/{sizes[0] // 1000}k':>9}"
                                               if ratio else "") + "  runs  target"]
        for name, row in self.rows.items():
            unit = self.units[name]
            cells = "".join(f"{_fmt(row.get(s), unit):>11}" for s in sizes)
            r = ""
            if ratio:
                lo, hi = row.get(sizes[0]), row.get(sizes[-1])
                r = f"{hi / lo:8.2f}x" if lo and hi is not None else f"{'':9}"
            lines.append(f"{name:40}{cells}{r}  {self.runs[name]:>4}  {self.targets.get(name, '')}")
        return "\n".join(lines)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "%":
        return f"{value:.1f} %"
    if unit in ("MB", "KB"):
        return f"{value:.1f} {unit}"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
