"""The table importer's cell-text helpers: header names, ids, numbering, notes, owner names,
scores, years, titles. Reading Word and Excel files into grids of cells is
:mod:`indicator_tree.table_read`; :mod:`indicator_tree.table_import` builds the tree from them.
"""
from __future__ import annotations

import re
import unicodedata

from .rules.text import fold
from .yaml_format import ID_RE, MAX_ID_LEN, normalize_id

_CJK = r"\u4e00-\u9fff"
_SPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")


def clean(text: object) -> str:
    """Cell text with unified line ends, no control characters, stripped lines, no blank lines."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """Cell text on one line, its lines joined by a space."""
    return " ".join(clean(text).split("\n"))


def squash(text: str) -> str:
    """One line: line breaks and spaces between Chinese characters vanish, others become one space.

    ``"《条例》\\n\\n落实"`` -> ``"《条例》落实"``; ``"牵头\\n处室"`` -> ``"牵头处室"``.
    """
    parts = [p for p in re.split(r"\s+", clean(text)) if p]
    out = ""
    for part in parts:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", part[0]):
            out += " "
        out += part
    return out


# ---- header names ------------------------------------------------------------------------------
_NOTE_HEADERS = {"注", "备注", "说明", "注释", "附注"}
_LEAD_EXACT = {"责任单位", "责任科室", "责任处室", "责任部门", "主责单位", "主责部门", "承办单位"}
_REQ_EXACT = {"工作内容", "指标内容", "任务内容", "考核内容", "工作任务", "具体内容", "创建内容",
              "内容", "主要任务", "重点任务", "具体任务", "任务", "创建任务", "目标任务",
              "措施", "具体措施", "工作措施", "主要措施", "落实措施", "工作举措", "具体举措"}
_LEVEL_EXACT = {"项目", "指标", "指标名称", "考核项目", "测评项目", "创建项目", "类别", "项目名称",
                "工作类别", "任务类别", "项目类别", "指标类别", "类型", "工作类型", "板块", "工作板块",
                "领域", "工作领域"}
#: 责任股室, 责任科（股）室, 主责处室: the office that carries a task out
_LEAD_RE = re.compile(r"(?:责任|主责|承办)(?:单位|部门|[科处股]室|科|股|处|室|[科处股]|\(.*?\))+")
_LEVEL_CONTENT = {"项目内容", "测评内容"}
#: the header names the importer looks for, for the "no table found" message
KNOWN_HEADERS = ("项目", "项目内容", "项目要求", "责任人", "序号", "测评内容", "测评标准",
                 "材料具体要求", "上报时间", "牵头处室", "配合处室", "工作内容", "评分标准",
                 "一级指标", "二级指标", "三级指标", "指标内容", "要求", "分值", "责任单位",
                 "责任科室", "注")


def header_key(text: str) -> str:
    """``"牵头\\n\\n处室"`` -> ``"牵头处室"``; ``"科 室 (单 位)"`` -> ``"科室(单位)"``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).rstrip(":：")


def classify_header(text: str) -> str | None:
    """The role of a column from its header text, or None when the text names no known column.

    Roles: level, level_content (项目内容/测评内容: a level when the table has a requirement
    column, else the requirement), req, owners, lead, support, note, material, deadline,
    score, score_text (评分标准), seq.
    """
    h = fold(header_key(text))  # 責任科室 is 责任科室
    bare = re.sub(r"\(.*?\)", "", h) or h
    if not bare:
        return None
    if bare in _NOTE_HEADERS:
        return "note"
    if "材料" in bare:
        return "material"
    if any(w in bare for w in ("时间", "时限", "期限")):
        return "deadline"
    if any(w in bare for w in ("配合", "协办", "协助")):
        return "support"
    if "牵头" in bare or bare in _LEAD_EXACT or _LEAD_RE.fullmatch(h):
        return "lead"
    if any(w in bare for w in ("责任人", "负责人", "联系人", "责任领导", "分管领导")):
        return "owners"
    if "评分" in bare or "计分" in bare:
        return "score_text"
    if any(w in bare for w in ("分值", "分数", "标准分", "满分")):
        return "score"
    if bare in ("序号", "编号", "序"):
        return "seq"
    if re.fullmatch(r"[一二三四五]级(指标|项目|目标)?(名称)?", bare):
        return "level"
    if "要求" in bare or "标准" in bare or "措施" in bare or "举措" in bare or bare in _REQ_EXACT:
        return "req"
    if bare in _LEVEL_CONTENT:
        return "level_content"
    if bare in _LEVEL_EXACT or bare.endswith("指标"):
        return "level"
    return None


# ---- indicator cells ---------------------------------------------------------------------------
_DASH = "-－‐‑‒–—―"
_ID_RE = re.compile(
    rf"^(?P<id>[A-Za-zＡ-Ｚａ-ｚⅠ-ⅿ]{{1,6}}\s*[{_DASH}]\s*[0-9０-９]{{1,4}}"
    rf"(?:\s*[{_DASH}.．]\s*[0-9０-９]{{1,4}})*)(?![0-9０-９])\s*[、.．:：]?\s*(?P<name>.*)$", re.S)
_CN_HEAD_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*")


def split_id_name(text: str) -> tuple[str | None, str]:
    """``"I-1 思想政治建设"`` -> ``("I-1", "思想政治建设")``; ``"Ⅲ-15\\n志愿服务活动"`` ->
    ``("III-15", "志愿服务活动")``; ``"一、组织保障"`` -> ``(None, "组织保障")``.

    The name is one line and never contains a path separator (the folder name is made of it).
    """
    text = clean(text)
    ind_id = None
    match = _ID_RE.match(text)
    if match:
        raw = re.sub(rf"[{_DASH}]", "-", match.group("id"))
        candidate = normalize_id(raw)
        if re.fullmatch(r"[ivxl]+-.*", candidate):
            candidate = candidate.upper()
        if ID_RE.match(candidate) and len(candidate) <= MAX_ID_LEN:
            ind_id, text = candidate, match.group("name")
    name = squash(_CN_HEAD_RE.sub("", text)).strip(" 、.．:：")
    name = name.replace("/", "／").replace("\\", "＼").replace("..", "．．")
    return ind_id, name or (ind_id or "")


def id_kind(ind_id: str) -> str:
    """What kind of id this is, by its letters and number groups: ``II-3`` -> ``"II#1"``."""
    letters = re.match(r"[A-Za-z]*", ind_id).group()
    return f"{letters}#{len(re.findall(r'[0-9]+', ind_id))}"


# ---- requirement cells -------------------------------------------------------------------------
_NUMBERING_RE = re.compile(
    r"^\s*(?:[（(]\s*[0-9０-９]{1,3}\s*[)）]|[0-9０-９]{1,3}\s*(?:[、，,)）]|[.．](?![0-9０-９]))"
    r"|[①-⑳⑴-⒇⒈-⒛]|[一二三四五六七八九十]{1,3}\s*、|[（(][一二三四五六七八九十]{1,3}[)）])\s*")
_NOTE_RE = re.compile(rf"(?:([（(])\s*|(?<![{_CJK}]))(?:备注|注)\s*[:：]\s*")


def strip_numbering(text: str) -> str:
    """``"1、组织学习"`` / ``"1.组织"`` / ``"2)开展"`` / ``"①说明"`` -> the text without its number."""
    return _NUMBERING_RE.sub("", text, count=1).strip()


def split_note(text: str) -> tuple[str, str]:
    """``"…效果良好。 注：每年至少开展两次。"`` -> (``"…效果良好。"``, ``"每年至少开展两次。"``)."""
    text = clean(text)
    match = _NOTE_RE.search(text)
    if not match:
        return text, ""
    note = text[match.end():].strip()
    if match.group(1) and note[-1:] in ")）":
        note = note[:-1].strip()
    return text[:match.start()].strip(), note


def is_note(text: str) -> bool:
    """Whether the whole cell is a note (starts with 注： / 备注：)."""
    match = _NOTE_RE.search(clean(text))
    return bool(match) and match.start() == 0


# ---- names -------------------------------------------------------------------------------------
_OFFICE_SUFFIX = set("处科室办局队组部委院所站股")
_ONE_CJK = re.compile(rf"^[{_CJK}]$")


def split_names(text: str) -> list[str]:
    """An owners / office cell -> names, split on spaces, 、，;/ and line breaks.

    Alignment spaces inside short names are folded: a run of two or three single characters is
    one name (``"王 峰"`` -> 王峰, ``"刘 巍 曲丽娟"`` -> 刘巍, 曲丽娟), a run of four is two
    two-character names (``"杨 燕 宋 昊"``). A lone office suffix joins the word before it
    (``"大气\\n处"`` -> 大气处). Other runs of single characters are left as they are.
    """
    tokens = [t for t in re.split(r"[\s、，,;；/／]+", clean(text)) if t]
    out: list[str] = []
    pos = 0
    while pos < len(tokens):
        end = pos
        while end < len(tokens) and _ONE_CJK.match(tokens[end]):
            end += 1
        run = tokens[pos:end]
        if not run:
            out.append(tokens[pos])
            pos += 1
            continue
        if len(run) == 1 and run[0] in _OFFICE_SUFFIX and out:
            out[-1] += run[0]
        elif len(run) in (2, 3):
            out.append("".join(run))
        elif len(run) == 4:
            out += [run[0] + run[1], run[2] + run[3]]
        else:
            out += run
        pos = end
    seen: dict[str, None] = {}
    for name in out:
        seen.setdefault(name, None)
    return list(seen)


def looks_like_names(text: str) -> bool:
    """A cell that is only a few short Chinese names (for columns without a header)."""
    names = split_names(text)
    return 0 < len(names) <= 5 and all(re.fullmatch(rf"[{_CJK}]{{2,4}}", n) for n in names)


# ---- scores, years, ids ------------------------------------------------------------------------
def parse_score(text: str) -> float | None:
    """``"（共15分）"`` anywhere -> 15; a cell that is only a number (``"10"``, ``"10分"``) -> 10."""
    text = unicodedata.normalize("NFKC", clean(text))
    match = re.search(r"共\s*(\d+(?:\.\d+)?)\s*分", text)
    if not match:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", text)
    return float(match.group(1)) if match else None


def find_year(*texts: str) -> int | None:
    """The first 20xx year in the texts, in order."""
    for text in texts:
        match = re.search(r"(?<!\d)(20\d{2})(?!\d)", unicodedata.normalize("NFKC", text or ""))
        if match:
            return int(match.group(1))
    return None


def find_cells_year(texts: list[str]) -> tuple[int, str] | None:
    """(year, where it was read) from a table's cells: the first year of a date ("2020年4月底前"),
    else the year the cells name most often (the latest on a tie); None when they name none."""
    counts: dict[int, int] = {}
    for text in texts:
        text = unicodedata.normalize("NFKC", text or "")
        dated = re.search(r"(?<!\d)(20\d{2})\s*年\s*\d{1,2}\s*月", text)
        if dated:
            return int(dated.group(1)), dated.group(0)
        for match in re.finditer(r"(?<!\d)(20\d{2})\s*年", text):
            counts[int(match.group(1))] = counts.get(int(match.group(1)), 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], y))
    return best, f"{best}年"


def slug(stem: str, year: int | None = None) -> str:
    """An ASCII tree id from a file stem (``linyi_2018 表`` -> ``linyi-2018``); without an ASCII
    letter in it (``2024年任务分解表``, a bare year is no name) ``imported-<year>``."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", stem).lower()).strip("-")
    if re.search(r"[a-z]", ascii_part):
        return ascii_part
    return f"imported-{year}" if year else "imported"


_ANNEX_RE = re.compile(r"^(?:附\s*件|附\s*表)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")


def title_of(lines: list[str]) -> str | None:
    """The title line(s) right above a table: the last short lines that are not ``附件1``, not
    a sentence (ending in 。/：) and not a note; a title broken over two lines is joined."""
    run: list[str] = []
    for line in reversed([one_line(t) for t in lines if one_line(t)]):
        if _ANNEX_RE.match(line.replace(" ", "")) or line.startswith(("注", "备注")):
            if run:
                break
            continue
        if len(line) > 40 or line[-1] in "。；;：:" or len(run) == 2:
            break
        run.insert(0, line)
    return "".join(run) or None


def roman(level: int) -> str:
    """1 -> I, 2 -> II, 3 -> III … (the prefix of generated ids)."""
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while level >= value:
            out += letters
            level -= value
    return out
