"""Participation entries derived from the sign-in sheets scan found in the archive.

Each signature on a sheet whose name is one person of the roster gives that person's
department the rules' per-person-time points (0.5 in seed 000); each department marked as
taking part as a whole gives the per-unit points (1). With ``unit_covers_members`` (the seed:
a department takes part either as a whole or person by person), the signatures of a whole
department's members in the same activity add nothing more. An activity is a date and a theme:
a person on two of its sheets counts once, and a sheet filed twice (the same bytes in two
indicator folders) once. A name matching no one or several people, a department not in the
list, a sheet without a date: each is an issue, and counts nothing. On a sheet read by OCR, a
name read with a low score is reported for checking (SHEET_OCR_UNSURE) and counts nothing, and
the entries say where they come from (source ``signin_ocr``). Derived entries have stable ids
(``S`` + a hash of the sheet, the person or department and the rule), so a correction can
reverse one.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace

from ..evidence import Evidence
from .entries import SOURCES, Entry, Issue
from .roster import Person, PointsSetup
from .signin import SheetError, SignIn, Signature, close_scan_readers, is_signin, read_signin
from . import signin_ocr  # noqa: F401 - registers the reader of scanned sheets

#: where a sheet's date came from, when not from the sheet itself
DATE_SOURCES = {"name": "文件名", "docx": "Word 文档属性", "caption": "图片说明",
                "exif": "拍摄时间", "pdf": "PDF 文档属性", "ocr": "扫描件上印的日期"}
ROSTER_FILE = ".archive/points.yaml"


def derived_id(path: str, who: str, rule: str) -> str:
    digest = hashlib.sha1(f"{path}\0{who}\0{rule}".encode("utf-8")).hexdigest()
    return "S" + digest[:7]


@dataclass
class Activity:
    """What one activity has counted so far, over all its sheets (the same date and theme:
    a Word and an Excel copy, or a morning and an afternoon sheet)."""

    first: str
    people: set[Person] = field(default_factory=set)
    units: set[str] = field(default_factory=set)


class _Sheet:
    """Turns one read sheet into entries and issues."""

    def __init__(self, setup: PointsSetup, sheet: SignIn, issues: list[Issue],
                 activity: Activity):
        self.setup, self.sheet, self.issues, self.activity = setup, sheet, issues, activity
        note = ""
        if sheet.date_source != "签到表":
            note = f"日期取自{DATE_SOURCES.get(sheet.date_source, sheet.date_source or '文件')}"
        self.note = note

    def issue(self, rule: str, message: str, fix: str) -> None:
        self.issues.append(Issue(rule, self.sheet.path, message, fix, self.sheet.date))

    def entry(self, rule_id: str, department: str, person: str = "") -> Entry:
        item = self.setup.rules.get(rule_id)
        sheet = self.sheet
        assert sheet.date is not None
        source = "signin_ocr" if sheet.read_by == "ocr" else "signin"
        return Entry(id=derived_id(sheet.path, person or department, rule_id), date=sheet.date,
                     department=department, rule=item.id, points=item.amount(), person=person,
                     evidence=sheet.path, note=self.note, recorded_by=SOURCES[source],
                     source=source, activity=sheet.theme, indicator=sheet.indicator or "")

    def units(self) -> list[str]:
        found = []
        for text in self.sheet.whole_units:
            dept = self.setup.roster.department(text)
            if dept is None:
                written = f"「{text}」" if text else "（没有写科室单位）"
                self.issue("DEPT_UNKNOWN", f"标为整体参加的科室单位{written}不在科室单位名单中，未计分",
                           f"写成名单中的名称，或在 {ROSTER_FILE} 该科室单位的 aliases 中加上这种写法。")
            elif dept.name not in found:
                found.append(dept.name)
        return found

    def signatures(self) -> list[Signature]:
        """The sheet's signatures; ``张三 李四`` in one cell is two when both are on the
        roster and the whole is not (``王 峰`` stays 王峰)."""
        roster = self.setup.roster
        out = []
        for sig in self.sheet.signatures:
            parts = sig.name.split()
            if len(parts) > 1 and not roster.knows(sig.name) and all(map(roster.knows, parts)):
                out += [replace(sig, name=part) for part in parts]
            else:
                out.append(sig)
        return out

    def person(self, sig: Signature) -> Person | None:
        if sig.unsure:
            what = (f"「{sig.name}」是文字识别把握不大的结果（可信度 {sig.score:.2f}，{sig.where}）"
                    if sig.name else f"{sig.where}写了单位「{sig.department}」，姓名没能识别出来")
            self.issue("SHEET_OCR_UNSURE", f"{what}，未计分", "对照扫描件核对：确是名册中的人就用 "
                       "archive-tool points add 记录这次参加；或存一份填好的 Word/Excel 签到表。")
            return None
        match = self.setup.roster.find(sig.name, sig.department)
        if not match.candidates:
            known = self.setup.roster.department(sig.department) if sig.department else None
            self.issue("NAME_NOT_ON_ROSTER", f"「{sig.name}」不在人员名册中（{sig.where}），未计分",
                       f"核对姓名是否写错；是名册漏了的人，在 {ROSTER_FILE} 的 people 中加上 "
                       f"- {{name: {sig.name}, department: {known.name if known else '科室单位'}}}。")
            return None
        if match.person is None:
            depts = "、".join(p.department for p in match.candidates)
            self.issue("NAME_AMBIGUOUS",
                       f"「{sig.name}」在名册中有 {len(match.candidates)} 人（{depts}），"
                       f"签到表没有写明是哪一位（{sig.where}），未计分",
                       "在签到表的「单位（部门）」栏写明科室单位；同一科室重名时，在名册中给其中一位"
                       "加 aliases（如 王峰（大））并在签到表上照此书写。")
            return None
        person = match.person
        dept = self.setup.roster.department(sig.department) if sig.department else None
        if sig.department and (dept is None or dept.name != person.department):
            self.issue("DEPT_MISMATCH", f"「{sig.name}」在名册中属于「{person.department}」，签到表"
                       f"写的是「{sig.department}」（{sig.where}）；按名册计入「{person.department}」",
                       f"人员调动了就更新 {ROSTER_FILE}；写法不同就把「{sig.department}」加到该科室单位的"
                       " aliases 中。")
        return person

    def entries(self) -> list[Entry]:
        rules, activity = self.setup.rules, self.activity
        for note in self.sheet.notes:
            self.issue("SHEET_OCR_UNSURE", note, "对照扫描件核对未读取的部分，用 archive-tool points add 记录；"
                       "或调大 .archive/config.yaml 的 ocr.max_pages。")
        units = self.units()
        out = [self.entry(rules.unit_item, name) for name in units if name not in activity.units]
        activity.units.update(units)
        here: set[Person] = set()
        elsewhere = 0
        for sig in self.signatures():
            person = self.person(sig)
            if person is None:
                continue
            if person in here:
                self.issue("SIGNED_TWICE", f"「{sig.name}」在这张签到表上出现了不止一次（{sig.where}），"
                           "只计一次", "删去重复的签名。")
                continue
            here.add(person)
            if person in activity.people:
                elsewhere += 1
                continue
            activity.people.add(person)
            if rules.unit_covers_members and person.department in activity.units:
                continue
            out.append(self.entry(rules.person_item, person.department, person.name))
        if elsewhere:
            self.issue("SIGNED_TWICE", f"与「{activity.first}」是同一活动（日期和主题相同），其中 "
                       f"{elsewhere} 人已在那张签到表上计分，不重复计", "同一活动只存一张签到表，"
                       "或核对两张表的日期和主题是否写错。")
        if not self.sheet.signatures and not self.sheet.whole_units:
            self.issue("SHEET_NO_NAMES", "签到表中没有填写任何姓名，未计分",
                       "填写参加人员的姓名和单位（部门），或标明整体参加的科室单位（整体参加：科室名）。")
        return out


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def derive(setup: PointsSetup, root, evidence: list[Evidence]) -> tuple[list[Entry], list[Issue]]:
    """Entries of every sign-in sheet among ``evidence`` and the issues found reading them.

    A sheet filed twice (the same content in two indicator folders, as archives do) counts
    once; sheets of one activity (the same date and theme) count each person once."""
    entries: list[Entry] = []
    issues: list[Issue] = []
    copies: dict[str, str] = {}
    activities: dict[tuple, Activity] = {}
    try:
        for ev in (ev for ev in evidence if is_signin(ev)):
            _derive_sheet(setup, root, ev, copies, activities, entries, issues)
    finally:
        close_scan_readers()  # the OCR worker, when a scan had to be read
    return entries, issues


def _derive_sheet(setup: PointsSetup, root, ev: Evidence, copies: dict[str, str],
                  activities: dict[tuple, Activity], entries: list[Entry],
                  issues: list[Issue]) -> None:
    """Entries and issues of one sheet, appended to ``entries`` and ``issues``."""
    if ev.content_hash and ev.content_hash in copies:
        issues.append(Issue("SHEET_COPY", ev.path, f"与「{copies[ev.content_hash]}」内容相同"
                            "（同一份签到表存了两处），只计一次", "无需处理；如是误放，删去其中一份。",
                            ev.date))
        return
    copies.setdefault(ev.content_hash, ev.path)
    try:
        sheet = read_signin(root, ev)
    except SheetError as exc:
        issues.append(Issue(exc.rule, ev.path, exc.message, exc.hint, ev.date))
        return
    if sheet.date is None:
        issues.append(Issue("SHEET_NO_DATE", ev.path, "签到表没有写活动日期，文件名和文档属性中也没有，未计分",
                            "在签到表的「时间：」一行写明日期（如 2018年5月19日），"
                            "或在文件名主题中写明日期。", None))
        return
    activity = activities.setdefault((sheet.date, _fold(sheet.theme)), Activity(sheet.path))
    entries += _Sheet(setup, sheet, issues, activity).entries()
