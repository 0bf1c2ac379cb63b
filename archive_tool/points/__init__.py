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

:class:`Points` is the door the front ends use (through :attr:`archive_tool.Archive.points`).
Nothing here prints or exits.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Optional

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
           "Ledger", "POINTS_FILE", "Points", "PointsSetup", "RuleSet", "Span", "default_rules",
           "evidence_path", "import_ledger", "init_points", "load_points", "load_rules",
           "quarter_span", "shipped_rules", "write_bulletin", "year_span"]


#: the archive's evidence records, scanned when asked for (:meth:`archive_tool.Archive.scan`);
#: called with a progress callback or None
Evidence = Callable[[Optional[Callable]], list]


def default_rules(config: ArchiveConfig) -> str:
    """The shipped rules named like the archive's tree (linyi-2018), else a UsageError."""
    if config.tree.id in shipped_rules():
        return config.tree.id
    raise UsageError(f"没有与指标体系「{config.tree.id}」同名的内置积分规则",
                     f"用 --rules 指定：内置的有 {', '.join(shipped_rules())}，"
                     "或放在 .archive/ 中的自己的规则文件名。")


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


class Points:
    """The points ledger of one archive: what ``archive-tool points`` does
    (:attr:`archive_tool.Archive.points`). The sign-in sheets come from ``evidence``, the
    archive's scan; nothing here scans, prints or exits."""

    def __init__(self, config: ArchiveConfig, evidence: Evidence):
        self.config = config
        self._evidence = evidence

    def setup(self) -> PointsSetup:
        """Departments, people and rules: ``.archive/points.yaml``."""
        return load_points(self.config.root)

    def init(self, departments: Path | None = None, people: Path | None = None, *,
             rules: str | None = None, force: bool = False) -> InitResult:
        """Write ``.archive/points.yaml`` from the unit's tables (see :func:`init_points`)."""
        return init_points(self.config.root, rules or default_rules(self.config), departments,
                           people, force=force)

    def ledger(self, progress=None) -> tuple[PointsSetup, Ledger]:
        """The points setup and the whole ledger: the sheets' entries and the stored ones."""
        setup = self.setup()
        return setup, collect(setup, self._evidence(progress))

    def report(self, span: Span, progress=None) -> Bulletin:
        """The bulletin of ``span`` (a quarter or a year: :func:`quarter_span`, :func:`year_span`)."""
        setup, ledger = self.ledger(progress)
        return build_bulletin(setup, ledger, span, self.config.unit)

    def add(self, rule: str, *, evidence: str = "", **fields) -> Entry:
        """Record one entry by hand; return it with its id (see :func:`ledger.hand_entry`)."""
        setup = self.setup()
        rel = evidence_path(self.config.root, evidence) if evidence else ""
        return record(setup, [hand_entry(setup, rule, evidence=rel, **fields)])[0]

    def correct(self, entry_id: str, note: str, by: str = "", progress=None) -> Entry:
        """Record the reversal of entry ``entry_id``; return it."""
        setup, ledger = self.ledger(progress)
        return record(setup, [reversal(ledger, entry_id, note, by)])[0]

    def import_table(self, file: Path, by: str = "") -> ImportResult:
        """Append the rows of the unit's own ledger table (rows imported before are skipped)."""
        return import_ledger(self.setup(), file, by)


def write_bulletin(bulletin: Bulletin, path: Path, fmt: str, *, template: Path | None = None,
                   detail: bool = False) -> None:
    """The bulletin written to ``path`` as a Word 通报 (docx, on ``template`` when given), an
    Excel workbook (xlsx), JSON or text."""
    from .report_text import bulletin_text, write_report_text

    if fmt == "xlsx":
        from .report_xlsx import write_bulletin_xlsx

        write_bulletin_xlsx(bulletin, path)
    elif fmt == "docx":
        from .report_docx import write_bulletin_docx

        write_bulletin_docx(bulletin, path, template)
    else:
        write_report_text(path, json.dumps(bulletin.to_dict(), ensure_ascii=False, indent=2)
                          if fmt == "json" else bulletin_text(bulletin, detail=detail))
