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

from .nouns import COUNTED_KIND, NOUN_PATTERN, NOUNS
from .text import AT_LEAST, NUM, cn_number

_NOUN = NOUN_PATTERN
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
    #: None: none written; 0 while a counted noun (信息) waits for a count standing after it
    count: int | None = None
    words: tuple[int, int] | None = None
    #: the count is per occurrence (照片（每次不少于2张）)
    each: bool = False
    #: asked with a verb of handing in (提供, 报送, 上传 …), not of establishing (建立, 制定 …)
    handed_in: bool = False
    #: the period of a count standing after it (报送信息，每季度不少于2条 -> quarter)
    period: str | None = None


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
_BARE_COUNT_RE = re.compile(r"(?<=[,，(（])\s*(每次|每场|每月|每季度|每季|每半年|每年度|每年)?(?:活动)?\s*"
                            r"(?:需|要)?\s*" + AT_LEAST + r"?\s*" + NUM
                            + r"\s*[张幅份篇段部条个期]\s*(?:以上)?\s*(?=[,，)）。；;\n]|$)")
_PER = {"每月": "month", "每季度": "quarter", "每季": "quarter", "每半年": "half", "每年度": "year",
        "每年": "year"}


def _bare_counts(text: str, found: list[Mention]) -> None:
    for m in _BARE_COUNT_RE.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue  # the count of a material written with it: 照片（不少于3张）
        before = [f for f in found if f.end <= m.start() and not f.count
                  and not re.search(r"[。；;\n]", text[f.end:m.start()])]
        if before and (count := cn_number(m.group(2))):
            per = m.group(1) or ""
            before[-1].count, before[-1].each = count, per in ("每次", "每场")
            before[-1].period = _PER.get(per)


def find_mentions(text: str, clause_start) -> list[Mention]:
    """Every material the (folded) text asks for, in text order; ``clause_start(pos)`` gives
    where the sub-clause holding ``pos`` starts."""
    counted = _counted(text)
    found = list(counted)
    for m in _NOUN_RE.finditer(text):
        kind = NOUNS[m.group(1)]
        if any(f.start <= m.start() < f.end for f in counted):
            continue
        verb = _asked(text, m.start(), m.end(), clause_start(m.start()))
        if kind == "counted":  # 报送创建工作信息，每季度不少于2条: kept when a count follows
            if m.group(1) not in COUNTED_KIND or verb not in _HAND_IN:
                continue
            kind, tentative = COUNTED_KIND[m.group(1)], True
        else:
            tentative = False
        if verb is not None and not _restated(text, m.start(), kind, found) \
                and not _alternative(text, m.start(), found):
            found.append(Mention(m.start(), m.end(), m.group(1), kind, handed_in=verb in _HAND_IN,
                                 count=0 if tentative else None))
    found.sort(key=lambda f: f.start)
    _bare_counts(text, found)
    return [f for f in found if f.count != 0]


#: how a document is issued, after the document: 制定实施方案并正式发文, 方案以正式文件印发
_ISSUED_AS = re.compile(r"\s*[,，]?\s*(?:并|且)?\s*(?:以|用|作为)?\s*(?:正式|红头)?\s*$")
_ISSUE_NOUNS = {"正式发文", "发文", "文件", "规范文件"}


def _restated(text: str, start: int, kind: str, found: list[Mention]) -> bool:
    """A noun in brackets right after a material of its kind restates it: 提供正式发文（规范文件
    于4月底前完成）; so does the form a document is issued in (实施方案并正式发文)."""
    noun = _NOUN_RE.match(text, start)
    if kind == "document" and noun and noun.group(1) in _ISSUE_NOUNS and any(
            f.kind == "document" and 0 <= start - f.end <= 6 and _ISSUED_AS.fullmatch(text, f.end, start)
            for f in found[-4:]):
        return True
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
