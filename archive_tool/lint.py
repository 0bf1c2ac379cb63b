"""Named rules over Evidence -> Findings.

Each rule id of DESIGN.md is one function registered with :func:`rule`; every finding carries
the rule id, the path relative to the archive root, a severity, a Chinese message and a
concrete fix. Rules read only the scan result: none of them opens a file.
"""
from __future__ import annotations

import difflib
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable

from . import fix_commands
from .errors import UsageError
from .evidence import IMAGE_EXTS, LEGACY_EXTS, Evidence, Finding
from .naming import format_name, next_free, parse_name, split_ext
from .scan import ScanResult

WARNING, ERROR = "warning", "error"
#: caption and camera dates further apart than this are reported
DATE_TOLERANCE = timedelta(days=3)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: Callable[["LintContext"], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str):
    """Register a rule function under ``rule_id``."""
    def register(fn: Callable[["LintContext"], Iterable[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, title, fn)
        return fn
    return register


@dataclass
class LintContext:
    result: ScanResult
    #: numbers taken per folder, updated as fixes are proposed so two fixes never collide
    taken: dict[str, set[int]] = field(default_factory=dict)
    #: where the suggested commands will be run (paths in them are relative to it when they can)
    cwd: str | None = None
    #: for a file linted alone, the other files of its folder (ScanResult.neighbours)
    neighbours: list["_Neighbour"] = field(default_factory=list)

    def __post_init__(self) -> None:
        for ev in self.result.evidence:
            if ev.seq is not None:
                self.taken.setdefault(ev.folder, set()).add(ev.seq)
        # a file linted alone: the other files of its folder hold numbers too
        self.neighbours = [_Neighbour(p, mtime) for p, mtime in self.result.neighbours]
        for other in self.neighbours:
            if other.seq is not None:
                self.taken.setdefault(other.folder, set()).add(other.seq)

    @property
    def tree(self):
        return self.result.config.tree

    def claim(self, folder: str, start: int = 1) -> int:
        numbers = self.taken.setdefault(folder, set())
        seq = next_free(numbers, start)
        numbers.add(seq)
        return seq

    def finding(self, rule_id: str, path: str, message: str, fix: str,
                rename_to: str | None = None) -> Finding:
        return Finding(rule_id, path, RULES[rule_id].severity, message, fix, rename_to)


    def command_path(self, rel: str) -> str:
        """``rel`` as a command line gives it from ``cwd`` (see :mod:`fix_commands`)."""
        return fix_commands.command_path(self.result.root, rel, self.cwd)


# ---- names ----------------------------------------------------------------------------------
class _Neighbour:
    """A file of the folder of a file linted alone: its name and age, for NAME_SEQ_DUP."""

    def __init__(self, path: str, mtime_ns: int):
        parsed = parse_name(path.rsplit("/", 1)[-1])
        self.path, self.mtime_ns, self.name = path, mtime_ns, path.rsplit("/", 1)[-1]
        self.folder = path.rsplit("/", 1)[0] if "/" in path else ""
        self.seq, self.name_problem = parsed.seq, parsed.problem
        self.ascii_colon = parsed.colon == "ascii"


_NAME_MESSAGES = {
    "no_number": "文件名缺少两位数序号和冒号（应为「NN：主题」）",
    "not_two_digits": "序号应为两位数（01、02 …）",
    "no_colon": "序号和主题之间应使用全角冒号「：」",
    "empty_theme": "冒号后缺少文档主题",
}


@rule("NAME_FORMAT", ERROR, "文件名不是「NN：主题」")
def name_format(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.name_problem is None:
            continue
        ext = split_ext(ev.name)[1]
        if ev.name_problem == "empty_theme":
            yield ctx.finding("NAME_FORMAT", ev.path, _NAME_MESSAGES["empty_theme"],
                              f"在冒号后写明文档主题，如 {format_name(ev.seq, '文档主题', ext)}")
            continue
        seq = ev.seq if ev.seq is not None else ctx.claim(ev.folder)
        new = format_name(seq, ev.theme, ext)
        yield ctx.finding("NAME_FORMAT", ev.path, _NAME_MESSAGES[ev.name_problem],
                          f"改名为 {new}", rename_to=new)


@rule("NAME_ASCII_COLON", WARNING, "使用了半角冒号")
def name_ascii_colon(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ascii_colon and ev.name_problem is None:
            new = format_name(ev.seq, ev.theme, split_ext(ev.name)[1])
            yield ctx.finding("NAME_ASCII_COLON", ev.path,
                              "文件名使用了半角冒号「:」：在 Windows 和共享盘上无法打开或复制",
                              f"改名为 {new}", rename_to=new)


@rule("NAME_SEQ_DUP", ERROR, "同一文件夹内序号重复")
def name_seq_dup(ctx: LintContext) -> Iterable[Finding]:
    groups: dict[tuple[str, int], list] = defaultdict(list)
    in_scope = {ev.path for ev in ctx.result.evidence}
    for ev in [*ctx.result.evidence, *ctx.neighbours]:
        if ev.seq is not None and ev.name_problem != "no_number":
            groups[(ev.folder, ev.seq)].append(ev)
    for (folder, seq), items in sorted(groups.items()):
        if len(items) < 2:
            continue
        # keep the number for the file already named canonically, then the oldest
        items.sort(key=lambda e: (e.name_problem is not None or e.ascii_colon, e.mtime_ns, e.path))
        keep = items[0]
        for ev in items[1:]:
            if ev.path not in in_scope:
                continue  # a neighbour of a file linted alone: its own lint says so
            new_seq = ctx.claim(folder)
            new = format_name(new_seq, ev.theme or "文档主题", split_ext(ev.name)[1])
            yield ctx.finding("NAME_SEQ_DUP", ev.path,
                              f"序号 {seq:02d} 与「{keep.name}」重复",
                              f"改名为 {new}", rename_to=new)


# ---- placement ------------------------------------------------------------------------------
def _leaf_hint(ctx: LintContext, indicator_id: str | None) -> str:
    if indicator_id is None:
        leaves = [ind for ind in ctx.tree.leaves()][:3]
    else:
        leaves = [ind for ind in ctx.tree.get(indicator_id).walk() if ind.is_leaf][:3]
    names = "、".join(f"「{ind.id} {ind.name}」" for ind in leaves)
    return f"移到对应的末级指标文件夹，如 {names}" if names else "移到对应的末级指标文件夹"


@rule("PLACE_OUTSIDE", ERROR, "文件不在末级指标文件夹内")
def place_outside(ctx: LintContext) -> Iterable[Finding]:
    # a file inside an unknown folder is covered by that folder's PLACE_UNKNOWN_DIR finding
    for ev in ctx.result.evidence:
        if ev.in_leaf or ev.unknown_dirs:
            continue
        where = f"上级指标「{ev.indicator_id}」的文件夹" if ev.indicator_id else "档案根目录"
        yield ctx.finding("PLACE_OUTSIDE", ev.path, f"文件放在{where}中，不在末级指标文件夹内",
                          _leaf_hint(ctx, ev.indicator_id))


def _closest_indicator(ctx: LintContext, folder_name: str) -> str | None:
    choices = {f"{ind.id} {ind.name}": ind for ind in ctx.tree.walk()}
    name = unicodedata.normalize("NFKC", folder_name)
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.3)
    if not match:
        by_name = {ind.name: key for key, ind in choices.items()}
        hit = difflib.get_close_matches(name.split(" ", 1)[-1], list(by_name), n=1, cutoff=0.3)
        match = [by_name[hit[0]]] if hit else []
    return match[0] if match else None


@rule("PLACE_UNKNOWN_DIR", ERROR, "文件夹不对应任何指标")
def place_unknown_dir(ctx: LintContext) -> Iterable[Finding]:
    unknown = [f for f in ctx.result.folders if f.indicator_id is None]
    reported: list[str] = []
    for folder in unknown:
        if any(folder.path.startswith(p + "/") for p in reported):
            continue
        reported.append(folder.path)
        name = folder.path.rsplit("/", 1)[-1]
        closest = _closest_indicator(ctx, name)
        fix = (f"改名为「{closest}」（文件夹名以指标编号开头），或把其中的文件移到对应指标文件夹"
               if closest else "把文件夹改名为「指标编号 指标名称」，或把其中的文件移到对应指标文件夹")
        count = sum(1 for ev in ctx.result.evidence
                    if ev.path.startswith(folder.path + "/"))
        yield ctx.finding("PLACE_UNKNOWN_DIR", folder.path,
                          f"文件夹「{name}」不对应指标体系中的任何指标（内有 {count} 个文件）", fix)


# ---- captions -------------------------------------------------------------------------------
def _caption_command(ctx: LintContext, ev: Evidence, when=None) -> str:
    cap = ev.caption
    when = when or (cap.time if cap and cap.time else ev.exif_date or ev.date)
    organizer = (cap.organizer if cap and cap.organizer else ctx.result.config.unit)
    theme = cap.theme if cap and cap.theme else ev.theme
    return fix_commands.caption_set(ctx.command_path(ev.path), when, organizer, theme)


@rule("CAPTION_MISSING", ERROR, "图片没有说明")
def caption_missing(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext in IMAGE_EXTS and ev.caption is None and not ev.error:
            yield ctx.finding("CAPTION_MISSING", ev.path,
                              "图片没有说明（需注明活动时间、主办单位、活动主题）",
                              _caption_command(ctx, ev))


_PART_RULES = (("time", "CAPTION_NO_TIME", "活动时间"),
               ("organizer", "CAPTION_NO_ORGANIZER", "主办单位"),
               ("theme", "CAPTION_NO_THEME", "活动主题"))


def _caption_part(rule_id: str):
    part, _, label = next(p for p in _PART_RULES if p[1] == rule_id)

    def check(ctx: LintContext) -> Iterable[Finding]:
        for ev in ctx.result.evidence:
            if ev.caption is not None and part in ev.caption.missing:
                yield ctx.finding(rule_id, ev.path,
                                  f"图片说明缺少{label}：「{ev.caption.text[:40]}」",
                                  _caption_command(ctx, ev))
    return check


for _part, _rule_id, _label in _PART_RULES:
    rule(_rule_id, ERROR, f"图片说明缺少{_label}")(_caption_part(_rule_id))


@rule("CAPTION_DATE_MISMATCH", WARNING, "说明日期与拍摄日期不符")
def caption_date_mismatch(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        cap = ev.caption
        if cap and cap.time and ev.exif_date and abs(cap.time - ev.exif_date) > DATE_TOLERANCE:
            yield ctx.finding(
                "CAPTION_DATE_MISMATCH", ev.path,
                f"说明中的活动时间 {cap.time} 与相机记录的拍摄日期 {ev.exif_date} 相差 "
                f"{abs((cap.time - ev.exif_date).days)} 天",
                "核对活动时间；说明有误时运行：" + _caption_command(ctx, ev, ev.exif_date))


# ---- documents ------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@rule("FOOTER_MISSING", ERROR, "Word 文档页脚没有文档名称")
def footer_missing(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext not in (".docx", ".docm") or ev.error or ev.name_problem == "no_number":
            continue
        stem = split_ext(ev.name)[0]
        wanted = {_squash(stem), _squash(ev.theme)} - {""}
        footers = [_squash(f) for f in ev.footers]
        if any(w in f for w in wanted for f in footers):
            continue
        yield ctx.finding("FOOTER_MISSING", ev.path,
                          f"页脚中没有文档名称「{stem}」",
                          f"在 Word 中于页脚插入「{stem}」（右对齐），或运行："
                          f"{fix_commands.footer_fix(ctx.command_path(ev.path))}")


@rule("REPORT_LENGTH", ERROR, "说明报告字数不符合要求")
def report_length(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.kind != "report" or ev.char_count is None or ev.error or not ev.indicator_id:
            continue
        indicator = ctx.tree.get(ev.indicator_id)
        ranges = [r.words for _, r in indicator.rules() if r.kind == "report" and r.words]
        if not ranges or any(lo <= ev.char_count <= hi for lo, hi in ranges):
            continue
        lo, hi = min(ranges, key=lambda w: abs((w[0] + w[1]) / 2 - ev.char_count))
        verb = "精简" if ev.char_count > hi else "补充"
        yield ctx.finding("REPORT_LENGTH", ev.path,
                          f"说明报告 {ev.char_count} 字，要求 {lo}–{hi} 字",
                          f"{verb}内容至 {lo}–{hi} 字（按中文字符、全角标点和英文单词计数）")


_UNREADABLE_FIX = {
    "encrypted": "导出一份没有密码的副本替换此文件",
    "empty": "文件为空：从原始来源重新复制此文件",
    "too_large": "文件异常（解压后过大）：重新导出或另存此文件",
}


@rule("FILE_UNREADABLE", ERROR, "文件损坏、加密或不完整")
def file_unreadable(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.error:
            yield ctx.finding("FILE_UNREADABLE", ev.path,
                              ev.error_message or "文件无法读取",
                              _UNREADABLE_FIX.get(ev.error,
                                                  "用原程序打开后重新保存，或从原始来源重新复制"))


@rule("FILE_NO_TEXT", WARNING, "PDF 没有文字层")
def file_no_text(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext == ".pdf" and ev.has_text_layer is False and not ev.error:
            yield ctx.finding("FILE_NO_TEXT", ev.path, "PDF 没有文字层（扫描件），无法检索内容",
                              "用 OCR 生成带文字层的 PDF（如 WPS「PDF 转文字」），或另附 Word 版本")


@rule("FILE_LEGACY_FORMAT", WARNING, "旧格式文件")
def file_legacy_format(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext in LEGACY_EXTS:
            new_ext = {".xls": ".xlsx", ".et": ".xlsx", ".ppt": ".pptx", ".dps": ".pptx"}.get(
                ev.ext, ".docx")
            yield ctx.finding("FILE_LEGACY_FORMAT", ev.path,
                              f"{ev.ext} 是旧格式，无法读取内容和页脚",
                              f"用 Word/WPS 打开并另存为 {new_ext}")


# ---- running --------------------------------------------------------------------------------
@dataclass
class LintReport:
    result: ScanResult
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    def summary(self) -> dict:
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        return {"files": len(self.result.evidence), "findings": len(self.findings),
                "errors": self.errors, "warnings": self.warnings,
                "by_rule": dict(sorted(by_rule.items()))}

    def to_dict(self) -> dict:
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary()}


def select_rules(rules: Iterable[str] | None = None) -> list[str]:
    """The rule ids to run (all by default; case does not matter). UsageError for an unknown
    one, so a command can check its options before it scans."""
    selected = [r.strip().upper() for r in rules] if rules else list(RULES)
    unknown = [r for r in selected if r not in RULES]
    if unknown:
        raise UsageError(f"未知的规则：{', '.join(unknown)}",
                         hint=f"可用规则：{', '.join(RULES)}")
    return selected


def lint(result: ScanResult, rules: Iterable[str] | None = None, *,
         cwd: str | os.PathLike | None = None) -> LintReport:
    """Run the named rules (all by default) over a scan; findings are also set on each Evidence.

    Commands in fixes name files as seen from ``cwd`` (the current folder by default)."""
    selected = select_rules(rules)
    ctx = LintContext(result, cwd=os.fspath(cwd) if cwd is not None else None)
    findings: list[Finding] = []
    for rule_id in RULES:
        if rule_id in selected:
            findings.extend(RULES[rule_id].check(ctx))
    findings.sort(key=lambda f: (f.path.rsplit("/", 1)[0] if "/" in f.path else "", f.path,
                                 list(RULES).index(f.rule)))
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    for ev in result.evidence:
        ev.findings = by_path.get(ev.path, [])
    return LintReport(result, findings)
