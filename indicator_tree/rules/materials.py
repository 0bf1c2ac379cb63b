"""Materials named in requirement text: the kind of evidence each noun asks for, with its count
when one is written before the noun (4张现场照片, 不少于3张照片) or after it (照片不少于3张,
现场照片3张以上, 照片（不少于3张）), and report lengths (400字左右, 不超过800字 …).

A noun names no material where it is not an ask: inside 《》 or “” (a title), followed by 的 or
a word that makes it part of something else (制度化, 计划周密, 视频会议, 文件精神), after 每张 /
每类 (每张图片需注明…), after 或 (an alternative of the material before it), or governed by a
verb that does not ask for it (落实 / 执行 / 贯彻 / 融入 / 纳入 / 按照 / 对照 … 制度).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import AT_LEAST, NUM, cn_number

#: noun -> kind; "writing" is a report when a length goes with it, else a document;
#: "counted" nouns ask for something only with a count (报送信息不少于10条, 办3期板报)
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
COUNTED_KIND = {"信息": "document", "稿件": "document", "文章": "document"}  # else photo

_NOUN = "(" + "|".join(sorted(NOUNS, key=len, reverse=True)) + ")"
_MEASURE = r"(?:张|幅|份|篇|段|部|条|期|套|本|册|组)"
_RANGE = r"(?:\s*[-~～至到]\s*(?:\d+|[一二两三四五六七八九十]+))?"  # 3-5张: at least 3
_BEFORE_RE = re.compile(r"(?<![第\d])" + AT_LEAST + r"?\s*" + NUM + _RANGE + r"\s*(?:" + _MEASURE
                        + r"\s*(?:以上)?\s*[^,，。；;、()\d]{0,10}?|个)" + _NOUN)
_AFTER_RE = re.compile(_NOUN + r"\s*\(?\s*(需|要|各|共|每次|每场|每期)?\s*" + AT_LEAST + r"?\s*" + NUM
                       + _RANGE + r"\s*(?:" + _MEASURE + "|个)" + r"\s*(?:及?以上)?")
_NOUN_RE = re.compile(_NOUN)
_NOT_OBJECT_AFTER = re.compile(
    r"的|化|性|精神|要求|情况|内容|建设|体系|机制|落实|执行|周密|完善|健全|到位|工作|管理|下来|"
    r"中心|栏|墙|展|库|系统|平台|会|大会|生育|设计|仪|员|人|评比|表彰|交流|经验|推广|提高|分析|批评")
#: …的 + the making of it: the noun is still the object (方案的制定)
_MADE_AFTER = re.compile(r"的\s*(?:制定|制订|印发|起草|修订|编制|报送|上报|建立|完善|编写|撰写)")
_QUOTES = (("《", "》"), ("“", "”"), ('"', '"'))
_ASK = (r"提供|报送|上报|提交|附|留存|存档|上传|收集|整理|形成|制定|制订|建立|健全|完善|出台|印发|"
        r"下发|编制|编写|撰写|拍摄|录制|保存|编发|刊发|发布|做好|列出|明确|签订|张贴|有")
_NOT_ASK = (r"落实|执行|贯彻|融入|纳入|按照|依照|依据|根据|对照|围绕|遵守|遵照|参照|结合|说明(?!报告)|列举|"
            r"介绍|概述|阐述|描述")
_VERB_RE = re.compile(rf"(?<![没所具拥])({_ASK})|({_NOT_ASK})")
#: how far before a noun its verb is looked for (a sub-clause is rarely longer)
_VERB_REACH = 60
_HAND_IN = {"提供", "报送", "上报", "提交", "附", "留存", "存档", "上传", "保存"}
_NOT_OBJECT_BEFORE = re.compile(r"(?:每[张幅份个类项次篇]|另行|提前|及时)$")
_STUDIED = re.compile(r"(?:学习|传达|转发|贯彻)$")  # 学习文件, 传达通知: not an ask
#: a length: about N (左右 / 约 / 上下), at least N, at most N, N–M
_WORDS_RE = re.compile(
    r"(约|不少于|不低于|至少|不超过|不多于|控制在)?\s*" + NUM + r"\s*(?:[-~～—至到]\s*" + NUM + r"\s*)?"
    r"字\s*(左右|上下|以上|以内|以下|之内)?")


@dataclass
class Mention:
    """A noun asking for evidence: its kind and the count written with it (None: not written)."""

    start: int
    end: int
    noun: str
    kind: str
    count: int | None = None
    words: tuple[int, int] | None = None
    #: the count is per occurrence (照片（每次不少于2张）)
    each: bool = False
    #: asked with a verb of handing in (提供, 报送, 上传 …), not of establishing (建立, 制定 …)
    handed_in: bool = False


def word_range(target: int) -> tuple[int, int]:
    """The accepted length of a report asked for "about ``target`` characters" (X字左右).

    Inspectors read 左右 loosely: three quarters of the target up to one and a half times it.
    400 -> (300, 600); 700 -> (525, 1050).
    """
    return (round(target * 0.75), round(target * 1.5))


def find_words(text: str) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, (low, high)) of every report length; a bare number of characters (24字核心
    价值观) is none, and lengths under 50 characters are words, not reports."""
    found = []
    for m in _WORDS_RE.finditer(text):
        low, high = cn_number(m.group(2)), cn_number(m.group(3)) if m.group(3) else None
        before, after = m.group(1) or "", m.group(4) or ""
        if not low or low < 50:
            continue
        if high:
            found.append((m.start(), m.end(), (low, max(low, high))))
        elif before in ("不超过", "不多于", "控制在") or after in ("以内", "以下", "之内"):
            found.append((m.start(), m.end(), (1, low)))
        elif before in ("不少于", "不低于", "至少") or after == "以上":
            found.append((m.start(), m.end(), (low, low * 3)))
        elif before or after or re.search(r"(?:报告|总结|体会)\s*[,，(]?\s*$",
                                          text[max(0, m.start() - 6):m.start()]):
            found.append((m.start(), m.end(), word_range(low)))  # 说明报告，1000字
    return found


def _counted(text: str) -> list[Mention]:
    found: list[Mention] = []
    for pattern, num_group, noun_group in ((_BEFORE_RE, 1, 2), (_AFTER_RE, 3, 1)):
        for m in pattern.finditer(text):
            count = cn_number(m.group(num_group))
            noun = m.group(noun_group)
            if not count or any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            kind = NOUNS[noun]
            if kind == "counted":
                kind = COUNTED_KIND.get(noun, "photo")
            each = pattern is _AFTER_RE and (m.group(2) or "").startswith("每")
            found.append(Mention(m.start(), m.end(), noun, kind, count, each=each))
    return found


def _quoted(text: str, pos: int) -> bool:
    head = text[max(0, pos - 120):pos]  # a title in 《》 or “” is shorter
    for left, right in _QUOTES:
        if left == right:
            if head.count(left) % 2:
                return True
        elif head.rfind(left) > head.rfind(right):
            return True
    return False


def _asked(text: str, start: int, end: int, clause_start: int) -> str | None:
    """The verb asking for the noun at start..end ("" when none, a noun in a list of materials),
    or None when the noun is not asked for (see the module docstring)."""
    head = text[max(0, start - 4):start]
    noun = text[start:end]
    if (_NOT_OBJECT_AFTER.match(text, end) and not _MADE_AFTER.match(text, end)) \
            or _NOT_OBJECT_BEFORE.search(head) or _quoted(text, start):
        return None
    if noun in ("文件", "通知") and _STUDIED.search(head):
        return None
    if noun == "发文" and head[-1:] in ("编", "印", "下", "转", "刊", "分", "颁"):
        return None  # 编发文明…, 印发文件
    if noun == "说明报告" or re.search(r"\(\s*$", head):
        return "提供"  # the form of the answer: ……的情况（说明报告，400字左右）
    verbs = [v for v in _VERB_RE.finditer(text, max(clause_start, start - _VERB_REACH), start)
             if text[v.end():v.end() + 1] != "的"]
    if verbs and verbs[-1].group(2):
        return None
    return verbs[-1].group(1) if verbs else ""


#: a count standing alone after a material (提供照片，每次活动不少于3张): the material's count
_BARE_COUNT_RE = re.compile(r"(?<=[,，(（])\s*(每次|每场)?(?:活动)?\s*(?:需|要)?\s*" + AT_LEAST + r"?\s*"
                            + NUM + r"\s*[张幅份篇段部条个]\s*(?:以上)?\s*(?=[,，)）。；;\n]|$)")


def _bare_counts(text: str, found: list[Mention]) -> None:
    for m in _BARE_COUNT_RE.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue  # the count of a material written with it: 照片（不少于3张）
        before = [f for f in found if f.end <= m.start() and f.count is None
                  and not re.search(r"[。；;\n]", text[f.end:m.start()])]
        if before and (count := cn_number(m.group(2))):
            before[-1].count, before[-1].each = count, bool(m.group(1))


def find_mentions(text: str, clause_start) -> list[Mention]:
    """Every material the (folded) text asks for, in text order; ``clause_start(pos)`` gives
    where the sub-clause holding ``pos`` starts."""
    counted = _counted(text)
    found = list(counted)
    for m in _NOUN_RE.finditer(text):
        kind = NOUNS[m.group(1)]
        if kind == "counted" or any(f.start <= m.start() < f.end for f in counted):
            continue
        verb = _asked(text, m.start(), m.end(), clause_start(m.start()))
        if verb is not None and not _restated(text, m.start(), kind, found) \
                and not _alternative(text, m.start(), found):
            found.append(Mention(m.start(), m.end(), m.group(1), kind, handed_in=verb in _HAND_IN))
    found.sort(key=lambda f: f.start)
    _bare_counts(text, found)
    return found


def _restated(text: str, start: int, kind: str, found: list[Mention]) -> bool:
    """A noun in brackets right after a material of its kind restates it: 提供正式发文（规范文件
    于4月底前完成）."""
    low = max(0, start - 80)
    opened = text.rfind("(", low, start)
    if opened < 0 or text.rfind(")", low, start) > opened:
        return False
    end = len(text[:opened].rstrip())
    return any(f.kind == kind and f.end == end for f in reversed(found[-8:]))


def _alternative(text: str, start: int, found: list[Mention]) -> bool:
    """X或Y after a material X: Y is another form of it (样报图片或电视截屏, 视频或录音资料)."""
    before = re.search(r"或者?\s*$", text[max(0, start - 3):start])
    if not before:
        return False
    cut = start - len(before.group(0))
    return any(0 <= cut - f.end <= 12 and not re.search(r"[,，。；;\n]", text[f.end:cut]) for f in found)
