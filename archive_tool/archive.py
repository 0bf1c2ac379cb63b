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

from .archive_changes import Changes
from .config import ArchiveConfig, open_archive
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import Tree

    from .check import GapReport
    from .evidence import Evidence
    from .export.source import Export
    from .lint import LintReport
    from .ocr_background import BackgroundOcr
    from .ocr_run import OcrStats
    from .output_file import ReportFile
    from .photo_hashes import Ahead
    from .points import Points
    from .scaffold import InitResult
    from .scan import ScanResult
    from .search import IndexStats, LiveIndex, SearchResult
    from .verdicts import Verdicts

#: called as progress(done, total, path) while files are read
Progress = Callable[[int, int, str], None]
#: seconds a search or an index update waits for another writer of the index
INDEX_WAIT = 30.0


class Archive(Changes):
    """One archive: its root, configuration and tree, and what can be done with it (the
    changes to files: :class:`archive_tool.archive_changes.Changes`)."""

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

    def reopen(self) -> Archive:
        """The same archive with nothing kept: a front end serving several threads takes one
        per view of the archive, so no thread sees another's scan change under it."""
        return type(self)(self.config)

    # ---- scan, lint, check --------------------------------------------------------------------
    def _is_root(self, path: str | os.PathLike | None) -> bool:
        return path is None or Path(os.path.abspath(path)) == self.root

    def scan(self, path: str | os.PathLike | None = None, *,
             progress: Progress | None = None, ahead: Ahead | None = None) -> ScanResult:
        """The Evidence records of the whole archive (kept and reused), or of ``path`` (a folder
        or a file inside it: scanned each time). ``ahead``: photos hashed while it reads, for
        the lint that follows (:class:`archive_tool.photo_hashes.Ahead`)."""
        from .scan import scan

        if not self._is_root(path):
            return scan(path, config=self.config, progress=progress, ahead=ahead)
        if self._scanned is None:
            self._scanned = scan(self.root, config=self.config, progress=progress, ahead=ahead)
        return self._scanned

    def lint(self, path: str | os.PathLike | None = None, *, rules: Iterable[str] | None = None,
             cwd: str | os.PathLike | None = None, progress: Progress | None = None
             ) -> LintReport:
        """The findings of the named rules (all by default) over the scan of the archive or of
        ``path``; the commands in their fixes name files as seen from ``cwd`` (the current
        folder). UsageError for an unknown rule, before anything is read."""
        from .lint import lint, select_rules
        from .photo_hashes import Ahead

        selected = select_rules(rules)  # an unknown rule is refused before anything is read
        whole = self._is_root(path) and rules is None and cwd is None
        if whole and self._linted is not None:
            return self._linted
        with Ahead(self.config.archive_dir, "PHOTO_REUSED" in selected) as ahead:
            # the photos hashed while the scan reads, on the cores it leaves free
            report = lint(self.scan(path, progress=progress, ahead=ahead), rules, cwd=cwd,
                          progress=progress, ahead=ahead)
        if whole:
            self._linted = report
        return report

    def check(self, path: str | os.PathLike | None = None, *, as_of: date | None = None,
              inspection: date | None = None, date_from: date | None = None,
              date_to: date | None = None, progress: Progress | None = None) -> GapReport:
        """The gap report on ``as_of`` (default today in the archive's time zone): what each
        indicator lacks, per period, judged on the inspection day (``inspection``, else the
        config's). ``date_from``/``date_to`` replace the window. ``path`` (a leaf's folder)
        checks the files below it alone: a leaf counts only its own folder's files, so that
        leaf's gap is the whole archive's, in a fraction of the time (what an upload changed);
        every other indicator sees none of its files."""
        from .check import check

        found = self.lint(path, progress=progress)
        return check(found.result, found, as_of=as_of or self.today(), date_from=date_from,
                     date_to=date_to, inspection=inspection)

    def locate(self, rel: str) -> Evidence | None:
        """The evidence record of the file at ``rel`` (posix, relative to the root), or None:
        a path that is not a file the walk lists inside the archive (``..``, ``.archive/``,
        links, ignored names, an archive of its own below) is never resolved."""
        from .layout import is_ignored_path, listing
        from .places import inside_archive

        parts = rel.split("/")
        if (not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel
                or any(p in ("", ".", "..") for p in parts) or is_ignored_path(rel)):
            return None
        path = self.root / rel
        try:
            inside_archive(self.root, path.parent)
        except UsageError:
            return None
        if parts[-1] not in listing(path.parent).files:
            return None
        found = self.scan(path).evidence
        return found[0] if found else None

    def report_file(self, path: str | os.PathLike) -> ReportFile:
        """Where a report may be written: outside the archive, never through a link (checked
        now, before any work, and again when written)."""
        from .output_file import ReportFile

        return ReportFile(Path(path), self.root)

    # ---- search -------------------------------------------------------------------------------
    def _rescan(self) -> list:
        return self.scan().evidence

    def recognise(self, progress: Progress | None = None) -> OcrStats:
        """Read the text of the archive's scans still to be read (the OCR extra; each page once,
        kept in the cache); ``unavailable`` counts the scans this machine cannot read."""
        from .extract.ocr import UNAVAILABLE
        from .ocr_run import pending, recognize

        result = self.scan()
        stats = recognize(result, progress=progress)
        stats.unavailable = sum(1 for ev in result.evidence if ev.ocr_status == UNAVAILABLE)
        if stats.files or pending(result):
            self.refresh()  # the next scan shows the text read
        return stats

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

    def background_ocr(self) -> BackgroundOcr:
        """The text of scans read in a thread of its own, behind a long-running front end's
        work (:mod:`archive_tool.ocr_background`)."""
        from .ocr_background import BackgroundOcr

        return BackgroundOcr(self.config)

    @property
    def export(self) -> Export:
        """What the inspection package (catalogue, binders, site, 自评表) reads of the archive."""
        from .export.source import Export

        return Export(self.root, [("", self)], several=False)

    @property
    def points(self) -> Points:
        """The points ledger (积分制) kept from the archive's sign-in sheets."""
        from .points import Points

        return Points(self.config, lambda progress: self.scan(progress=progress).evidence)
