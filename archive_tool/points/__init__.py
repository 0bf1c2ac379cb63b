"""The points ledger (积分制) of seed 000, from the archive's sign-in sheets.

The pieces:

- :mod:`.ruleset`: the points rules as data (``rules/linyi-2018.yaml`` ships; a unit may write
  its own), validated at load;
- :mod:`.roster`: departments with headcounts and the staff roster, ``.archive/points.yaml``,
  imported from Word/Excel tables by :mod:`.roster_import`;
- :mod:`.signin` and :mod:`.derive`: participation read from the sign-in sheets scan finds
  (:mod:`.signin_ocr`: scanned and photographed ones, by OCR);
- :mod:`.ledger`: derived entries plus stored ones (hand entries, imported rows from
  :mod:`.ledger_import`, corrections), append-only;
- :mod:`.bulletin`: the quarterly or annual ranking; renderers :mod:`.report_text`,
  :mod:`.report_xlsx`, :mod:`.report_docx`.

This module is the door the front ends use. Nothing here prints or exits.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..config import ArchiveConfig
from ..errors import UsageError
from .bulletin import Bulletin, Span, build_bulletin, quarter_span, year_span
from .entries import ISSUES, Entry, Issue
from .ledger import Ledger, collect, hand_entry, record, reversal
from .ledger_import import ImportResult, import_ledger
from .roster import LEDGER_FILE, POINTS_FILE, PointsSetup, load_points
from .roster_import import InitResult, init_points
from .ruleset import RuleSet, load_rules, shipped_rules

__all__ = ["Bulletin", "Entry", "ISSUES", "ImportResult", "InitResult", "Issue", "LEDGER_FILE",
           "Ledger", "POINTS_FILE", "PointsSetup", "RuleSet", "Span", "add_points",
           "correct_points", "default_rules", "evidence_path", "import_ledger", "init_points",
           "load_points", "load_rules", "points_ledger", "points_report", "quarter_span",
           "shipped_rules", "year_span"]


def default_rules(config: ArchiveConfig) -> str:
    """The shipped rules named like the archive's tree (linyi-2018), else a UsageError."""
    if config.tree.id in shipped_rules():
        return config.tree.id
    raise UsageError(f"没有与指标体系「{config.tree.id}」同名的内置积分规则",
                     f"用 --rules 指定：内置的有 {', '.join(shipped_rules())}，"
                     "或放在 .archive/ 中的自己的规则文件名。")


def points_ledger(config: ArchiveConfig, progress=None) -> tuple[PointsSetup, Ledger]:
    """The archive's points setup and its whole ledger (the archive is scanned for sheets)."""
    from ..scan import scan

    setup = load_points(config.root)
    result = scan(config.root, config=config, progress=progress)
    return setup, collect(setup, result.evidence)


def points_report(config: ArchiveConfig, span: Span, progress=None) -> Bulletin:
    """The bulletin of ``span`` (a quarter or a year)."""
    setup, ledger = points_ledger(config, progress)
    return build_bulletin(setup, ledger, span, config.unit)


def evidence_path(root: Path, path: str | os.PathLike) -> str:
    """``path`` (relative to the current folder or to the archive root) as a posix path
    relative to the root; UsageError when it is not an existing file inside the archive."""
    root = Path(os.path.abspath(root))
    for candidate in (Path(os.path.abspath(path)), root / path):
        try:
            rel = candidate.relative_to(root)
        except ValueError:
            continue
        if candidate.is_file() and rel.parts and rel.parts[0] != ".archive":
            return rel.as_posix()
    raise UsageError(f"佐证材料「{path}」不是档案 {root} 中的文件",
                     "写档案中的文件路径（相对于当前文件夹或档案根目录），或改用 --note 说明。")


def add_points(config: ArchiveConfig, rule: str, *, evidence: str = "", **fields) -> Entry:
    """Record one entry by hand; return it with its id (see :func:`ledger.hand_entry`)."""
    setup = load_points(config.root)
    rel = evidence_path(config.root, evidence) if evidence else ""
    entry = hand_entry(setup, rule, evidence=rel, **fields)
    return record(setup, [entry])[0]


def correct_points(config: ArchiveConfig, entry_id: str, note: str, by: str = "",
                   progress=None) -> Entry:
    """Record the reversal of entry ``entry_id``; return it."""
    setup, ledger = points_ledger(config, progress)
    return record(setup, [reversal(ledger, entry_id, note, by)])[0]
