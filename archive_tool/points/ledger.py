"""The points ledger: derived entries (sign-in sheets) plus stored ones, append-only.

Entries recorded by hand (``archive-tool points add``), rows imported from the 综合组's xlsx
ledger and corrections are stored in ``.archive/points-ledger.jsonl``, one JSON object a line,
appended and never rewritten. They are ids ``L1``, ``L2`` … in the order written (taken under a
lock file, so two people recording at once get different numbers). A correction is a new entry
that reverses an old one (``reverses``: its id; the same department, person, rule and date,
the opposite points), so every bulletin can be regenerated and every change is traceable.
Entries derived from sign-in sheets are not stored: they are read from the sheets each time
(the files are the truth), with stable ids a correction can name.
"""
from __future__ import annotations

import getpass
import json
import os
import re
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..errors import FileOperationError, UsageError, os_reason
from ..evidence import Evidence
from .derive import derive
from .entries import Entry, Issue
from .roster import PointsSetup

LOCK_WAIT = 10.0  # seconds to wait for another writer
LOCK_STALE = 120.0  # a lock file older than this was left by a process that died
_ID_RE = re.compile(r"^L(\d+)$")


def recorder(name: str | None) -> str:
    """Who records an entry: the name given, else the login name."""
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account on Windows)
        return ""


class LedgerFile:
    """``.archive/points-ledger.jsonl`` of one archive."""

    def __init__(self, path: Path):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def read(self) -> tuple[list[Entry], list[Issue]]:
        """The stored entries, and an issue for each line that cannot be read."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], []
        except (OSError, UnicodeDecodeError) as exc:
            raise FileOperationError(f"无法读取积分台账 {self.path}：{exc}",
                                     "检查该文件是否可读；它应为 UTF-8 文本。") from None
        entries: list[Entry] = []
        issues: list[Issue] = []
        seen: set[str] = set()
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = Entry.from_dict(json.loads(line))
            except (ValueError, json.JSONDecodeError) as exc:
                issues.append(Issue("LEDGER_LINE_BAD", self._rel(), f"第 {number} 行无法读取（{exc}），未计入",
                                    "这一行可能在写入时被中断或被手工改坏；核对后用 archive-tool points add "
                                    "重新记录，不要直接编辑台账文件。"))
                continue
            if entry.id in seen:
                issues.append(Issue("LEDGER_LINE_BAD", self._rel(),
                                    f"第 {number} 行的编号 {entry.id} 与前面的条目重复，未计入",
                                    "台账文件被手工合并或编辑过；核对后删去重复的行。"))
                continue
            seen.add(entry.id)
            entries.append(entry)
        return entries, issues

    def _rel(self) -> str:
        return f".archive/{self.path.name}"

    def _lock(self) -> None:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                os.close(os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return
            except FileExistsError:
                try:
                    if time.time() - self.lock_path.stat().st_mtime > LOCK_STALE:
                        self.lock_path.unlink()
                        continue
                except FileNotFoundError:
                    continue
                if time.monotonic() > deadline:
                    raise FileOperationError(f"积分台账正被另一个程序写入（{self.lock_path} 存在）",
                                             "稍后重试；若没有别人在记录，删除该 .lock 文件。") from None
                time.sleep(0.05)
            except OSError as exc:
                raise FileOperationError(f"无法写入积分台账：{os_reason(exc)}",
                                         "检查档案的 .archive 文件夹是否可写。") from None

    def append(self, entries: list[Entry]) -> list[Entry]:
        """Append ``entries`` (their ids assigned here, L<n>); return them as written."""
        if not entries:
            return []
        self._lock()
        try:
            existing, _ = self.read()
            numbers = [int(m.group(1)) for e in existing if (m := _ID_RE.match(e.id))]
            first = max(numbers, default=0) + 1
            written = [replace(e, id=f"L{first + i}") for i, e in enumerate(entries)]
            lines = "".join(json.dumps(e.stored(), ensure_ascii=False) + "\n" for e in written)
            with open(self.path, "a+b") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell():
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":  # a line cut short by a crash: start a new one
                        lines = "\n" + lines
                fh.write(lines.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            return written
        except OSError as exc:
            raise FileOperationError(f"无法写入积分台账 {self.path}：{os_reason(exc)}",
                                     "检查档案的 .archive 文件夹是否可写后重试。") from None
        finally:
            try:
                self.lock_path.unlink()
            except OSError:
                pass


@dataclass
class Ledger:
    """Every entry in effect (derived and stored) and the issues met assembling them."""

    entries: list[Entry]
    issues: list[Issue] = field(default_factory=list)
    #: ids of the entries a correction reverses
    reversed: set[str] = field(default_factory=set)

    def get(self, entry_id: str) -> Entry | None:
        wanted = entry_id.strip().upper()
        return next((e for e in self.entries if e.id.upper() == wanted), None)


def collect(setup: PointsSetup, evidence: list[Evidence]) -> Ledger:
    """The ledger of the archive: sheets read from ``evidence``, the stored entries after."""
    derived, issues = derive(setup, setup.root, evidence)
    stored, bad = LedgerFile(setup.ledger_path).read()
    issues += bad
    entries = list(derived)
    for entry in stored:
        if setup.roster.department(entry.department) is None:
            issues.append(Issue("DEPT_UNKNOWN", f".archive/{setup.ledger_path.name}",
                                f"条目 {entry.id} 的科室单位「{entry.department}」不在名单中，未计入",
                                "在 .archive/points.yaml 的 departments 中补上该科室单位（或其 aliases）。",
                                entry.date))
            continue
        entries.append(entry)
    ids = {e.id for e in entries}
    effective, reversed_ids = [], set()
    for entry in entries:
        if entry.reverses and entry.reverses not in ids:
            issues.append(Issue("CORRECTION_TARGET_MISSING", f".archive/{setup.ledger_path.name}",
                                f"更正 {entry.id} 所撤销的条目 {entry.reverses} 已不存在"
                                "（签到表被改名、移走或删除？），这条更正未计入",
                                "核对该签到表；如仍需调整，用 archive-tool points add 记录。", entry.date))
            continue
        if entry.reverses:
            reversed_ids.add(entry.reverses)
        effective.append(entry)
    # stable: sheet and row order
    effective.sort(key=lambda e: (e.date, not e.source.startswith("signin")))
    return Ledger(effective, issues, reversed_ids)


# ---- recording ----------------------------------------------------------------------------------
def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def hand_entry(setup: PointsSetup, rule: str, *, department: str = "", person: str = "",
               day: date | None = None, count: int = 1, rank: str = "", level: str = "",
               evidence: str = "", note: str = "", by: str = "") -> Entry:
    """A validated entry recorded by hand (not yet stored: see :func:`record`)."""
    item = setup.rules.get(rule)
    roster = setup.roster
    dept = roster.department(department) if department else None
    if department and dept is None:
        raise UsageError(f"科室单位「{department}」不在名单中",
                         "可用的科室单位：" + "、".join(d.name for d in roster.departments) + "。")
    who = None
    if person:
        match = roster.find(person, department)
        if not match.candidates:
            raise UsageError(f"「{person}」不在人员名册中",
                             "核对姓名，或先在 .archive/points.yaml 的 people 中加上此人。")
        if match.person is None:
            raise UsageError(f"「{person}」在名册中有 {len(match.candidates)} 人（"
                             + "、".join(p.department for p in match.candidates) + "）",
                             "用 --dept 写明是哪个科室单位的。")
        who = match.person
        if dept is not None and dept.name != who.department:
            raise UsageError(f"名册中「{person}」属于「{who.department}」，不是「{dept.name}」",
                             "核对后去掉 --dept，或先更新名册。")
    if who is None and dept is None:
        raise UsageError("需要写明科室单位或人员", "用 --dept 科室单位 或 --person 姓名。")
    if count < 1:
        raise UsageError("次数应为正整数", "用 --count 写明人次或次数，如 --count 2。")
    rank = setup.rules.rank_of(rank) or rank if rank else (who.rank if who else "")
    points = item.amount(rank=rank, level=level) * count
    return Entry(id="", date=day or date.today(), department=who.department if who else dept.name,
                 rule=item.id, points=points, person=who.name if who else "", count=count,
                 rank=rank if item.ranks else "", level=level if item.levels else "",
                 evidence=evidence, note=note.strip(), recorded_by=recorder(by),
                 recorded_at=now_text(), source="hand")


def record(setup: PointsSetup, entries: list[Entry]) -> list[Entry]:
    """Append entries to the stored ledger; return them with their ids."""
    return LedgerFile(setup.ledger_path).append(entries)


def reversal(ledger: Ledger, entry_id: str, note: str, by: str = "") -> Entry:
    """The entry that reverses ``entry_id`` (to be recorded); UsageError when there is no such
    entry, it is itself a correction, or it was reversed already."""
    target = ledger.get(entry_id)
    if target is None:
        raise UsageError(f"没有编号为 {entry_id} 的积分条目",
                         "用 archive-tool points list 查看条目及其编号。")
    if target.reverses:
        raise UsageError(f"{target.id} 本身是一条更正（撤销 {target.reverses}），不能再撤销",
                         "需要恢复时，用 archive-tool points add 重新记录。")
    if target.id in ledger.reversed:
        raise UsageError(f"{target.id} 已被更正过", "用 archive-tool points list 查看。")
    if not note.strip():
        raise UsageError("更正需要写明原因", '用 --note 写明，如 --note "人次记重了"。')
    return replace(target, id="", points=-target.points, note=note.strip(), reverses=target.id,
                   recorded_by=recorder(by), recorded_at=now_text(), source="hand", key="")
