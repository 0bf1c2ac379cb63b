"""The material nouns: one vocabulary for what a requirement asks for and what a file is.

The rule parser (:mod:`.materials`) reads a requirement's nouns with :data:`NOUNS`; the archive
classifies an evidence file from the theme of its name with :func:`named_kind`, over the same
nouns, so that whatever a rule asks for by a noun, a file named with that noun counts for it
(``archive_tool.evidence.kind_of``; the README's "Kinds of evidence" table):

=========  ====================================================================================
kind       nouns
=========  ====================================================================================
photo      照片 相片 图片 现场图片 活动照片 …
clipping   样报 剪报 报纸 截图 截屏 报道 (新闻报道, 媒体报道 …); in a file name also 电视, 网页
report     说明报告; 总结 报告 小结 心得体会 调研报告 讲稿 … (a rule: with or without a length)
record     记录 纪要 签到表 台账 考勤表 登记表 笔记 …
document   方案 制度 计划 办法 正式发文 通知 文件 简报 清单 …; 信息 稿件 文章 when counted
av         视频 录像 录音 音像资料 音视频 …
=========  ====================================================================================

A noun followed by 会 / 会议 / 现场 … names no material (报告会 is a meeting, 视频会议 a
teleconference, 签到现场 a photo); see :data:`NOT_MATERIAL` and :data:`_NOT_AFTER`.
"""
from __future__ import annotations

import re

from .text import fold

#: noun -> kind; "writing" asks for a report (a length may go with it); "counted" nouns ask for
#: something only with a count (报送信息不少于10条, 办3期板报): :data:`COUNTED_KIND`
NOUNS: dict[str, str] = {}
for _kind, _words in (
    ("clipping", "样报图片 样报 剪报 报纸 电视截屏 电视截图 网络截图 网页截图 网络截屏 手机截图 截图 截屏 "
                 "新闻报道 媒体报道 宣传报道 报道"),
    ("photo", "现场照片 活动照片 照片 相片 现场图片 活动图片 图片资料 图片汇编 图片"),
    ("av", "音像资料 音视频 短视频 微视频 视频资料 视频 录像资料 录像 录音资料 录音 音频 影像资料"),
    ("report", "说明报告"),
    ("writing", "总结报告 工作总结 调研报告 情况报告 报告 总结 小结 心得体会 心得 体会文章 论文 讲稿 "
                "发言稿 情况说明"),
    ("record", "会议记录 活动记录 学习记录 记录 会议纪要 纪要 签到表 签到册 签到簿 签到 台账 考勤表 "
               "登记表 学习笔记 笔记"),
    ("document", "正式发文 发文 规范文件 文件 通知 实施方案 工作方案 活动方案 方案 制度 计划 办法 规划 "
                 "预案 细则 清单 简报 倡议书 承诺书 责任书 公约 守则 名单 章程 通报 表彰决定 汇总表 统计表 "
                 "一览表"),
    ("counted", "信息 稿件 文章 板报 黑板报 展板 条幅 横幅 海报"),
):
    NOUNS.update(dict.fromkeys(_words.split(), _kind))
#: the kind a counted noun asks for (the others are things photographed: 板报, 展板 …)
COUNTED_KIND = {"信息": "document", "稿件": "document", "文章": "document"}


def rule_kind(noun: str) -> str:
    """The evidence kind a rule asks for when a requirement names ``noun`` (a key of
    :data:`NOUNS`): writing is a report, a counted noun its :data:`COUNTED_KIND`."""
    kind = NOUNS[noun]
    if kind == "writing":
        return "report"
    if kind == "counted":
        return COUNTED_KIND.get(noun, "photo")
    return kind


NOUN_PATTERN = "(" + "|".join(sorted(NOUNS, key=len, reverse=True)) + ")"

# ---- file names -------------------------------------------------------------------------------
#: clipping words read in file names only (a TV or web page captured: 市电视台新闻.jpg)
_FILE_CLIPPING = ("电视", "网页")
#: compounds holding a material word that are no material: a 电视电话会议 is a teleconference, a
#: 报纸征订 notice is about subscriptions, a 网页设计 is a design
NOT_MATERIAL = ("电视电话", "视频会议", "视频连线", "报纸征订", "征订报纸", "网页设计")
#: after a noun: the noun is part of something else (报告会, 总结大会, 签到现场, 记录员)
_NOT_AFTER = re.compile(r"会|现场|仪式|员|人|栏|墙|设计|征订|平台|系统|软件")
_FILE_NOUN_RE = re.compile("(" + "|".join(sorted(list(NOUNS) + list(_FILE_CLIPPING), key=len,
                                                  reverse=True)) + ")")
#: the record nouns that name a paper form: an image so named is a scan or photo of the form
#: (签到表.jpg), not a photo of the activity (签到现场, 活动记录 stay photos)
_FORMS = frozenset({"签到表", "签到册", "签到簿", "台账", "考勤表", "登记表", "会议记录", "会议纪要",
                    "纪要", "学习笔记", "笔记"})


def _file_kind(noun: str) -> str:
    return "clipping" if noun in _FILE_CLIPPING else rule_kind(noun)


def named_nouns(theme: str) -> list[str]:
    """The material nouns a file's theme names, in order (traditional script folded:
    工作總結 is 工作总结)."""
    text = fold(theme)
    for word in NOT_MATERIAL:
        text = text.replace(word, "")
    return [m.group(1) for m in _FILE_NOUN_RE.finditer(text)
            if not _NOT_AFTER.match(text, m.end())]


def named_kind(theme: str, image: bool) -> str | None:
    """The evidence kind a file's theme names, or None when it names none.

    A document (docx, pdf …) is what its last material noun names, as a Chinese compound's head
    comes last (学习党代会报告的会议记录 is a record, 关于报送工作总结的通知 a notice): report,
    record, clipping or document. An image is a clipping when it names one anywhere (样报照片 is
    a photo of a newspaper), a record when its last noun is a paper form (3月签到表.jpg), else
    (None) a photo.
    """
    nouns = named_nouns(theme)
    kinds = [_file_kind(noun) for noun in nouns]
    if image:
        if "clipping" in kinds:
            return "clipping"
        return "record" if nouns and nouns[-1] in _FORMS else None
    kinds = [k for k in kinds if k in ("report", "record", "clipping", "document")]
    return kinds[-1] if kinds else None
