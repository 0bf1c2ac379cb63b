"""The relevance set: queries with their expected hits, end to end (files -> scan -> index ->
search).

Part 1 builds a real archive from relevance/generated.yaml (docx, txt and captioned JPEGs on the
linyi-2018 tree) and checks each query there. Part 2 runs over a copy of sample_archive/ (when it
exists): every file whose name has a theme must be found by that theme, by the theme written in
traditional characters, by a part of it, and within its level-I indicator.
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from archive_tool.scan import scan
from archive_tool.search import search, update_index
from archive_tool.search.analysis import has_cjk, is_cjk

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "sample_archive"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"search_relevance_{name}",
                                                  HERE / "relevance" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATED = _load("generated")
SPEC = GENERATED.SPEC


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = GENERATED.build_generated(tmp_path_factory.mktemp("relevance") / "档案")
    result = scan(root)
    stats = update_index(result.config, result.evidence)
    assert stats.documents == len(SPEC["files"])
    return result.config


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _ids(number: int, query: dict) -> str:
    filters = [k for k in ("indicator", "kind", "from", "to", "organizer") if k in query]
    return f"q{number:02d}" + "".join(f"-{k}" for k in filters)


def test_the_set_is_large_enough():
    assert len(SPEC["queries"]) >= 30
    names = {item["name"] for item in SPEC["files"]}
    for query in SPEC["queries"]:
        assert set(query["expect"]) | set(query.get("absent", [])) <= names, query["q"]


@pytest.mark.parametrize("query", SPEC["queries"], ids=[_ids(i, q) for i, q in enumerate(SPEC["queries"], 1)])
def test_generated_archive(generated, query):
    result = search(generated, query["q"], indicator=query.get("indicator"),
                    kind=query.get("kind"), date_from=query.get("from"),
                    date_to=query.get("to"), organizer=query.get("organizer"), limit=50,
                    today=query.get("today"))
    found = [_name(h.path) for h in result.hits]
    missing = [name for name in query["expect"] if name not in found]
    assert not missing, f"{query['q']} ({query['why']}): missing {missing}, got {found}"
    if query.get("only"):
        assert sorted(found) == sorted(query["expect"]), f"{query['why']}: got {found}"
    if query.get("top"):
        assert found[0] == query["top"], f"{query['why']}: ranked {found}"
    for name in query.get("absent", []):
        assert name not in found, f"{query['why']}: {name} should not be found"
    assert result.total == len(found)


def test_snippets_show_the_words(generated):
    hit = search(generated, "領導小組").hits[0]
    assert "【領導小組】" in hit.snippet  # marked in the text as written (traditional)
    hit = search(generated, "晓明").hits[0]
    assert "【曉明】" in hit.snippet or "【晓明】" in hit.snippet
    hit = search(generated, "六五环境日", kind="photo").hits[0]
    assert "【六五环境日】" in hit.snippet and hit.date == "2018-06-05"
    assert hit.indicator == "II-18" and hit.indicator_path.startswith("I-6 ")


# ---- part 2: sample_archive -----------------------------------------------------------------
def _sample_cases():
    if not (SAMPLE / ".archive").is_dir():
        return []
    return ["themes"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    if not (SAMPLE / ".archive").is_dir():
        pytest.skip("sample_archive/ has not been generated yet (no sample_archive/.archive)")
    root = tmp_path_factory.mktemp("sample") / "sample_archive"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("index", "state.sqlite*"))
    result = scan(root)
    update_index(result.config, result.evidence)
    return result


def _cjk_core(theme: str) -> str:
    """The longest run of CJK characters of a theme."""
    runs, current = [], ""
    for ch in theme:
        if is_cjk(ch):
            current += ch
        else:
            runs.append(current)
            current = ""
    runs.append(current)
    return max(runs, key=len)


def test_sample_archive_themes_are_found(sample):
    import opencc

    s2t = opencc.OpenCC("s2t")
    checked = 0
    problems = []
    for ev in sample.evidence:
        core = _cjk_core(ev.theme)
        if len(core) < 2 or not has_cjk(core):
            continue
        checks = [(core, {}), (s2t.convert(core), {}), (core[len(core) // 2 - 1:][:2], {})]
        if ev.indicator_id:
            top = sample.config.tree.path(ev.indicator_id)[0].id
            checks.append((core, {"indicator": top}))
        for q, kw in checks:
            found = [h.path for h in search(sample.config, f'"{q}"', limit=None, **kw).hits]
            if ev.path not in found:
                problems.append(f"{q} {kw} -> {ev.path}")
            checked += 1
    if checked == 0:
        pytest.skip("sample_archive has no file with a Chinese theme")
    assert checked >= 30 and not problems, problems[:10]
