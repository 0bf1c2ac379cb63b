"""New files in an indicator's folder: a 说明报告, 活动记录 or 签到表 from the shipped templates
(``archive-tool new``), or a file uploaded through the browser (:func:`store_file`).

The templates (:mod:`archive_tool.templates`) hold ``{{key}}`` placeholders; this module says
what they become (:func:`document_values`). The new file goes into the indicator's folder as
``NN：主题.docx`` numbered after the folder's highest number, its footer already holding the name
(seed 004: "宜在正文页脚插入文档名称(居右)"). Creating it is recorded in the undo log, so
``archive-tool undo`` removes a document that was made by mistake (and not edited since).
"""
from __future__ import annotations

import difflib
import os
import secrets
import threading
import unicodedata
from pathlib import Path
from typing import Iterable

from indicator_tree import Indicator, Tree

from .config import CONFIG_FILE, ArchiveConfig
from .errors import FileOperationError, UsageError, os_reason
from .evidence import AV_EXTS, DOC_EXTS, IMAGE_EXTS, LEGACY_EXTS, kind_of
from .layout import EVIDENCE_NAME_BUDGET, folder_counts, folder_id, listing, target_paths
from .naming import (clean_theme, device_name, format_name, parse_name, split_ext, width,
                     without_emoji)
from .templates import HINT_MARK, fill_template, template_bytes

#: the kinds of ``archive-tool new`` and their names
KINDS = {"report": "说明报告", "record": "活动记录", "signin": "签到表"}
#: the evidence kind scan gives a title of each kind (evidence.kind_of): a theme that does not
#: say it gets the kind's name appended, so a report made by ``new`` counts as a report
_TITLE_KINDS = {"report": "report", "record": "record", "signin": "record"}


# ---- the indicator ------------------------------------------------------------------------
def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def closest_indicators(tree: Tree, ref: str, n: int = 5) -> list[Indicator]:
    """The indicators whose id or name is nearest to ``ref`` (difflib over ids and names)."""
    wanted = _fold(ref)
    keys: dict[str, Indicator] = {}
    for ind in tree.walk():
        for key in (ind.id, ind.name, f"{ind.id}{ind.name}"):
            keys.setdefault(_fold(key), ind)
    found: list[Indicator] = []
    for key in difflib.get_close_matches(wanted, list(keys), n=n * 3, cutoff=0.5):
        if keys[key] not in found:
            found.append(keys[key])
    for ind in tree.walk():  # a part of a name ("志愿") finds the names holding it
        if wanted and wanted in _fold(ind.name) and ind not in found:
            found.append(ind)
    return found[:n]


def _label(ind: Indicator) -> str:
    return f"{ind.id} {ind.name}"


def find_indicator(tree: Tree, ref: str) -> Indicator:
    """The leaf indicator ``ref`` names (its id, or its exact name when unique).

    UsageError for an unknown indicator (naming the closest ones) and for a non-leaf one
    (naming its leaves)."""
    wanted = _fold(ref)
    ind = next((i for i in tree.walk() if _fold(i.id) == wanted), None)
    if ind is None and " " in ref.strip():  # a folder name, "III-15 志愿服务活动"
        head = _fold(ref.strip().partition(" ")[0])
        ind = next((i for i in tree.walk() if _fold(i.id) == head), None)
    if ind is None:
        by_name = [i for i in tree.walk() if _fold(i.name) == wanted]
        ind = by_name[0] if len(by_name) == 1 else None
    if ind is None:
        near = closest_indicators(tree, ref)
        hint = ("相近的指标：" + "；".join(_label(i) for i in near) + "。" if near else "")
        raise UsageError(f"指标体系「{tree.id}」中没有指标「{ref}」",
                         hint + f"用 archive-tool tree show {tree.id} 查看全部指标编号。")
    if not ind.is_leaf:
        leaves = [i for i in ind.walk() if i.is_leaf]
        shown = "；".join(_label(i) for i in leaves[:10])
        more = f" 等 {len(leaves)} 项" if len(leaves) > 10 else ""
        raise UsageError(f"「{_label(ind)}」不是末级指标，材料应放在它下面的末级指标中",
                         f"可选的末级指标：{shown}{more}。")
    return ind


def indicator_folder(config: ArchiveConfig, ind: Indicator) -> Path:
    """The indicator's folder: the planned one when it exists, else a folder anywhere in the
    archive whose id prefix is the indicator's (its parent's id preferred), else the planned
    path (not created here)."""
    planned = target_paths(config.tree)[ind.id]
    if (config.root / planned).is_dir():
        return config.root / planned
    parent = config.tree.ancestors(ind.id)[-1:] or ("",)
    found = sorted((p for p in folder_counts(config.root)[0]
                    if folder_id(p.rpartition("/")[2]) == ind.id),
                   key=lambda p: (folder_id(p.rpartition("/")[0].rpartition("/")[2] or "")
                                  != parent[0], p))
    return config.root / (found[0] if found else planned)


# ---- the texts ----------------------------------------------------------------------------
def requirement_text(ind: Indicator) -> str:
    """The indicator's requirements (numbered when several) and the materials its rules ask for."""
    reqs = ind.requirements
    lines = []
    for number, req in enumerate(reqs, 1):
        text = req.text + (f"（注：{req.note}）" if req.note else "")
        lines.append(f"{number}. {text}" if len(reqs) > 1 else text)
    rules = list(dict.fromkeys(rule.describe() for _, rule in ind.rules()))
    if rules:
        lines.append("应交材料：" + "；".join(rules) + "。")
    return "\n".join(lines) or "（指标体系中没有写明要求）"


def report_lengths(ind: Indicator) -> list[tuple[int, int]]:
    """The character ranges the indicator's report rules ask for, without repeats."""
    return sorted({rule.words for _, rule in ind.rules() if rule.kind == "report" and rule.words})


def body_text(kind: str, ind: Indicator) -> str:
    if kind == "record":
        return "（简要记录活动过程、主要内容和取得的成效。）"
    if kind != "report":
        return ""
    ranges = report_lengths(ind)
    length = ("字数要求：" + "或".join(f"{lo}–{hi} 字" for lo, hi in ranges) + "。"
              if ranges else "")
    return (f"（在此撰写正文，说明工作的做法、过程和成效。{length}"
            f"{HINT_MARK}和上面的“材料要求”。）")


def title_text(kind: str, theme: str) -> str:
    said = kind_of(".docx", theme) == _TITLE_KINDS[kind]
    if said and (kind != "signin" or "签到" in theme):
        return theme
    return theme + KINDS[kind]


# ---- the values -------------------------------------------------------------------------
def document_values(config: ArchiveConfig, kind: str, ind: Indicator, name: str,
                    title: str, theme: str) -> dict[str, str]:
    """What the placeholders of a template become (``theme`` is the 活动主题 as given)."""
    return {
        "name": name,
        "title": title,
        "theme": theme,
        "unit": config.unit or "（单位名称）",
        "indicator": " / ".join(_label(i) for i in config.tree.path(ind.id)),
        "requirement": requirement_text(ind),
        "body": body_text(kind, ind),
    }


# ---- new ----------------------------------------------------------------------------------
def _taken(folder: Path) -> set[int]:
    """The numbers the files of ``folder`` hold (as the walk lists them)."""
    return {seq for name in listing(folder).files if (seq := parse_name(name).seq) is not None}


def next_name(folder: Path, title: str, ext: str, theme: str | None = None) -> str:
    """``NN：title.ext`` numbered after the highest number of ``folder`` (numbers give the order
    in which documents came; a gap left by a moved file is not filled); UsageError when the
    name is too long for a Windows path (``theme``: the part the user typed, to shorten)."""
    taken = _taken(folder)
    filename = format_name(max(taken) + 1 if taken else 1, title, ext.lower())
    if width(filename) > EVIDENCE_NAME_BUDGET:
        room = EVIDENCE_NAME_BUDGET - (width(filename) - width(theme or title))
        raise UsageError(f"文件名「{shortened_name(filename)}」太长（{width(filename)} 个字，上限 "
                         f"{EVIDENCE_NAME_BUDGET} 个字，以免 Windows 路径超过 260 个字符）",
                         f"把主题缩短到 {max(room, 1)} 个字以内。")
    return filename


def new_document(config: ArchiveConfig, kind: str, indicator_id: str, theme: str) -> Path:
    """Create ``<indicator folder>/NN：主题.docx`` from the template of ``kind`` and return its
    path. The number follows the folder's highest (numbers give the order in which documents
    came; a gap left by a moved file is not filled); the footer, title, indicator and
    requirement text are filled in."""
    from .undo import UndoLog

    if kind not in KINDS:
        raise UsageError(f"未知的文档类型「{kind}」",
                         "可用类型：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items()) + "。")
    theme = clean_theme(theme) if theme.strip() else ""
    numbered = parse_name(f"{theme}.docx")
    if numbered.seq is not None and numbered.theme:  # "01：主题": the number is new's to give
        theme = numbered.theme
    if not theme:
        raise UsageError("文档主题不能为空", '写明主题，如 archive-tool new report II-1 "理论学习情况"。')
    title = title_text(kind, theme)
    ind = find_indicator(config.tree, indicator_id)
    folder = indicator_folder(config, ind)
    filename = next_name(folder, title, ".docx", theme)
    path = folder / filename
    values = document_values(config, kind, ind, filename[:-len(".docx")], title, theme)
    data = fill_template(template_bytes(kind), values)
    require_present(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with UndoLog(config.root).transaction(f"new {kind}") as tx:
            tx.record_create(path)
            with open(path, "xb") as fh:
                fh.write(data)
    except FileExistsError:
        raise FileOperationError(f"文件已存在：{path}", "另一个程序刚刚建了同名文件；请重试。") from None
    except OSError as exc:
        raise FileOperationError(f"无法新建 {path}：{os_reason(exc)}",
                                 "检查该文件夹是否可写（共享盘权限、只读）后重试。") from None
    return path


# ---- upload -------------------------------------------------------------------------------
#: what may be stored from a browser: raster images, documents, audio and video (never HTML,
#: SVG or a program)
UPLOAD_EXTS = frozenset((IMAGE_EXTS | DOC_EXTS | LEGACY_EXTS | AV_EXTS) - {".md"})
#: one upload names its file at a time (two at once would take the same number)
_NAMING = threading.Lock()


def upload_theme(filename: str, theme: str = "") -> str:
    """The theme a stored file gets: the one typed, else the file's own name without its
    number (``03：学雷锋.jpg`` and ``学雷锋.jpg`` both give ``学雷锋``), without emoji.
    UsageError when nothing is typed and the file's name is a camera's or a program's
    (``IMG_0421.jpg``, ``新建 Microsoft Word 文档.docx``): it says nothing of the activity."""
    typed = (theme or "").strip()
    own = parse_name(os.path.basename(filename)).theme
    if not typed and device_name(own):
        raise UsageError(f"文件名「{shortened_name(filename)}」是相机、手机或软件自动起的，不是活动主题",
                         "在「主题」一栏写明活动主题（如「学雷锋志愿服务」）后再上传。")
    chosen = clean_theme(without_emoji(typed or own)).strip(" .")
    if not chosen:
        raise UsageError(f"无法从文件名「{shortened_name(filename)}」得到主题", "在「主题」一栏写明活动主题。")
    return chosen


def shortened_name(name: str, limit: int = 40) -> str:
    """A name as a message quotes it: a very long one cut in the middle."""
    return name if len(name) <= limit else f"{name[:limit - 12]}…{name[-10:]}"


def require_present(config: ArchiveConfig) -> None:
    """FileOperationError when the archive is no longer where it was opened (a share gone, a
    folder moved away): a new file would otherwise make a stray copy of its folders there."""
    if not (config.archive_dir / CONFIG_FILE).is_file():
        raise FileOperationError(f"档案文件夹无法访问：{config.root}（找不到 .archive/{CONFIG_FILE}）",
                                 "检查档案所在的共享文件夹是否已连接、是否被移走，恢复后重试。")


def store_file(config: ArchiveConfig, indicator_id: str, filename: str,
               chunks: Iterable[bytes], theme: str = "") -> Path:
    """Store a file received (an upload) in the leaf's folder as ``NN：主题.ext`` (the archive's
    name: the name received gives only the extension and, without a theme, the theme); the
    creation is recorded in the undo log ("web upload"). The bytes are synced to a temporary
    file first and never replace an existing file. Returns the new file's path."""
    from .places import inside_archive
    from .undo import UndoLog

    ext = split_ext(os.path.basename(filename))[1].lower()
    if ext not in UPLOAD_EXTS:
        raise UsageError(f"不接受这种文件：{shortened_name(filename)}",
                         "可上传照片、Word/PDF/Excel 文档和音视频；网页、SVG、程序等不接受。")
    theme = upload_theme(filename, theme)
    folder = indicator_folder(config, find_indicator(config.tree, indicator_id))
    inside_archive(config.root, folder)
    require_present(config)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".~upload-{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "xb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with _NAMING:
            target = folder / next_name(folder, theme, ext)
            with UndoLog(config.root).transaction("web upload") as tx:
                tx.record_create(target)
                _place(tmp, target)
    except OSError as exc:
        raise FileOperationError(f"无法保存上传的文件：{filename}（{os_reason(exc)}）",
                                 "检查档案文件夹是否可写、磁盘空间是否足够。") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _place(tmp: Path, target: Path) -> None:
    """Give the stored bytes their name without ever replacing a file: a hard link fails on
    an existing name; where links are not supported (some shares) a rename, which Windows
    refuses onto an existing name too (the name was checked free under the lock)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except (OSError, AttributeError):
        os.rename(tmp, target)
