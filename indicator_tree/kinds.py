"""The kinds of evidence, in one place: what a rule may ask for, what a file can be, how each is
named, and which kinds of file count toward which kind of rule.

The nouns behind the kinds (what a requirement or a file name calls a material) are
:mod:`.rules.nouns`; this module is the kinds themselves. A rule asks for one kind or for
``any``; a file is one kind, or ``other`` (an extension the tool does not read as evidence). A
file counts toward the rules of its own kind only, so that a 总结 never stands in for the 方案
asked beside it, nor a 签到表 for a 制度; ``any`` takes every kind but ``other``.
"""
from __future__ import annotations

#: what a rule may ask for
RULE_KINDS = ("photo", "clipping", "report", "document", "record", "av", "any")
#: what a file can be
FILE_KINDS = ("photo", "clipping", "report", "record", "document", "av", "other")

#: a rule's kind as a requirement names it (还差 2 张现场照片)
RULE_LABELS = {
    "photo": "现场照片",
    "clipping": "样报/截屏",
    "report": "报告/总结",
    "document": "文件",
    "record": "活动记录",
    "av": "音像资料",
    "any": "活动材料",
}
#: a file's kind as the search, the catalogue and the web pages name it
FILE_LABELS = {
    "photo": "照片", "clipping": "样报/截屏", "report": "说明报告", "record": "活动记录",
    "document": "文件", "av": "音视频", "other": "其他",
}

#: rule kind -> the file kinds that count toward it
ACCEPTS = {kind: frozenset({kind}) for kind in RULE_KINDS if kind != "any"}
ACCEPTS["any"] = frozenset(FILE_KINDS) - {"other"}


def accepts(rule_kind: str, file_kind: str) -> bool:
    """True when a file of ``file_kind`` can count toward a rule of ``rule_kind``."""
    return file_kind in ACCEPTS.get(rule_kind, ())
