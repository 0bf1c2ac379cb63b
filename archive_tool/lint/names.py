"""NAME_UNDECODABLE, NAME_FORMAT, NAME_ASCII_COLON, NAME_SEQ_DUP: the name ``NN：主题``."""
from __future__ import annotations

from itertools import chain
from typing import Iterable

from ..evidence import UNDECODABLE_NAME, Evidence, Finding
from ..naming import NAME_MAX_BYTES, fits, format_name, split_ext
from .context import ERROR, WARNING, LintContext, rule

_NAME_MESSAGES = {
    "no_number": "文件名缺少两位数序号和冒号（应为「NN：主题」）",
    "not_two_digits": "序号应为两位数（01、02 …）",
    "no_colon": "序号和主题之间应使用全角冒号「：」",
    "empty_theme": "冒号后缺少文档主题",
}


@rule("NAME_UNDECODABLE", ERROR, "文件名不是有效的 UTF-8 编码")
def name_undecodable(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.error == UNDECODABLE_NAME:
            yield ctx.finding("NAME_UNDECODABLE", ev.path, ev.error_message, ev.error_hint)


def _rename(ctx: LintContext, rule_id: str, path: str, message: str, new: str) -> Finding:
    """A finding whose fix is a rename to ``new``: done by ``lint --fix`` when the file system
    can hold that name, else a fix that says to shorten the theme first."""
    if fits(new):
        return ctx.finding(rule_id, path, message, f"改名为 {new}", rename_to=new)
    return ctx.finding(rule_id, path, message,
                       f"先缩短主题再改名：「{new[:12]}…」超过文件系统允许的文件名长度"
                       f"（{NAME_MAX_BYTES} 字节，一个汉字占 3 字节），lint --fix 不会自动改名")


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
        yield _rename(ctx, "NAME_FORMAT", ev.path, _NAME_MESSAGES[ev.name_problem], new)


@rule("NAME_ASCII_COLON", WARNING, "使用了半角冒号")
def name_ascii_colon(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ascii_colon and ev.name_problem is None:
            new = format_name(ev.seq, ev.theme, split_ext(ev.name)[1])
            yield _rename(ctx, "NAME_ASCII_COLON", ev.path,
                          "文件名使用了半角冒号「:」：在 Windows 和共享盘上无法打开或复制", new)


@rule("NAME_SEQ_DUP", ERROR, "同一文件夹内序号重复")
def name_seq_dup(ctx: LintContext) -> Iterable[Finding]:
    first: dict[tuple[str, int], Evidence] = {}  # the first file of each (folder, number)
    groups: dict[tuple[str, int], list] = {}  # the numbers held by more than one file
    for ev in chain(ctx.result.evidence, ctx.neighbours):
        seq = ev.seq
        if seq is None or ev.name_problem == "no_number":
            continue
        key = (ev.path.rpartition("/")[0], seq)
        held = first.setdefault(key, ev)
        if held is not ev:
            groups.setdefault(key, [held]).append(ev)
    if not groups:
        return
    in_scope = ({ev.path for ev in ctx.result.evidence} if ctx.neighbours else None)
    for (folder, seq), items in sorted(groups.items()):
        # keep the number for the file already named canonically, then the oldest
        items.sort(key=lambda e: (e.name_problem is not None or e.ascii_colon, e.mtime_ns, e.path))
        keep = items[0]
        for ev in items[1:]:
            if in_scope is not None and ev.path not in in_scope:
                continue  # a neighbour of a file linted alone: its own lint says so
            new_seq = ctx.claim(folder)
            new = format_name(new_seq, ev.theme or "文档主题", split_ext(ev.name)[1])
            yield _rename(ctx, "NAME_SEQ_DUP", ev.path, f"序号 {seq:02d} 与「{keep.name}」重复", new)
