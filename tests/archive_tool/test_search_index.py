"""The index and search over Evidence records built directly (no scan): incremental updates,
filters, malformed queries, locking, corrupt and outdated indexes."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

import indicator_tree as it
from archive_tool.config import ArchiveConfig
from archive_tool.errors import IndexBusyError, UsageError
from archive_tool.evidence import Caption, Evidence
from archive_tool.search import index_dir, search, update_index
from archive_tool.search import schema

TREE = """
id: t
title: 测试指标
window: {start: 2023-01-01, end: 2025-12-31}
indicators:
  - id: I-1
    name: 组织领导
    owners: [张晓明]
    children:
      - id: II-1
        name: 领导小组
      - id: II-2
        name: 工作制度
  - id: I-2
    name: 生态文明
    children:
      - id: II-3
        name: 环保活动
        owners: [宣传部]
"""
TODAY = date(2026, 3, 1)


def make_config(root: Path, tree_text: str = TREE) -> ArchiveConfig:
    (root / ".archive").mkdir(exist_ok=True)
    return ArchiveConfig(root=root, tree=it.load_tree_text(tree_text, "tree.yaml"),
                         tree_file="tree.yaml", unit="环保局", organizers=("环保局",),
                         window_start=date(2023, 1, 1), window_end=date(2025, 12, 31))


def doc(path: str, text: str, *, kind: str = "document", day: date | None = None,
        version: int = 1) -> Evidence:
    folder, name = path.rsplit("/", 1)
    theme = name.split("：", 1)[-1].rsplit(".", 1)[0]
    ev = Evidence(path=path, size=len(text), mtime_ns=version, ext="." + name.rsplit(".", 1)[1],
                  kind=kind, indicator_id=folder.rsplit("/", 1)[-1], in_leaf=True, seq=1,
                  theme=theme, date=day, content_hash=f"{path}:{version}")
    ev._text_loader = lambda: text
    return ev


def photo(path: str, caption: str, day: date, organizer: str) -> Evidence:
    folder, name = path.rsplit("/", 1)
    theme = name.split("：", 1)[-1].rsplit(".", 1)[0]
    cap = Caption(text=caption, source="xmp", time=day, organizer=organizer, theme=theme)
    return Evidence(path=path, size=1, mtime_ns=1, ext=".jpg", kind="photo",
                    indicator_id=folder.rsplit("/", 1)[-1], in_leaf=True, seq=1, theme=theme,
                    date=day, caption=cap, content_hash=f"{path}:1")


def records() -> list[Evidence]:
    return [
        doc("I-1/II-1/01：关于成立创建工作领导小组的通知.docx",
            "為加強對創建工作的領導，經研究決定成立創建工作領導小組。組長：張曉明。",
            day=date(2024, 3, 1)),
        doc("I-1/II-2/01：学习制度.docx", "每月组织一次集中学习。撰稿：王峰", day=date(2023, 5, 2)),
        photo("I-2/II-3/01：六五环境日宣传.jpg",
              "活动时间：2025年6月5日 主办单位：市环保局 活动主题：六五环境日宣传",
              date(2025, 6, 5), "市环保局"),
        photo("I-2/II-3/02：植树节.jpg", "活动时间：2024年3月12日 主办单位：团市委 活动主题：植树节",
              date(2024, 3, 12), "团市委"),
    ]


@pytest.fixture
def archive(tmp_path):
    config = make_config(tmp_path)
    stats = update_index(config, records())
    assert stats.rebuilt and stats.added == 4
    return config


def paths(result) -> list[str]:
    return [h.path for h in result.hits]


# ---- building and updating --------------------------------------------------------------------
def test_first_update_builds_the_index(archive):
    assert (index_dir(archive) / "MAIN_WRITELOCK").exists() or index_dir(archive).is_dir()
    result = search(archive, "领导小组", today=TODAY)
    assert paths(result) == ["I-1/II-1/01：关于成立创建工作领导小组的通知.docx"]
    hit = result.hits[0]
    assert hit.indicator == "II-1"
    assert hit.indicator_path == "I-1 组织领导 / II-1 领导小组"
    assert hit.kind == "document" and hit.date == "2024-03-01" and hit.score > 0
    data = result.to_dict()
    assert set(data) == {"hits", "total"} and data["total"] == 1
    assert {"path", "indicator", "title", "date", "kind", "score", "snippet"} <= set(
        data["hits"][0])


def test_unchanged_records_are_not_written(archive):
    before = sorted(p.name for p in index_dir(archive).iterdir())
    stats = update_index(archive, records())
    assert (stats.added, stats.updated, stats.removed, stats.unchanged) == (0, 0, 0, 4)
    assert sorted(p.name for p in index_dir(archive).iterdir()) == before


def test_changed_added_and_removed_records(archive):
    evs = records()
    evs[1] = doc("I-1/II-2/01：学习制度.docx", "每月组织一次集中学习，由晓东主讲。", version=2)
    evs.append(doc("I-1/II-2/02：考勤制度.docx", "考勤制度全文"))
    del evs[3]
    stats = update_index(archive, evs)
    assert (stats.added, stats.updated, stats.removed, stats.unchanged) == (1, 1, 1, 2)
    assert stats.documents == 4
    assert paths(search(archive, "晓东")) == ["I-1/II-2/01：学习制度.docx"]
    assert search(archive, "王峰").total == 0
    assert search(archive, "植树节").total == 0


def test_scope_limits_what_is_removed(archive):
    only_ii3 = [ev for ev in records() if ev.path.startswith("I-2/")][:1]
    stats = update_index(archive, only_ii3, scope="I-2/II-3")
    assert stats.removed == 1  # 植树节 went; I-1 untouched
    assert search(archive, "领导小组").total == 1
    stats = update_index(archive, [], scope=None)
    assert stats.removed == 0


def _owners(config, path):
    from whoosh.index import open_dir

    with open_dir(str(index_dir(config))).searcher() as searcher:
        return searcher.document(path=path)["owners"]


def test_tree_changes_reindex_the_documents_they_touch(tmp_path):
    config = make_config(tmp_path)
    update_index(config, records())
    assert _owners(config, records()[1].path) == "张晓明"
    # the same names, moved around: the dictionary is the same, the documents of I-1 and II-3
    # get their new owners
    swapped = (TREE.replace("owners: [张晓明]", "owners: [@]").replace("owners: [宣传部]",
                                                                      "owners: [张晓明]")
               .replace("owners: [@]", "owners: [宣传部]"))
    changed = make_config(tmp_path, swapped)
    stats = update_index(changed, records())
    assert not stats.rebuilt and stats.updated == 4
    assert _owners(changed, records()[1].path) == "宣传部"
    assert _owners(changed, records()[2].path) == "张晓明"
    # owners are responsibility, not authorship: a name finds the text that names it only
    assert search(changed, "宣传部").total == 0


def test_new_names_in_the_tree_rebuild_the_index(tmp_path):
    config = make_config(tmp_path)
    update_index(config, records())
    renamed = make_config(tmp_path, TREE.replace("name: 环保活动", "name: 环保宣传活动"))
    stats = update_index(renamed, records())
    assert stats.rebuilt and stats.reason == "version" and stats.added == 4
    assert not update_index(renamed, records()).rebuilt
    assert search(renamed, "六五环境日").total == 1


# ---- finding ----------------------------------------------------------------------------------
def test_traditional_text_found_by_simplified_query_and_back(archive):
    assert paths(search(archive, "创建工作领导小组")) == [records()[0].path]
    assert paths(search(archive, "領導小組")) == [records()[0].path]


def test_part_of_a_name(archive):
    # 张晓明 is in the text, in traditional characters (and owner of I-1, which does not count)
    assert paths(search(archive, "晓明")) == [records()[0].path]
    assert paths(search(archive, "团市")) == [records()[3].path]


def test_snippet_marks_the_words(archive):
    hit = search(archive, "六五环境日").hits[0]
    assert "【六五环境日】" in hit.snippet


def test_natural_language_query(archive):
    result = search(archive, "去年六五环境日的照片", today=TODAY)
    assert paths(result) == [records()[2].path]
    assert any("2025" in note for note in result.interpreted)
    # no photo of 六五环境日 in 2023: the filters are dropped rather than finding nothing
    result = search(archive, "去年六五环境日的照片", today=date(2024, 6, 1))
    assert paths(result) == [records()[2].path]
    assert "已去掉这些筛选条件" in result.interpreted[0]
    # nothing but filters: every photo of that year
    assert paths(search(archive, "去年的照片", today=date(2025, 1, 10))) == [records()[3].path]
    assert search(archive, "前年的照片", today=date(2025, 1, 10)).total == 0


def test_filters(archive):
    assert set(paths(search(archive, "", indicator="I-2"))) == {records()[2].path,
                                                                records()[3].path}
    assert paths(search(archive, "", indicator="ii-2")) == [records()[1].path]
    assert len(search(archive, "", kind="照片").hits) == 2
    assert len(search(archive, "", kind="document").hits) == 2
    assert paths(search(archive, "", date_from="2025")) == [records()[2].path]
    assert set(paths(search(archive, "", date_from="2024-01", date_to="2024-03"))) == {
        records()[0].path, records()[3].path}
    assert paths(search(archive, "", organizer="环保")) == [records()[2].path]
    assert paths(search(archive, "活动", organizer="团市委")) == [records()[3].path]


def test_operators(archive):
    assert search(archive, "植树节 OR 六五环境日").total == 2
    assert paths(search(archive, "活动时间 -植树节")) == [records()[2].path]
    assert paths(search(archive, "活动时间 NOT 六五")) == [records()[3].path]
    assert paths(search(archive, "“创建工作领导小组”")) == [records()[0].path]


@pytest.mark.parametrize("query,words", [
    ('"领导小组', "引号"), ("OR 领导", "OR"), ("领导 OR", "OR"), ("领导 NOT", "NOT"),
    ("，。！", "没有可检索"), ("", "请输入"), ("领导 OR -小组", "排除")])
def test_malformed_queries(archive, query, words):
    with pytest.raises(UsageError) as err:
        search(archive, query)
    assert words in err.value.message and err.value.hint


@pytest.mark.parametrize("kwargs,words", [
    ({"indicator": "IX-9"}, "IX-9"), ({"kind": "视频啊"}, "类型"),
    ({"date_from": "去年夏天"}, "日期"), ({"date_from": "2025", "date_to": "2024"}, "早于"),
    ({"limit": 0}, "limit"), ({"organizer": "，"}, "主办单位")])
def test_bad_filters(archive, kwargs, words):
    with pytest.raises(UsageError) as err:
        search(archive, "活动", **kwargs)
    assert words in err.value.message


def test_filters_in_the_query_are_the_options_filters(archive):
    """from:/to: written in the query are checked and combined like --from/--to."""
    with pytest.raises(UsageError, match="早于"):
        search(archive, "活动 from:2025 to:2024")
    with pytest.raises(UsageError, match="早于"):
        search(archive, "活动 from:2025", date_to="2024")
    assert set(paths(search(archive, "from:2024-01 to:2024-03"))) == \
        set(paths(search(archive, "", date_from="2024-01", date_to="2024-03")))


def test_an_address_in_a_query_is_a_word_not_a_field(archive):
    assert search(archive, "http://www.gov.cn").total == 0  # searched, not refused
    with pytest.raises(UsageError, match="不认识的字段"):
        search(archive, "titel:领导小组")


# ---- locking ----------------------------------------------------------------------------------
def _hold_lock(config):
    lock = FileStorage(str(index_dir(config))).lock("MAIN_WRITELOCK")
    assert lock.acquire(blocking=False)
    return lock


def test_busy_index_gives_up_with_a_message(archive):
    lock = _hold_lock(archive)
    told = []
    try:
        with pytest.raises(IndexBusyError) as err:
            update_index(archive, records(), wait=0.3, on_wait=told.append)
    finally:
        lock.release()
    assert "另一个进程" in err.value.message and err.value.hint
    assert told == [0.3]


def test_writer_waits_for_the_other_one(archive):
    lock = _hold_lock(archive)
    timer = threading.Timer(0.4, lock.release)
    timer.start()
    stats = update_index(archive, records()[:2], wait=10)
    timer.join()
    assert stats.waited >= 0.3 and stats.removed == 2


def test_whoosh_writer_respects_our_lock(archive):
    from whoosh.index import LockError, open_dir

    lock = _hold_lock(archive)
    try:
        with pytest.raises(LockError):
            open_dir(str(index_dir(archive))).writer(timeout=0.1)
    finally:
        lock.release()


def test_two_writers_in_two_threads(tmp_path):
    config = make_config(tmp_path)
    base = records()
    extra = [doc(f"I-1/II-2/{i:02d}：文件{i}.docx", f"第{i}号文件 内容") for i in range(2, 40)]
    errors: list[BaseException] = []

    def run(evidence):
        try:
            for _ in range(3):
                update_index(config, evidence, scope=None, wait=30)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(base,)),
               threading.Thread(target=run, args=(extra,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stats = update_index(config, base + extra)
    assert stats.unchanged == len(base) + len(extra) and stats.added == 0
    assert search(config, "文件", limit=None).total == len(extra)


# ---- broken and outdated indexes ---------------------------------------------------------------
def test_truncated_segments_are_rebuilt(archive):
    for path in index_dir(archive).iterdir():
        if path.suffix == ".seg":
            path.write_bytes(path.read_bytes()[:100])
    stats = update_index(archive, records())
    assert stats.rebuilt and stats.reason == "corrupt" and stats.added == 4
    assert search(archive, "领导小组").total == 1


def test_missing_toc_is_rebuilt(archive):
    for path in index_dir(archive).glob("*.toc"):
        path.unlink()
    stats = update_index(archive, records())
    assert stats.rebuilt and stats.reason == "missing"


def test_new_analyzer_version_rebuilds(archive, monkeypatch):
    monkeypatch.setattr(schema, "INDEX_VERSION", "test-next")
    stats = update_index(archive, records())
    assert stats.rebuilt and stats.reason == "version"
    stats = update_index(archive, records())
    assert not stats.rebuilt and stats.unchanged == 4


def test_rebuild_on_request(archive):
    stats = update_index(archive, records(), rebuild=True)
    assert stats.rebuilt and stats.reason == "requested" and stats.added == 4


def test_progress_is_reported(tmp_path):
    config = make_config(tmp_path)
    seen = []
    update_index(config, records(), progress=lambda done, total, path: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_records_are_not_modified(archive):
    evs = records()
    copy = [replace(ev) for ev in evs]
    update_index(archive, evs, rebuild=True)
    assert [ev.path for ev in evs] == [ev.path for ev in copy]


def test_total_counts_every_match_beyond_the_limit(archive):
    evs = records()
    evs[3] = photo("I-2/II-3/02：植树节.jpg", "活动时间：2024年3月12日 主办单位：团市委 活动主题：植树节活动",
                   date(2024, 3, 12), "团市委")
    evs[3].mtime_ns = 5
    update_index(archive, evs)  # one deletion and one addition in the index
    result = search(archive, "活动时间", limit=1)
    assert len(result.hits) == 1 and result.total == 2
    assert search(archive, "活动时间", limit=1, organizer="团市委").total == 1
    assert search(archive, "活动时间 OR 领导小组", limit=1).total == 3
    assert search(archive, "活动时间 -植树节", limit=1).total == 1


def test_searches_during_a_rebuild_see_the_old_index(archive):
    totals: list[int] = []
    done = threading.Event()

    def searching():
        while not done.is_set():
            totals.append(search(archive, "领导小组").total)

    reader = threading.Thread(target=searching)
    reader.start()
    try:
        for _ in range(4):
            update_index(archive, records(), rebuild=True)
    finally:
        done.set()
        reader.join()
    assert totals and set(totals) == {1}


def test_a_failed_rebuild_leaves_the_old_index(archive):
    def broken():
        raise RuntimeError("disk on fire")

    evs = records()
    evs[1]._text_loader = broken
    with pytest.raises(RuntimeError):
        update_index(archive, evs, rebuild=True)
    assert search(archive, "领导小组").total == 1
    stats = update_index(archive, records())
    assert not stats.rebuilt and stats.unchanged == 4


def _damage_postings(config) -> None:
    """Invert the postings (.pst) inside every segment: Whoosh still opens the index and
    counts its documents, and fails only when a deletion or a query reads the postings."""
    from whoosh.filedb.compound import CompoundStorage

    folder = index_dir(config)
    for seg in folder.glob("*.seg"):
        with open(seg, "rb") as fh:
            directory = CompoundStorage(FileStorage(str(folder)).open_file(seg.name))._dir
            data = bytearray(fh.read())
        [entry] = [v for k, v in directory.items() if k.endswith(".pst")]
        for i in range(entry["offset"], entry["offset"] + entry["length"]):
            data[i] ^= 0xFF
        seg.write_bytes(bytes(data))


def _touched(evs: list[Evidence]) -> list[Evidence]:
    for ev in evs:
        ev.mtime_ns += 1
    return evs


def test_an_index_that_opens_but_fails_when_written_is_rebuilt(archive):
    from archive_tool.search.indexer import open_index

    update_index(archive, records() + [doc("I-1/II-2/02：考勤制度.docx", "考勤制度全文")],
                 scope=None)
    assert len(list(index_dir(archive).glob("*.seg"))) == 2
    _damage_postings(archive)
    assert open_index(index_dir(archive))[0] is not None      # it opens …
    stats = update_index(archive, _touched(records()))        # … and breaks on delete_by_term
    assert stats.rebuilt and stats.reason == "corrupt" and stats.documents == 4
    assert paths(search(archive, "领导小组")) == [records()[0].path]
    names = {p.suffix for p in index_dir(archive).iterdir()}
    assert names <= {".seg", ".toc", ".sqlite", ""}, names   # no stray .pst/.trm/.col files


def test_an_index_that_fails_on_removal_is_rebuilt(tmp_path):
    from archive_tool.scan import scan
    from archive_tool.search import remove_paths

    root = tmp_path / "档案"
    root.mkdir()
    config = make_config(root)
    folder = root / "I-1 组织领导" / "II-1 领导小组"
    folder.mkdir(parents=True)
    (folder / "01：领导小组名单.txt").write_text("领导小组成员名单", encoding="utf-8")
    (folder / "02：会议纪要.txt").write_text("领导小组会议纪要", encoding="utf-8")
    update_index(config, scan(root, config=config).evidence)
    _damage_postings(config)
    (folder / "02：会议纪要.txt").unlink()
    stats = remove_paths(config, ["I-1 组织领导/II-1 领导小组/02：会议纪要.txt"],
                         rescan=lambda: scan(root, config=config).evidence)
    assert stats.rebuilt and stats.reason == "corrupt" and stats.documents == 1
    assert [h.path.rsplit("/", 1)[1] for h in search(config, "领导小组").hits] == [
        "01：领导小组名单.txt"]


# ---- query syntax -----------------------------------------------------------------------------
def test_an_excluded_word_is_excluded_on_an_index_of_several_segments(archive):
    a = doc("I-1/II-2/05：甲.txt", "创建工作安排")
    b = doc("I-1/II-2/06：乙.txt", "文明单位创建工作总结")
    c = doc("I-1/II-2/07：丙.txt", "文明礼仪")
    update_index(archive, [a, b, c], scope=None)              # a second segment
    assert len(list(index_dir(archive).glob("*.seg"))) == 2
    for limit in (None, 1, 100):
        result = search(archive, "文明 -创建", limit=limit)
        assert b.path not in paths(result) and result.total == 1, limit
    assert paths(search(archive, "文明 NOT 创建")) == [c.path]
    assert paths(search(archive, "文明 -创建", kind="document")) == [c.path]


def test_full_width_operators_are_folded(archive):
    assert paths(search(archive, "活动时间 －植树节")) == [records()[2].path]
    assert search(archive, "植树节 ＯＲ 六五环境日").total == 2
    assert paths(search(archive, "活动时间 ＮＯＴ 六五")) == [records()[3].path]
    assert paths(search(archive, "ｔｉｔｌｅ：学习")) == [records()[1].path]


def test_a_filter_word_is_dropped_when_that_filter_is_given(archive):
    result = search(archive, "六五环境日的照片", kind="photo", today=TODAY)
    assert paths(result) == [records()[2].path]
    assert "不作为检索词" in result.interpreted[0]
    assert paths(search(archive, "去年六五环境日", date_from="2025", today=TODAY)) == [
        records()[2].path]
    assert paths(search(archive, "今年的照片", kind="photo", date_from="2024-03",
                        date_to="2024-03", today=TODAY)) == [records()[3].path]


@pytest.mark.parametrize("query", ["领导小组 AND 通知", "领导小组 and 通知", "领导小组 && 通知",
                                   "AND 领导小组", "领导小组 AND"])
def test_and_changes_nothing(archive, query):
    assert paths(search(archive, query)) == [records()[0].path]


def test_field_words_and_filters_in_the_query(archive):
    assert paths(search(archive, "王峰")) == [records()[1].path]
    assert search(archive, "title:王峰").total == 0               # in the text, not the title
    assert paths(search(archive, "title:学习")) == [records()[1].path]
    assert paths(search(archive, 'title:"学习制度"')) == [records()[1].path]
    assert paths(search(archive, "content:王峰")) == [records()[1].path]
    assert paths(search(archive, "caption:植树节")) == [records()[3].path]
    assert paths(search(archive, "organizer:团市委")) == [records()[3].path]
    assert len(search(archive, "kind:photo").hits) == 2
    assert paths(search(archive, "活动时间 kind:照片 -植树节")) == [records()[2].path]
    assert set(paths(search(archive, "indicator:I-2"))) == {records()[2].path,
                                                            records()[3].path}
    assert paths(search(archive, "活动时间 -indicator:II-3")) == []
    assert paths(search(archive, "from:2025 to:2025-12")) == [records()[2].path]
    assert paths(search(archive, "照片 kind:photo from:2024 to:2024",
                        today=TODAY)) == [records()[3].path]


@pytest.mark.parametrize("query,words", [
    ("foo:bar", "不认识的字段"), ("ISO:9001", "不认识的字段"), ("title:", "后面要跟检索词"),
    ("kind:视频啊", "类型"), ("indicator:IX-9", "IX-9"), ("from:去年夏天", "日期"),
    ("领导 OR kind:photo", "OR"), ("领导 -from:2024", "不能排除")])
def test_bad_fields_in_the_query(archive, query, words):
    with pytest.raises(UsageError) as err:
        search(archive, query)
    assert words in err.value.message and err.value.hint


def test_the_digits_of_a_letter_and_digit_word(archive):
    iso = doc("I-1/II-2/02：质量体系.docx", "本局通过ISO9001质量管理体系认证，证书编号ＡＢＣ１２３。")
    title = doc("I-1/II-2/03：ＸＹ２０２４年度台账.txt", "台账")
    update_index(archive, [iso, title], scope=None)
    for query in ("9001", "ISO9001", "iso", "１２３", "ABC", "abc123", '"ISO9001质量管理"'):
        assert paths(search(archive, query)) == [iso.path], query
    assert title.path in paths(search(archive, "2024"))         # the title's digits alone
    assert paths(search(archive, "ＸＹ")) == [title.path]


def test_a_new_cache_version_rebuilds_the_index(archive, monkeypatch):
    from archive_tool import store

    monkeypatch.setattr(store, "CACHE_VERSION", store.CACHE_VERSION + "-next")
    stats = update_index(archive, records())
    assert stats.rebuilt and stats.reason == "version" and stats.added == 4
    assert not update_index(archive, records()).rebuilt


def test_updates_file_by_file_keep_the_index_at_two_segments(archive):
    """The watcher commits one file at a time: the small segments are merged as they come
    (each segment costs every search a reader), the large one is left alone."""
    from whoosh import index as whoosh_index

    evs = records()
    segments = []
    for version in range(2, 8):
        evs[1] = doc("I-1/II-2/01：学习制度.docx", f"第{version}版学习制度", version=version)
        update_index(archive, evs)
        segments.append(len(whoosh_index.open_dir(str(index_dir(archive)), "MAIN")._segments()))
    assert max(segments) <= 2, segments  # Whoosh's own policy lets them grow to five
    assert paths(search(archive, "第7版")) == ["I-1/II-2/01：学习制度.docx"]
    assert search(archive, "第6版").total == 0


def test_a_batch_segment_is_not_merged_again_by_each_later_update(archive, monkeypatch):
    """A batch of changed files makes a segment too large to merge cheaply: later one-file
    updates leave it as it is (re-merging it cost 0.5 s a change at 40,000 files) and merge only
    their own small segments; the segments stay few."""
    from whoosh import index as whoosh_index

    from archive_tool.search import index_files

    monkeypatch.setattr(index_files, "SMALL_SEGMENT", 3, raising=False)

    def segments():
        ix = whoosh_index.open_dir(str(index_dir(archive)), "MAIN")
        return {seg.segment_id(): seg.doc_count_all() for seg in ix._segments()}

    evs = records() + [doc(f"I-1/II-2/0{i}：制度{i}.docx", f"制度{i}", version=1)
                       for i in range(2, 8)]
    update_index(archive, evs)
    before = segments()
    evs[-6:] = [doc(f"I-1/II-2/0{i}：制度{i}.docx", f"修订制度{i}", version=2)
                for i in range(2, 8)]
    update_index(archive, evs)  # a batch: a segment of its 6 documents
    batch = [sid for sid in segments() if sid not in before]
    assert len(batch) == 1 and segments()[batch[0]] == 6, (before, segments())
    for version in range(3, 9):
        evs[1] = doc("I-1/II-2/01：学习制度.docx", f"第{version}版学习制度", version=version)
        update_index(archive, evs)
        now = segments()
        assert batch[0] in now and len(set(now) - set(before) - set(batch)) == 1, now
    assert paths(search(archive, "第8版")) == ["I-1/II-2/01：学习制度.docx"]
    assert search(archive, "修订制度5").total == 1 and search(archive, "第7版").total == 0


def test_batches_never_leave_more_segments_than_the_limit(archive, monkeypatch):
    from whoosh import index as whoosh_index

    from archive_tool.search import index_files

    monkeypatch.setattr(index_files, "SMALL_SEGMENT", 2)
    monkeypatch.setattr(index_files, "MAX_SEGMENTS", 2)
    evs = records() + [doc(f"I-1/II-2/0{i}：制度{i}.docx", f"制度{i}", version=1)
                       for i in range(2, 5)]
    update_index(archive, evs)
    counts = []
    for version in range(2, 9):  # batches of three changed files: segments too large to merge
        evs[-3:] = [doc(f"I-1/II-2/0{i}：制度{i}.docx", f"第{version}次修订制度{i}",
                        version=version) for i in range(2, 5)]
        update_index(archive, evs)
        counts.append(len(whoosh_index.open_dir(str(index_dir(archive)), "MAIN")._segments()))
    assert max(counts) <= 1 + 2 + 1, counts  # the largest, the limit, the new one
    assert search(archive, "第8次修订制度3").total == 1 and search(archive, "第7次修订").total == 0


def test_a_phrase_total_counts_every_match_beyond_the_limit(archive):
    evs = records() + [doc(f"I-1/II-2/0{i}：制度{i}.docx", "每月组织一次集中学习。", version=i)
                       for i in range(2, 6)]
    update_index(archive, evs)
    result = search(archive, '"集中学习"', limit=2)
    assert len(result.hits) == 2 and result.total == 5
    assert search(archive, '"集中学习" -考勤', limit=1, kind="document").total == 5


def test_a_full_disk_is_a_message_not_a_damaged_index():
    """A full disk or a read-only share is not the index's fault: rebuilding would fail the
    same way (the watcher would rescan the archive on every batch). A missing segment file is."""
    import errno

    from archive_tool.search.indexer import _environmental

    assert _environmental(OSError(errno.ENOSPC, "No space left on device"))
    assert _environmental(PermissionError(errno.EACCES, "Permission denied"))
    assert not _environmental(FileNotFoundError(errno.ENOENT, "MAIN_x.seg"))
    assert not _environmental(ValueError("Block tag error"))


# ---- the signature table: what is stale, known without reading every document -----------------
@pytest.fixture
def whoosh_reads(monkeypatch):
    """Counts the updates that read every document's signature back from Whoosh."""
    from archive_tool.search import signatures

    calls: list[int] = []
    original = signatures.from_whoosh

    def counted(ix):
        calls.append(1)
        return original(ix)

    monkeypatch.setattr(signatures, "from_whoosh", counted)
    return calls


def test_an_update_reads_no_stored_document(archive, whoosh_reads):
    changed = [replace(records()[1], mtime_ns=2)]
    changed[0]._text_loader = lambda: "每季度组织一次集中学习"
    stats = update_index(archive, changed, scope=None)
    assert stats.updated == 1 and stats.documents == 4 and whoosh_reads == []
    stats = update_index(archive, records()[:3])                # one file gone
    assert stats.removed == 1 and stats.updated == 1 and whoosh_reads == []
    assert paths(search(archive, "季度")) == [] and search(archive, "植树节").total == 0


@pytest.mark.parametrize("damage", ["deleted", "garbage", "other generation"])
def test_a_missing_or_outdated_signature_table_is_made_again(archive, whoosh_reads, damage):
    from archive_tool.search.signatures import FILE

    table = index_dir(archive) / FILE
    if damage == "deleted":
        table.unlink()
    elif damage == "garbage":
        table.write_bytes(b"not a database" * 100)
    else:  # a writer that committed to the index but not to the table (killed between)
        kept = table.read_bytes()
        update_index(archive, records()[:3])
        table.write_bytes(kept)
    stats = update_index(archive, records())
    assert whoosh_reads == [1] and stats.documents == 4 and stats.updated == 0
    update_index(archive, records())
    assert whoosh_reads == [1]                                  # made again whole, trusted
