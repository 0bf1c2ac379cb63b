"""The library's one door: an archive on disk, and everything front ends do with it.

::

    from archive_tool import Archive

    archive = Archive.open("档案/I-1 思想政治建设")     # from any path inside
    report = archive.check(as_of=date(2018, 10, 15))
    for leaf in report.leaves():
        print(leaf.id, leaf.status)

An :class:`Archive` owns its configuration (the tree included), the metadata cache, the search
index, the undo log and the one scan of the whole archive it reuses: lint, check, the index and
the points ledger are computed from that scan, and a change made through the Archive (``fix``,
``undo``, ``set_caption``, ``new_document``, ``add_footer``) lets it go, so the next call scans
again (from the cache: only what changed is read). A front end that lives long (a web server)
calls :meth:`Archive.refresh` when files may have changed behind it. Several assessment years
are :class:`archive_tool.years.Years`, an Archive per year.

Nothing here prints or exits: results are models (:class:`~archive_tool.lint.LintReport`,
:class:`~archive_tool.check.GapReport` …), failures the exception family of
:mod:`archive_tool.errors`. Heavy modules are imported by the methods that need them, so a front
end starts fast.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .config import ArchiveConfig, open_archive
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import Tree

    from .captions.view import CaptionView
    from .captions.write import WriteResult
    from .check import GapReport
    from .fix import Applied, FooterFixResult, Rename
    from .lint import LintReport
    from .output_file import ReportFile
    from .points import Points
    from .scaffold import InitResult
    from .scan import ScanResult
    from .search import IndexStats, LiveIndex, SearchResult
    from .undo import Transaction, UndoResult
    from .verdicts import Verdicts

#: called as progress(done, total, path) while files are read
Progress = Callable[[int, int, str], None]
#: seconds a search or an index update waits for another writer of the index
INDEX_WAIT = 30.0


class Archive:
    """One archive: its root, configuration and tree, and what can be done with it."""

    def __init__(self, config: ArchiveConfig):
        self.config = config
        self._scanned: ScanResult | None = None
        self._linted: LintReport | None = None

    def __repr__(self) -> str:
        return f"Archive({str(self.root)!r})"

    # ---- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike = ".") -> Archive:
        """The archive holding ``path`` (its root, or any file or folder inside it).

        NotAnArchiveError when there is none; ConfigError for a broken config and for the
        folder of several years (:meth:`archive_tool.years.Years.open` opens that);
        TreeError for a broken tree copy."""
        return cls(open_archive(path))

    @classmethod
    def init(cls, root: str | os.PathLike, tree: str | os.PathLike | None = None,
             unit: str | None = None, *, dry_run: bool = False,
             force_tree: bool = False) -> InitResult:
        """Create the archive at ``root`` from ``tree`` (a shipped id or a tree file), or bring
        its folders in line with a changed tree; the plan and what was done (nothing with
        ``dry_run``). Open the archive afterwards with :meth:`open`."""
        from .scaffold import init_archive

        return init_archive(root, tree, unit=unit, dry_run=dry_run, force_tree=force_tree)

    # ---- what it is ---------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def tree(self) -> Tree:
        return self.config.tree

    @property
    def unit(self) -> str:
        return self.config.unit

    def today(self) -> date:
        """Today in the archive's time zone."""
        from .dating import today

        return today(self.config.timezone)

    def refresh(self) -> None:
        """Forget the scan kept: the next call reads the disk again (the cache makes it cheap)."""
        self._scanned = self._linted = None

    # ---- scan, lint, check --------------------------------------------------------------------
    def _is_root(self, path: str | os.PathLike | None) -> bool:
        return path is None or Path(os.path.abspath(path)) == self.root

    def scan(self, path: str | os.PathLike | None = None, *,
             progress: Progress | None = None) -> ScanResult:
        """The Evidence records of the whole archive (kept and reused), or of ``path`` (a folder
        or a file inside it: scanned each time)."""
        from .scan import scan

        if not self._is_root(path):
            return scan(path, config=self.config, progress=progress)
        if self._scanned is None:
            self._scanned = scan(self.root, config=self.config, progress=progress)
        return self._scanned

    def lint(self, path: str | os.PathLike | None = None, *, rules: Iterable[str] | None = None,
             cwd: str | os.PathLike | None = None, progress: Progress | None = None
             ) -> LintReport:
        """The findings of the named rules (all by default) over the scan of the archive or of
        ``path``; the commands in their fixes name files as seen from ``cwd`` (the current
        folder). UsageError for an unknown rule, before anything is read."""
        from .lint import lint, select_rules

        select_rules(rules)  # an unknown rule is refused before anything is read
        whole = self._is_root(path) and rules is None and cwd is None
        if whole and self._linted is not None:
            return self._linted
        report = lint(self.scan(path, progress=progress), rules, cwd=cwd)
        if whole:
            self._linted = report
        return report

    def check(self, *, as_of: date | None = None, inspection: date | None = None,
              date_from: date | None = None, date_to: date | None = None,
              progress: Progress | None = None) -> GapReport:
        """The gap report on ``as_of`` (default today in the archive's time zone): what each
        indicator lacks, per period, judged on the inspection day (``inspection``, else the
        config's). ``date_from``/``date_to`` replace the window."""
        from .check import check

        found = self.lint(progress=progress)
        return check(found.result, found, as_of=as_of or self.today(), date_from=date_from,
                     date_to=date_to, inspection=inspection)

    def report_file(self, path: str | os.PathLike) -> ReportFile:
        """Where a report may be written: outside the archive, never through a link (checked
        now, before any work, and again when written)."""
        from .output_file import ReportFile

        return ReportFile(Path(path), self.root)

    # ---- changes ------------------------------------------------------------------------------
    def interrupted(self) -> str | None:
        """What the change that was interrupted (kill -9, a power cut) was, in words; None when
        none was. ``undo`` reverts it; no new change starts before."""
        from .undo import UndoLog

        log = UndoLog(self.root)
        pending = log.interrupted()
        return log.describe(pending) if pending is not None else None

    def undo_command(self, cwd: str | os.PathLike | None = None) -> str:
        """The command that reverts the last change, as it works from ``cwd`` (the current
        folder): ``archive-tool undo`` with the archive's path where one is needed."""
        from .fix.commands import undo

        return undo(self.root, cwd)

    def _refuse_if_interrupted(self) -> None:
        pending = self.interrupted()
        if pending is not None:
            raise UsageError(f"上次操作未完成：{pending}",
                             f"先运行 archive-tool undo {self.root} 恢复，再执行 lint --fix。")

    def fixes(self, report: LintReport) -> list[Rename]:
        """The renames ``report``'s findings make safe (canonical names, free numbers), each
        photo with its caption sidecars; nothing is changed. UsageError while an interrupted
        change waits for ``undo``."""
        from .fix import plan_renames

        self._refuse_if_interrupted()
        return plan_renames(self.root, report.findings, report.result.sidecars)

    def fix(self, report: LintReport, renames: list[Rename] | None = None) -> Applied:
        """Rename (``renames``, default :meth:`fixes`) in one undo transaction; a rename the
        file system refuses is skipped and named. ``Applied.report`` is lint run again over what
        ``report`` covered, the files under their new names. UsageError while an interrupted
        change waits for ``undo``."""
        from .fix import apply_renames, moves

        self._refuse_if_interrupted()
        applied = apply_renames(self.root, self.fixes(report) if renames is None else renames)
        self.refresh()
        scope = dict(moves(applied.done)).get(report.result.scope, report.result.scope)
        applied.report = self.lint(self.root / scope if scope else None, rules=report.rules,
                                   cwd=report.cwd)
        return applied

    def undo(self) -> UndoResult:
        """Revert the last change to files (an interrupted one first)."""
        from .undo import UndoLog

        self.refresh()
        return UndoLog(self.root).undo_last()

    def history(self) -> list[Transaction]:
        """Every change in the undo log, oldest first."""
        from .undo import UndoLog

        return UndoLog(self.root).history()

    def caption(self, path: str | os.PathLike) -> CaptionView:
        """A photo's caption, parsed with the archive's organizers and window."""
        from .captions.view import view_caption

        return view_caption(path, self.config.all_organizers, self.config.window)

    def set_caption(self, path: str | os.PathLike, *, time: str | None = None,
                    organizer: str | None = None, theme: str | None = None) -> WriteResult:
        """Write a photo's caption without re-encoding it, recorded in the undo log. Parts not
        given come from its current caption, the organizer else from the unit."""
        from .captions import write_caption
        from .captions.view import caption_parts
        from .places import inside_archive
        from .undo import UndoLog

        file = inside_archive(self.root, path)  # never written through a link out of it
        parts = caption_parts(file, time, organizer, theme, unit=self.unit,
                              organizers=self.config.all_organizers, window=self.config.window)
        self.refresh()
        with UndoLog(self.root).transaction("caption set") as tx:
            return write_caption(file, *parts, before_write=tx.record_modify,
                                 on_ready=tx.record_written)

    def new_document(self, kind: str, indicator: str, theme: str) -> Path:
        """A 说明报告 (``report``), 活动记录 (``record``) or 签到表 (``signin``) from the
        templates, numbered in the indicator's folder; its path."""
        from .documents import new_document

        self.refresh()
        return new_document(self.config, kind, indicator, theme)

    def add_footer(self, paths: Iterable[str | os.PathLike]) -> FooterFixResult:
        """Put the document name in the footers of these .docx files that lack it."""
        from .fix import fix_footer

        self.refresh()
        return fix_footer(self.root, paths)

    # ---- search -------------------------------------------------------------------------------
    def _rescan(self) -> list:
        return self.scan().evidence

    def index(self, *, rebuild: bool = False, wait: float = INDEX_WAIT,
              on_wait: Callable[[float], None] | None = None,
              progress: Progress | None = None) -> IndexStats:
        """Bring the full-text index in line with the archive (incremental; rebuilt when
        missing, damaged, outdated or ``rebuild``)."""
        from .search import update_index

        result = self.scan()
        return update_index(self.config, result.evidence, scope=result.scope,
                            rescan=self._rescan, rebuild=rebuild, progress=progress, wait=wait,
                            on_wait=on_wait)

    def search(self, query: str, *, indicator: str | None = None, kind: str | None = None,
               date_from: str | date | None = None, date_to: str | date | None = None,
               organizer: str | None = None, limit: int | None = 20, today: date | None = None,
               wait: float = INDEX_WAIT,
               on_wait: Callable[[float], None] | None = None) -> SearchResult:
        """Search themes, titles, text, captions and organizers (see README "Search")."""
        from .search import search

        return search(self.config, query, rescan=self._rescan, indicator=indicator, kind=kind,
                      date_from=date_from, date_to=date_to, organizer=organizer, limit=limit,
                      today=today, wait=wait, on_wait=on_wait)

    def live_index(self, wait: float = 5.0) -> LiveIndex:
        """The index as a long-running front end keeps it current, a few files at a time (a
        rebuild scans the archive afresh)."""
        from .search import LiveIndex

        def fresh() -> list:
            self.refresh()
            return self.scan().evidence

        return LiveIndex(self.config, fresh, wait)

    # ---- watching, points ---------------------------------------------------------------------
    @property
    def verdicts(self) -> Verdicts:
        """What a watcher (or an upload) asks of the archive: files judged as they arrive,
        files gone forgotten, the archive reconciled with the cache (:mod:`.verdicts`)."""
        from .verdicts import Verdicts

        return Verdicts(self.config)

    def watch(self, stop=None, *, once: bool = False, **options):
        """Watch the archive until ``stop`` (a ``threading.Event``) is set, checking each file
        once it is complete (``once``: reconcile and return). ``options`` are those of
        :class:`archive_tool.watch.Watcher` (``polling``, ``interval``, ``quiet``,
        ``rescan_every``, ``report``, ``index``, ``log``); returns its ``WatchStats``."""
        from .watch import Watcher

        return Watcher(self, **options).run(stop, once=once)

    @property
    def points(self) -> Points:
        """The points ledger (积分制) kept from the archive's sign-in sheets."""
        from .points import Points

        return Points(self.config, lambda progress: self.scan(progress=progress).evidence)
