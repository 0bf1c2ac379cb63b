"""The changes an :class:`archive_tool.Archive` makes to files, each in the undo log: renames
(``lint --fix``), captions, new documents, footers, uploads, and undoing them. A part of the
Archive class kept in a file of its own; front ends use it through :class:`archive_tool.Archive`.

Every change lets the archive's kept scan go (:meth:`archive_tool.Archive.refresh`), and none
starts while an interrupted one waits for ``undo``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import FileOperationError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .captions.view import CaptionView
    from .captions.write import WriteResult
    from .config import ArchiveConfig
    from .fix import FooterFixResult, Rename
    from .lint import LintReport
    from .undo import Transaction, UndoResult


@dataclass
class Fixed:
    """What :meth:`Changes.fix` did: the renames done, those the file system refused (with
    why), and lint run again over what was linted, the files under their new names."""

    done: list[Rename]
    refused: list[tuple[Rename, str]]
    report: LintReport

    def moves(self) -> list[tuple[str, str]]:
        """Every (old path, new path) done, sidecars included."""
        from .fix import moves

        return moves(self.done)


class Changes:
    """What changes files (the :class:`archive_tool.Archive` it is part of supplies ``config``,
    ``root``, ``unit``, ``lint`` and ``refresh``)."""

    config: ArchiveConfig
    root: Path

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

    def fix(self, report: LintReport, renames: list[Rename] | None = None) -> Fixed:
        """Rename (``renames``, default :meth:`fixes`) in one undo transaction; a rename the
        file system refuses is skipped and named. ``Fixed.report`` is lint run again over what
        ``report`` covered, the files under their new names. UsageError while an interrupted
        change waits for ``undo``."""
        from .fix import apply_renames

        self._refuse_if_interrupted()
        applied = apply_renames(self.root, self.fixes(report) if renames is None else renames)
        self.refresh()
        fixed = Fixed(applied.done, applied.refused, report)
        scope = dict(fixed.moves()).get(report.result.scope, report.result.scope)
        fixed.report = self.lint(self.root / scope if scope else None, rules=report.rules,
                                 cwd=report.cwd)
        return fixed

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

    def store(self, indicator: str, filename: str, chunks: Iterable[bytes],
              theme: str = "") -> str:
        """Store a file received (an upload) in the leaf's folder as ``NN：主题.ext``, the
        creation in the undo log ("web upload"); its path relative to the root."""
        from .documents import store_file

        self.refresh()
        path = store_file(self.config, indicator, filename, chunks, theme)
        return path.relative_to(self.root).as_posix()

    def rename(self, rel: str, theme: str = "") -> str:
        """Rename one file to the canonical ``NN：主题.ext``: lint's fix when it has one and no
        ``theme`` is given, else the next free number and ``theme`` (a photo with its caption
        sidecars); its new path. UsageError when the name is taken."""
        from .documents import next_name, upload_theme
        from .evidence import Finding
        from .lint import LintReport

        report = self.lint(self.root / rel)
        fixes = [f for f in report.about(rel) if f.rename_to] if not theme else []
        if not fixes:
            folder, _, name = rel.rpartition("/")
            ext = os.path.splitext(name)[1]
            new = next_name(self.root / folder, upload_theme(name, theme), ext)
            fixes = [Finding("NAME_FORMAT", rel, "error", "", "", rename_to=new)]
        renames = self.fixes(LintReport(report.result, fixes))
        if not renames:
            raise UsageError(f"无法改名：{rel.rsplit('/', 1)[-1]}（目标名称已被占用）",
                             "换一个主题再试。")
        fixed = self.fix(report, renames)
        if not fixed.done:  # the file system refused it (the file went away, a name it refuses)
            raise FileOperationError(fixed.refused[0][1] if fixed.refused else f"未能改名：{rel}",
                                     "文件可能刚被移走、改名或删除；刷新后重试。")
        return renames[0].dst
