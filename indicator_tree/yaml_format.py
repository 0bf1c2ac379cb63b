"""Load tree files (YAML); dumping is :mod:`indicator_tree.yaml_dump`. The format is documented
in the README.

Loading validates everything once and collects every problem with its file, indicator id and
field before raising a single :class:`TreeError`; nothing downstream re-checks the tree.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, TreeError
from .model import KINDS, PERIODS, EvidenceRule, Indicator, Requirement, Tree
from .rules import parse_deadline, requirement_deadline, rules_for, word_range
from .yaml_dump import dump_tree, save_tree, tree_to_dict  # noqa: F401 (the format's other half)
from .yaml_limits import MAX_BYTES, YamlLimitError, check_limits

TREE_KEYS = {"id", "title", "source", "window", "levels", "indicators"}
WINDOW_KEYS = {"start", "end"}
INDICATOR_KEYS = {
    "id", "name", "score", "owners", "lead", "support", "notes", "requirements", "children",
}
REQUIREMENT_KEYS = {"text", "owners", "deadline", "note", "rules"}
RULE_KEYS = {"kind", "min", "period", "words", "deadline", "caption", "each", "cutoffs"}

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: an indicator id is the start of its folder name, which scaffold never shortens: ids are
#: kept short so the deepest evidence path stays under Windows' 260 characters
MAX_ID_LEN = 20
BAD_NAME_RE = re.compile(r"[/\\]|\.\.")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def normalize_id(raw: str) -> str:
    """NFKC-fold an indicator id, so ``Ⅲ-15`` and ``III-15`` are the same id."""
    return unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")


class _Loader:
    def __init__(self, filename: str):
        self.file = filename
        self.problems: list[Problem] = []
        self.seen_ids: dict[str, int] = {}
        self.year: int | None = None

    def problem(self, indicator: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, indicator, field, message))

    # ---- small typed readers -------------------------------------------------------------
    def text(self, value: Any, ind: str | None, fld: str, required: bool = False) -> str:
        if value is None:
            if required:
                self.problem(ind, fld, "不能为空")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(ind, fld, f"应为文字，实际是 {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(ind, fld, "不能为空")
        return value

    def names(self, value: Any, ind: str | None, fld: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(ind, fld, "应为一个名字或名字列表")
            return ()
        names = tuple(v.strip() for v in value if v.strip())
        for name in names:
            if _CONTROL_RE.search(name):
                self.problem(ind, fld, f"名字“{_CONTROL_RE.sub('↵', name)}”中有换行或控制字符；"
                                       "一个名字写一项，如 [曲丽娟, 王峰]")
        return names

    def day(self, value: Any, ind: str | None, fld: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                parsed = parse_deadline(value, self.year)
                if parsed:
                    return parsed
        self.problem(ind, fld, f"日期无法识别：{value!r}，应写成 2018-06-30")
        return None

    def unknown(self, data: dict, allowed: set[str], ind: str | None, where: str) -> None:
        """Unknown and duplicate keys of one mapping."""
        for key, line in getattr(data, "duplicates", ()):
            self.problem(ind, f"{where}{key}", f"写了两次（第 {line} 行是第二次），只会保留后一个；"
                                               "删去多余的一个，或把两处的内容合并成一处")
        for key in data:
            if key not in allowed:
                self.problem(ind, f"{where}{key}",
                             f"未知字段；可用字段：{', '.join(sorted(allowed))}")

    # ---- structure --------------------------------------------------------------------------
    def tree(self, data: Any) -> Tree | None:
        if not isinstance(data, dict):
            self.problem(None, None, "文件内容应为一个映射（id、title、window、indicators …）")
            return None
        self.unknown(data, TREE_KEYS, None, "")
        tree_id = self.text(data.get("id"), None, "id", required=True)
        if tree_id and not ID_RE.match(tree_id):
            self.problem(None, "id", "只能包含字母、数字、点、下划线和连字符")
        title = self.text(data.get("title"), None, "title", required=True)
        source = self.text(data.get("source"), None, "source")
        start = end = None
        window = data.get("window")
        if not isinstance(window, dict):
            self.problem(None, "window", "缺少考核期，应写成 window: {start: 2018-01-01, end: 2018-12-31}")
        else:
            self.unknown(window, WINDOW_KEYS, None, "window.")
            start = self.day(window.get("start"), None, "window.start")
            end = self.day(window.get("end"), None, "window.end")
            if window.get("start") is None:
                self.problem(None, "window.start", "缺少考核期开始日期")
            if window.get("end") is None:
                self.problem(None, "window.end", "缺少考核期结束日期")
            if start and end and end < start:
                self.problem(None, "window", f"结束日期 {end} 早于开始日期 {start}")
        self.year = start.year if start else None
        levels = self.names(data.get("levels"), None, "levels")
        raw = data.get("indicators")
        indicators: list[Indicator] = []
        if not isinstance(raw, list) or not raw:
            self.problem(None, "indicators", "应为非空的指标列表")
        else:
            for pos, item in enumerate(raw, 1):
                ind = self.indicator(item, 1, f"indicators[{pos}]")
                if ind:
                    indicators.append(ind)
        if self.problems:
            return None
        return Tree(id=tree_id, title=title, source=source, window_start=start, window_end=end,
                    indicators=tuple(indicators), level_names=levels)

    def indicator(self, data: Any, level: int, where: str) -> Indicator | None:
        if not isinstance(data, dict):
            self.problem(where, None, "指标应为一个映射（id、name …）")
            return None
        raw_id = data.get("id")
        ind_id = normalize_id(raw_id) if raw_id is not None else ""
        label = ind_id or where
        self.unknown(data, INDICATOR_KEYS, label, "")
        self.indicator_id(ind_id, label, level, where)
        name = self.text(data.get("name"), label, "name", required=True)
        if name and BAD_NAME_RE.search(name):
            self.problem(label, "name", "名称不能包含 / \\ 或 ..（会被当成路径）")
        if name and _CONTROL_RE.search(name):
            self.problem(label, "name", "名称不能换行或包含控制字符（它是文件夹名）；写成一行，"
                                        "较长的说明写进 notes")
        score = self.score(data.get("score"), label)
        reqs: list[Requirement] = []
        raw_reqs = data.get("requirements") or []
        if not isinstance(raw_reqs, list):
            self.problem(label, "requirements", "应为要求列表")
            raw_reqs = []
        for pos, item in enumerate(raw_reqs, 1):
            req = self.requirement(item, label, f"requirements[{pos}]")
            if req:
                reqs.append(req)
        children: list[Indicator] = []
        raw_children = data.get("children") or []
        if not isinstance(raw_children, list):
            self.problem(label, "children", "应为下级指标列表")
            raw_children = []
        for pos, item in enumerate(raw_children, 1):
            child = self.indicator(item, level + 1, f"{label}.children[{pos}]")
            if child:
                children.append(child)
        return Indicator(
            id=ind_id, name=name, level=level, children=tuple(children),
            score=score,
            owners=self.names(data.get("owners"), label, "owners"),
            lead=self.names(data.get("lead"), label, "lead"),
            support=self.names(data.get("support"), label, "support"),
            requirements=tuple(reqs),
            notes=self.text(data.get("notes"), label, "notes"),
        )

    def indicator_id(self, ind_id: str, label: str, level: int, where: str) -> None:
        """Check an indicator's id (present, well formed, short, unique) and note it seen."""
        if not ind_id:
            self.problem(where, "id", "缺少指标编号")
        elif not ID_RE.match(ind_id):
            self.problem(label, "id", "编号只能包含字母、数字、点、下划线和连字符，如 II-4")
        elif ind_id.endswith("."):
            self.problem(label, "id", "编号不能以点结尾（Windows 会去掉文件夹名末尾的点，"
                                      "文件夹就对不上指标）；如 1. 写成 1")
        elif len(ind_id) > MAX_ID_LEN:
            self.problem(label, "id", f"编号有 {len(ind_id)} 个字符，最多 {MAX_ID_LEN} 个（编号是文件夹名"
                                      "的开头，不会被缩短；太长会使 Windows 路径超过 260 字符）；"
                                      "改用短编号，如 II-4，把说明写进 name")
        elif ind_id in self.seen_ids:
            self.problem(label, "id", "编号重复：每个指标的编号必须唯一")
        else:
            self.seen_ids[ind_id] = level

    def score(self, score: Any, label: str) -> float | None:
        """A score: a number, at least 0 (a problem and None otherwise)."""
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            self.problem(label, "score", f"分值应为数字，实际是 {score!r}")
            score = None
        elif score is not None and not (math.isfinite(score) and score >= 0):
            self.problem(label, "score", f"分值应为不小于 0 的数，实际是 {score!r}")
            score = None
        return float(score) if score is not None else None

    def requirement(self, data: Any, ind: str, where: str) -> Requirement | None:
        if isinstance(data, str):
            data = {"text": data}
        if not isinstance(data, dict):
            self.problem(ind, where, "要求应为文字或映射（text、owners …）")
            return None
        self.unknown(data, REQUIREMENT_KEYS, ind, f"{where}.")
        text = self.text(data.get("text"), ind, f"{where}.text", required=True)
        note = self.text(data.get("note"), ind, f"{where}.note")
        deadline = self.day(data.get("deadline"), ind, f"{where}.deadline")
        explicit = None
        if "rules" in data:
            raw = data.get("rules") or []
            if not isinstance(raw, list):
                self.problem(ind, f"{where}.rules", "应为规则列表")
                raw = []
            explicit = [r for pos, item in enumerate(raw, 1)
                        if (r := self.rule(item, ind, f"{where}.rules[{pos}]"))]
        rules = rules_for(text, note, self.year, explicit=explicit, deadline=deadline)
        if deadline is None:
            deadline = requirement_deadline(text, note, self.year)
        return Requirement(text=text, owners=self.names(data.get("owners"), ind, f"{where}.owners"),
                           deadline=deadline, rules=rules, note=note)

    def rule(self, data: Any, ind: str, where: str) -> EvidenceRule | None:
        if not isinstance(data, dict):
            self.problem(ind, where, "规则应为映射（kind、min、period …）")
            return None
        self.unknown(data, RULE_KEYS, ind, f"{where}.")
        before = len(self.problems)
        kind = data.get("kind", "document")
        if kind not in KINDS:
            self.problem(ind, f"{where}.kind", f"未知材料类型 {kind!r}；可用：{', '.join(KINDS)}")
        period = data.get("period", "window")
        if period not in PERIODS:
            self.problem(ind, f"{where}.period", f"未知周期 {period!r}；可用：{', '.join(PERIODS)}")
        count = data.get("min", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            self.problem(ind, f"{where}.min", f"最少数量应为正整数，实际是 {count!r}")
        words = data.get("words")
        if words is not None:
            if isinstance(words, int) and not isinstance(words, bool) and words > 0:
                words = word_range(words)
            elif (isinstance(words, list) and len(words) == 2
                  and all(isinstance(w, int) and not isinstance(w, bool) for w in words)
                  and 0 < words[0] <= words[1]):
                words = (words[0], words[1])
            else:
                self.problem(ind, f"{where}.words", "字数应为一个正数（约数）或 [下限, 上限]")
        caption = data.get("caption", kind == "photo")
        if not isinstance(caption, bool):
            self.problem(ind, f"{where}.caption", "应为 true 或 false")
        deadline = self.day(data.get("deadline"), ind, f"{where}.deadline")
        each = data.get("each")
        if each is not None and (isinstance(each, bool) or not isinstance(each, int) or each < 1):
            self.problem(ind, f"{where}.each", f"每次活动的材料数量应为正整数，实际是 {each!r}")
        cutoffs = self.cutoffs(data.get("cutoffs"), ind, f"{where}.cutoffs")
        if len(self.problems) > before:
            return None
        return EvidenceRule(kind=kind, min_count=count, period=period, words=words,
                            deadline=deadline, caption_required=caption, source="explicit",
                            each=each, cutoffs=cutoffs)

    def cutoffs(self, value: Any, ind: str, fld: str) -> tuple[date, ...]:
        """Per-period cut-off dates: a list of dates, written ascending."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(ind, fld, "应为日期列表，如 [2018-06-30, 2018-12-20]")
            return ()
        days = [self.day(item, ind, f"{fld}[{pos}]") for pos, item in enumerate(value, 1)]
        days = [d for d in days if d is not None]
        if days != sorted(set(days)):
            self.problem(ind, fld, "截止日期应按先后顺序排列且不重复")
        return tuple(days)


class _SafeLoader(yaml.SafeLoader):
    """safe_load, but dates stay text: PyYAML raises a bare ValueError on 2018-13-01, and the
    loader wants to name the file and field instead. Mappings remember their duplicate keys
    (PyYAML silently keeps the last one)."""


class _Mapping(dict):
    """A YAML mapping with the keys written more than once: ``duplicates`` is [(key, line)]."""

    duplicates: list[tuple[Any, int]]


def _construct_mapping(loader: _SafeLoader, node: yaml.MappingNode):
    data = _Mapping()
    data.duplicates = []
    yield data
    seen: set = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            data.duplicates.append((key, key_node.start_mark.line + 1))
        seen.add(key)
    data.update(loader.construct_mapping(node))


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))
_SafeLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_tree_text(text: str, filename: str = "<tree>") -> Tree:
    """Parse a tree from YAML text; raise :class:`TreeError` naming every problem. A text that
    nests too deep or expands (through aliases) to too many nodes is refused before it is built
    (:mod:`indicator_tree.yaml_limits`)."""
    try:
        check_limits(text)
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 (a SafeLoader)
    except YamlLimitError as exc:
        raise TreeError([Problem(filename, None, None,
                                 f"YAML 第 {exc.line} 行：{exc.message}，不像指标体系文件")],
                        hint="指标体系不需要别名（&、*）和很深的嵌套；把内容直接写出，"
                             "或用 archive-tool tree import 从任务分解表生成。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise TreeError([Problem(filename, None, None, f"YAML 语法错误（{where}）：{exc}")],
                        hint="检查缩进和冒号；文字中含冒号时用引号括起来。") from None
    loader = _Loader(filename)
    tree = loader.tree(data)
    if tree is None:
        raise TreeError(loader.problems)
    return tree


def load_tree(path: str | Path) -> Tree:
    """Load and validate a tree file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TreeError([Problem(str(path), None, None,
                                     f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，不像指标体系文件")],
                            hint="检查是否选错了文件。")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TreeError([Problem(str(path), None, None, "文件不存在")],
                        hint="检查路径，或用 archive-tool tree list 查看内置指标体系。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TreeError([Problem(str(path), None, None, f"无法读取：{exc}")],
                        hint="指标体系文件应为 UTF-8 编码的 YAML 文本。") from None
    return load_tree_text(text, str(path))
