"""A file of a kind its indicator does not ask for: the line that says why and where it belongs.

The kinds come from one vocabulary (``indicator_tree.rules.nouns``): the fix names what the
indicator asks for, the indicator of the tree that asks for the file's kind and whose name its
theme shares words with (``2024年创建工作总结.docx`` in 理论学习 -> ``II-5 创建总结``), or the form
the material must take (a Word file of 现场照片 is no photo: photos are image files).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from indicator_tree.kinds import FILE_LABELS, RULE_LABELS
from indicator_tree.rules.nouns import named_nouns, rule_kind
from indicator_tree.rules.text import fold

from .model import CHECK_CODES, NotCounted

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import Indicator, Tree

    from .files import CheckedFile

#: what a kind must be filed as, when a document names it (现场照片.docx)
_MEDIUM = {"photo": "照片需以图片文件（jpg、png）提交，每张用 archive-tool caption set 写明活动时间、"
                    "主办单位、活动主题",
           "av": "音像资料需以音视频文件（mp4、mp3 等）提交，文件名写明活动日期"}


#: names that make a file of each kind (the nouns of indicator_tree.rules.nouns), for the fix
_NAMED = {"record": "学习记录、签到表、台账", "report": "工作总结、说明报告", "document": "实施方案、制度、通知",
          "clipping": "样报、网络截图"}
#: the kinds a file of each medium can be renamed into
_RENAMABLE = {True: ("record", "clipping"), False: ("record", "report", "document", "clipping")}


def label(kind: str) -> str:
    """A kind as the report names it: the rule's label (报告/总结), else the file's (其他)."""
    return RULE_LABELS.get(kind) or FILE_LABELS.get(kind, kind)


def kind_homes(tree: "Tree") -> dict[str, list["Indicator"]]:
    """Evidence kind -> the leaves with a rule asking for that kind by name (not ``any``)."""
    homes: dict[str, list["Indicator"]] = {}
    for leaf in tree.leaves():
        for kind in dict.fromkeys(rule.kind for _, rule in leaf.rules()):
            if kind != "any":
                homes.setdefault(kind, []).append(leaf)
    return homes


def _bigrams(text: str) -> set[str]:
    text = "".join(fold(text).split())
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _home(theme: str, here: str, leaves: list["Indicator"]) -> "Indicator | None":
    words = _bigrams(theme)
    best = max(((len(words & _bigrams(leaf.name)), -i, leaf) for i, leaf in enumerate(leaves)
                if leaf.id != here), default=None, key=lambda item: item[:2])
    return best[2] if best and best[0] else None


def not_asked(f: "CheckedFile", ind: "Indicator", kinds: set[str],
              homes: dict[str, list["Indicator"]]) -> NotCounted:
    """The KIND_NOT_ASKED line of ``f`` in leaf ``ind`` whose rules ask for ``kinds``."""
    ev = f.ev
    message = f"{CHECK_CODES['KIND_NOT_ASKED']}（{label(ev.kind)}）"
    asked = "、".join(label(k) for k in sorted(kinds - {"any"})) or label("any")
    named = {rule_kind(noun) for noun in named_nouns(ev.theme)} & kinds & set(_MEDIUM)
    if named:
        return NotCounted(ev.path, "KIND_NOT_ASKED", message, _MEDIUM[sorted(named)[0]])
    home = _home(ev.theme, ind.id, homes.get(ev.kind, []))
    if home is not None:
        fix = (f"本指标要求的是{asked}；{label(ev.kind)}在「{home.id} {home.name}」有要求，属于该项工作的"
               "请移到该指标文件夹")
    else:
        names = "、".join(_NAMED[k] for k in sorted(kinds)
                         if k in _RENAMABLE[ev.kind in ("photo", "clipping")])
        fix = (f"本指标要求的是{asked}：是这类材料的，在文件名主题中写明（如「{names}」）；否则核对文件"
               "是否放错了指标文件夹" if names else
               f"本指标要求的是{asked}：核对文件是否放错了指标文件夹")
    return NotCounted(ev.path, "KIND_NOT_ASKED", message, fix)
