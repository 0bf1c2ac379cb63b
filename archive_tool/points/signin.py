"""Sign-in sheets (签到表) in the archive: who took part in which activity, on which day.

A sheet is an evidence file whose theme says 签到 (``05：学雷锋志愿服务签到表.docx``), as
``archive-tool new signin`` makes it and staff fill it in Word or WPS, or saved as .xlsx. Scan
finds the files; this module reads them:

- the table whose header has 姓名 (or only 签名/签字): one signature per filled row, the
  单位（部门） column beside it; a cell with several names (``张三、李四``) gives each; two
  tables side by side (序号 姓名 单位 序号 姓名 单位) are read group by group;
- the lines around it: ``活动主题：…``, ``时间：2018年5月19日`` (also ``活动时间``, ``日期``), and
  ``整体参加：大气科、办公室`` for departments that took part as a whole; a row whose name cell
  says ``全体`` / ``全体人员`` (or ``大气科（全体）``) marks its department the same way.

The activity's date is the sheet's own 时间 line, else the evidence date scan resolved (the name,
the document properties …), and the entries say which.

Scanned or photographed sheets (an image, a PDF) are read by OCR: :mod:`.signin_ocr` registers
its reader in :data:`SCAN_READERS`, which rebuilds the same blocks from the recognised text and
marks each cell with its recognition score (a signature read with a low score is
``SHEET_OCR_UNSURE``, see :data:`OCR_MIN_SCORE`). Without the OCR extra, or with OCR turned off
in the config, such a sheet is ``SHEET_NEEDS_OCR`` and counts nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ..captions.dates import find_date
from ..errors import ArchiveError
from ..evidence import IMAGE_EXTS, LEGACY_EXTS, Evidence
from .tables import DOCX_EXTS, XLSX_EXTS, Header, Table, cell, find_header, header_key, \
    read_blocks

#: readers of scanned or photographed sheets by extension: ``reader(root, ev)`` gives the same
#: blocks as :func:`read_blocks` from recognised text, or raises SheetError; a reader with a
#: ``close()`` (a worker process) is closed by :func:`close_scan_readers`. :mod:`.signin_ocr`
#: registers here.
SCAN_READERS: dict[str, Callable[[Path, Evidence], list[str | Table]]] = {}
SCAN_EXTS = IMAGE_EXTS | {".pdf"}
#: a signature whose cell OCR read with a lower score is reported for checking, not counted
OCR_MIN_SCORE = 0.8
_SHEET_WORDS = ("签到表", "签到册", "签到单", "签到簿", "签到名单", "签到记录")
_SIGN_KEYS = {"签名", "签字", "签到", "本人签名", "本人签字", "签到人", "签名栏"}
LABELS = {
    "theme": ("活动主题", "主题", "活动名称", "会议主题", "会议名称", "活动内容"),
    "date": ("时间", "活动时间", "日期", "活动日期", "会议时间", "签到时间"),
    "whole": ("整体参加", "以单位整体参加", "整体参加单位", "整体参加的科室", "整体参加科室",
              "整体参加的单位"),
}
_LABEL_RE = re.compile(r"^\s*(?P<label>[^:：]{1,10})\s*[:：]\s*(?P<value>.*)$")
_WHOLE_RE = re.compile(r"^(?P<dept>.*?)[（(]?(?:全体|全员|整体)(?:人员|参加|职工|干部职工|同志)?"
                       r"[)）]?$")
_SPLIT_RE = re.compile(r"[、，,;；/／\n]+")


class SheetError(ArchiveError):
    """A sign-in sheet that cannot be read; ``rule`` is the issue id to report."""

    def __init__(self, rule: str, message: str, hint: str):
        super().__init__(message, hint)
        self.rule = rule


@dataclass(frozen=True)
class Signature:
    name: str
    department: str
    where: str  # "表格 1 第 3 行"
    #: the recognition score of the name's cell on a sheet read by OCR, else None; a name OCR
    #: could not make out beside a department it read is ``name=""`` with score 0
    score: float | None = None

    @property
    def unsure(self) -> bool:
        return self.score is not None and self.score < OCR_MIN_SCORE


@dataclass(frozen=True)
class SignIn:
    """One activity read from its sign-in sheet."""

    path: str
    theme: str
    date: date | None
    #: where the date came from: 签到表, or scan's source (name, docx, caption …)
    date_source: str
    indicator: str | None
    signatures: tuple[Signature, ...]
    #: departments (as written) marked as taking part as a whole
    whole_units: tuple[str, ...]
    #: "ocr" when the sheet was a scan or photo read by OCR, else ""
    read_by: str = ""
    #: what the reader asks to be checked (pages left unread …)
    notes: tuple[str, ...] = ()


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_signin(ev: Evidence) -> bool:
    """Whether scan's record is a sign-in sheet: its theme says 签到表 (签到册, 签到单, 签到簿,
    签到名单, 签到记录) or ends with 签到 (``会议签到.xlsx``); not 签到制度, not a photo of
    people signing in (``签到现场.jpg``)."""
    theme = _fold(ev.theme or ev.name.rsplit(".", 1)[0])
    return any(word in theme for word in _SHEET_WORDS) or theme.endswith("签到")


def column_role(key: str) -> str | None:
    """The role of a header cell (folded by :func:`header_key`): name, sign, seq, dept."""
    if "姓名" in key and len(key) <= 8:
        return "name"
    if key in _SIGN_KEYS or (len(key) <= 6 and key.endswith(("签名", "签字"))):
        return "sign"
    if key in ("序号", "编号", "序"):
        return "seq"
    if any(w in key for w in ("单位", "部门", "科室", "处室")) and len(key) <= 10:
        return "dept"
    return None


def label_of(text: str) -> tuple[str, str] | None:
    """(kind, value) of a labelled line ``活动主题：…``, or None."""
    match = _LABEL_RE.match(text)
    if not match:
        return None
    label = header_key(match.group("label"))
    for kind, labels in LABELS.items():
        if label in labels:
            return kind, match.group("value").strip()
    return None


def _header(table: Table) -> Header | None:
    return (find_header(table.rows, column_role, ("name",))
            or find_header(table.rows, column_role, ("sign",)))


def _row_lines(row: list[str], adjacent: bool) -> list[str]:
    """Labelled lines in a table row: ``时间：…`` cells, and (above the header) ``时间 | …``."""
    lines = [text for text in row if label_of(text)]
    if adjacent:
        filled = [text for text in row if text]
        for pos, text in enumerate(filled[:-1]):
            if label_of(f"{text}：{filled[pos + 1]}") and not label_of(text):
                lines.append(f"{text}：{filled[pos + 1]}")
    return lines


def _groups(header: Header) -> list[tuple[int, int | None, int | None]]:
    """(name column, sign column, department column) per group of a (side by side) table."""
    lead = "name" if "name" in header.columns else "sign"
    leads = header.columns[lead]
    groups = []
    for pos, col in enumerate(leads):
        stop = leads[pos + 1] if pos + 1 < len(leads) else 10_000
        within = {role: [c for c in cols if col < c < stop]
                  for role, cols in header.columns.items()}
        sign = within.get("sign", [None])[0] if lead == "name" and within.get("sign") else None
        dept = within["dept"][0] if within.get("dept") else None
        if dept is None:  # 单位 written left of 姓名
            before = [c for c in header.columns.get("dept", []) if c < col]
            dept = before[-1] if before else None
        groups.append((col, sign, dept))
    return groups


def _names(text: str) -> list[str]:
    parts = [p.strip() for p in _SPLIT_RE.split(text) if p.strip()]
    return [p for p in parts if not p.isdigit() and len(_fold(p)) <= 12 and not label_of(p)]


def _signatures(table: Table, header: Header) -> tuple[list[Signature], list[str]]:
    signatures: list[Signature] = []
    whole: list[str] = []
    for r, row in enumerate(table.rows[header.row + 1:], header.row + 2):
        for name_col, sign_col, dept_col in _groups(header):
            col = name_col if cell(row, name_col) else sign_col
            text = cell(row, col)
            if column_role(header_key(text)) in ("name", "sign", "seq"):
                continue  # the header row repeated (a table pasted twice, a new page)
            dept = cell(row, dept_col)
            if not text and (r - 1, dept_col) in table.scores:
                # OCR made out the department but no name: a faint or smudged signature
                signatures.append(Signature("", dept, f"{table.label} 第 {r} 行", 0.0))
            for name in _names(text):
                mark = _WHOLE_RE.match(_fold(name))
                if mark:
                    whole.append(mark.group("dept") or dept)
                else:
                    signatures.append(Signature(name, dept, f"{table.label} 第 {r} 行",
                                                table.scores.get((r - 1, col))))
    return signatures, whole


def parse_blocks(blocks: list[str | Table]) -> tuple[dict[str, str], list[Signature], list[str]]:
    """The labelled values (theme, date; whole as one joined text), signatures and whole units
    of a sheet's blocks; SheetError SHEET_NO_NAMES when no table has a 姓名/签名 header."""
    lines: list[str] = []
    signatures: list[Signature] = []
    whole: list[str] = []
    found = False
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        header = _header(block)  # every table: a long sheet may be one table a page
        above = header.row if header else len(block.rows)
        for index, row in enumerate(block.rows):
            lines += _row_lines(row, adjacent=index < above)
        if header is not None:
            found = True
            names, units = _signatures(block, header)
            signatures += names
            whole += units
    if not found:
        raise SheetError("SHEET_NO_NAMES", "没有找到表头含「姓名」或「签名」的签到表格",
                         "签到名单应为表格，表头含 姓名（或 签名）和 单位（部门）；"
                         "可用 archive-tool new signin 生成模板。")
    values: dict[str, str] = {}
    for line in lines:
        labelled = label_of(line)
        if labelled is None:
            continue
        kind, value = labelled
        if kind == "whole":
            whole += [p for p in _SPLIT_RE.split(re.sub(r"\s+", "、", value)) if p]
        elif value and kind not in values:
            values[kind] = value
    return values, signatures, whole


def _theme(ev: Evidence) -> str:
    theme = ev.theme or ev.name
    for word in sorted(_SHEET_WORDS + ("签到",), key=len, reverse=True):
        theme = theme.replace(word, "")
    return theme.strip(" -—_（）()") or ev.theme


def _blocks(root: Path, ev: Evidence) -> list[str | Table]:
    if ev.error:
        raise SheetError("SHEET_UNREADABLE", ev.error_message or "文件无法读取",
                         ev.error_hint or "用原程序打开后重新保存，或从原始来源重新复制。")
    path = root / ev.path
    if ev.ext in DOCX_EXTS or ev.ext in XLSX_EXTS:
        try:
            return read_blocks(path)
        except ArchiveError as exc:
            raise SheetError("SHEET_UNREADABLE", exc.message, exc.hint) from None
    if ev.ext in SCAN_READERS:
        return SCAN_READERS[ev.ext](root, ev)
    if ev.ext in SCAN_EXTS:
        raise SheetError("SHEET_NEEDS_OCR", "扫描或拍照的签到表需要文字识别才能读取，未计分",
                         "安装文字识别组件（pip install 'archive-tool[ocr]'）后重新运行；或存一份"
                         "填好的 Word/Excel 签到表，或用 archive-tool points add 手工记录。")
    if ev.ext in LEGACY_EXTS:
        raise SheetError("SHEET_UNREADABLE", f"{ev.ext} 是旧格式，无法读取签到名单",
                         "用 Word/WPS/Excel 打开并另存为 .docx 或 .xlsx。")
    raise SheetError("SHEET_UNREADABLE", f"{ev.ext or '这种'}文件无法读取签到名单",
                     "签到表请存为 Word（.docx）或 Excel（.xlsx）。")


def close_scan_readers() -> None:
    """Close the readers of scanned sheets that keep something open (an OCR worker)."""
    for reader in {id(r): r for r in SCAN_READERS.values()}.values():
        close = getattr(reader, "close", None)
        if close is not None:
            close()


def read_signin(root: Path, ev: Evidence) -> SignIn:
    """The activity and signatures of the sheet ``ev``; SheetError when it cannot be read."""
    blocks = _blocks(root, ev)
    values, signatures, whole = parse_blocks(blocks)
    notes = tuple(note for block in blocks if isinstance(block, Table) for note in block.notes)
    day, source = None, ""
    if values.get("date"):
        day, source = find_date(values["date"]), "签到表"
    if day is None and ev.date is not None:
        day, source = ev.date, ev.date_source or ""
    return SignIn(path=ev.path, theme=values.get("theme") or _theme(ev), date=day,
                  date_source=source, indicator=ev.indicator_id,
                  signatures=tuple(signatures), whole_units=tuple(dict.fromkeys(whole)),
                  read_by="ocr" if ev.ext in SCAN_READERS else "", notes=notes)
