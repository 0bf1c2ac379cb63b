"""search/fastscore.py against Whoosh itself: on a real index of the project's schema (three
segments, deletions in the first, posting lists of many blocks and inlined ones), every query
of a varied set gives the same documents, in the same order, with the same scores and the
same count as Whoosh's collector; and the block reader reads what pickle reads."""
from __future__ import annotations

import pickle
import random
import zlib
from pathlib import Path

import numpy as np
import pytest
from whoosh import collectors
from whoosh import query as Q
from whoosh.filedb.filestore import FileStorage

from archive_tool.search import fastscore, filters as qf, query as qp, searcher as searching
from archive_tool.search.index_files import INDEX_NAME, open_index
from archive_tool.search.schema import make_schema

WORDS = ("六五环境日 环境保护局 环境保护 宣传 活动 培训 学雷锋 志愿服务 领导小组 会议 纪要 "
         "通知 张晓明 主持 文明 创建 氛围 安全教育 道德讲堂 身边好人 节约用水 干部职工 "
         "长效机制 核心价值观 网络文明 端午 我们的节日").split()
RARE = ("凌绫", "秦增", "曲丽娟")  # a few documents each: postings inlined in the term info
ORGANIZERS = ("环境保护局", "团委", "宣传部", "工会", "")
QUERIES = [
    "六五环境日", "六五環境日", "环境保护局", "活动", "活动 OR 培训", "宣传 主持", "学雷锋 -活动",
    "学雷锋的照片", "领导小组 会议", "title:环境", "caption:学雷锋", "organizer:环境保护",
    "content:培训", "文明 -title:文明", "凌绫", "秦增 OR 曲丽娟", "环境保护局 OR 学雷锋 OR 端午",
    "去年的照片", "张晓明主持", "核心价值观", "創建氛圍", '"六五环境日宣传"', "志愿服务 安全教育",
]


def _text(rng: random.Random, count: int) -> str:
    return "，".join(rng.choice(WORDS) + rng.choice(WORDS) for _ in range(count)) + "。"


def _doc(rng: random.Random, n: int) -> dict:
    photo = n % 3 == 0
    doc = {"path": f"f/{n:05d}.{'jpg' if photo else 'docx'}", "kind": "photo" if photo else
           "document", "indicators": f"I-{n % 2 + 1} II-{n % 4 + 1}",
           "title": rng.choice(WORDS) + rng.choice(WORDS), "day": 20230101 + n % 12 * 100 + n % 28,
           "number": n, "date": "2023-01-01"}
    if photo:
        doc["caption"] = _text(rng, rng.randint(1, 3))
        organizer = rng.choice(ORGANIZERS)
        if organizer:
            doc["organizer"] = organizer
    else:
        doc["content"] = _text(rng, rng.randint(1, 40))
    if n % 50 == 1:
        doc["title"] += RARE[n // 50 % 3]
    return doc


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = Path(tmp_path_factory.mktemp("fastscore")) / "index"
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(make_schema(), indexname=INDEX_NAME)
    rng = random.Random(16)
    with ix.writer() as writer:
        for n in range(900):
            writer.add_document(**_doc(rng, n))
    writer = ix.writer()
    for n in range(0, 900, 7):
        writer.delete_by_term("path", _doc(random.Random(0), n)["path"])
    for n in range(900, 1100):
        writer.add_document(**_doc(rng, n))
    writer.commit(merge=False)
    writer = ix.writer()
    for n in range(1100, 1160):
        writer.add_document(**_doc(rng, n))
    writer.commit(merge=False)
    ix, why = open_index(folder, read=False)
    assert why is None
    with ix.searcher() as searcher:  # what the comparisons below must cover
        readers = [r for r, _ in searcher.reader().leaf_readers()]
        assert len(readers) == 3 and readers[0].has_deletions()
        assert searcher.doc_frequency("content", "活动") > 300  # many blocks
    return ix


def _whoosh(searcher, q, allowed, masked):
    """Every match as Whoosh's collector scores it: (docnum, score) best first, docnum next."""
    collector = collectors.UnlimitedCollector()
    if allowed is not None or masked:
        collector = collectors.FilterCollector(collector, allowed, masked or None)
    searcher.search_with_collector(q, collector)
    return sorted(((hit.docnum, hit.score) for hit in collector.results()),
                  key=lambda item: (-item[1], item[0]))


def _same(mine, theirs):
    assert [d for d, _ in mine] == [d for d, _ in theirs]
    assert np.allclose([s for _, s in mine], [s for _, s in theirs], rtol=0, atol=1e-9)


@pytest.mark.parametrize("array_or", [True, False], ids=["array-union", "union-tree"])
@pytest.mark.parametrize("text", [q for q in QUERIES if '"' not in q])
def test_words_match_whoosh(index, text, array_or, monkeypatch):
    if not array_or:  # Whoosh's binary tree of unions, as on segments over 5000 documents
        monkeypatch.setattr(Q.Or, "matcher_type", Q.Or.DEFAULT_MATCHER)
    plan = qp.parse(text)
    q = qp.build(plan)
    with index.searcher() as searcher:
        photos = searching._docs(searcher, Q.Term("kind", "photo"))
        masked = searching._docs(searcher, qp.excluded(plan)) if plan.excluded else set()
        found = 0
        for allowed, mask in ((None, masked), (photos, masked), (None, photos | masked)):
            theirs = _whoosh(searcher, q, allowed, mask)
            found += len(theirs)
            for limit in (None, 1, 10):
                best, total = fastscore.top(searcher, q, allowed=allowed, masked=mask,
                                            limit=limit)
                assert total == len(theirs)
                _same(best, theirs[:limit])
        assert found  # the query is not vacuous


def test_every_scores_like_whoosh(index):
    with index.searcher() as searcher:
        best, total = fastscore.top(searcher, Q.Every(), limit=None)
        _same(best, _whoosh(searcher, Q.Every(), None, set()))
        assert total == searcher.doc_count()


def test_phrases_are_left_to_whoosh(index):
    q = qp.build(qp.parse('"六五环境日宣传"'))
    with index.searcher() as searcher, pytest.raises(fastscore.Unsupported):
        fastscore.top(searcher, q)


def test_filter_documents_match_whoosh(index):
    day = qf.parse_day
    queries = [Q.Term("kind", "photo"), Q.Term("indicators", "II-3"), Q.Term("kind", "none"),
               qf.date_filter(day("2023-02"), day("2023-05", end=True)),
               qf.date_filter(day("2023-06-05"), None), qf.date_filter(None, day("2023-03-01")),
               qf.organizer_filter("环境保护"), qf.organizer_filter("宣传部"),
               Q.And([Q.Term("kind", "photo"), qf.date_filter(day("2023-03"), None)]),
               qp.excluded(qp.parse("-学雷锋 -title:会议"))]
    with index.searcher() as searcher:
        for q in queries:
            expected = searching._whoosh_docs(searcher, q)
            assert fastscore.doc_set(searcher, q) == expected
            assert expected or q == Q.Term("kind", "none")


def _raise(*args, **kwargs):
    raise fastscore.Unsupported("test")


@pytest.mark.parametrize("text", QUERIES)
def test_searches_give_whoosh_answers(index, text, monkeypatch):
    """The searcher's own run (filters, masks, counting, stored fields) with fastscore gives
    the top of what Whoosh finds and scores without it. (Not Whoosh's own top: its shortcut
    past blocks that cannot reach the top sometimes drops a better document, 领导小组 会议.)"""
    plan = qp.parse(text)
    filters, masks = qf.build_filters(None, [("kind", "photo", True)])
    for given in ([], [Q.Term("kind", "document")], [qf.date_filter(None, None)]):
        args = (index, plan, given + filters if given else given)
        with monkeypatch.context() as patched:
            patched.setattr(fastscore, "top", _raise)
            hits, total = searching._run(*args, None, masks)
        for limit in (None, 5):
            assert searching._run(*args, limit, masks) == (hits[:limit], total)


def _block(ids, weights, values, compression):
    deltas = [ids[0]] + [b - a for a, b in zip(ids, ids[1:])]
    data = pickle.dumps((tuple(deltas), weights, values), 2)
    return zlib.compress(data, compression) if compression else data


@pytest.mark.parametrize("seed", range(40))
def test_block_reader_reads_what_pickle_reads(seed):
    rng = random.Random(seed)
    count = rng.choice([1, 2, 3, 4, 5, 64, 128])
    gap = rng.choice([1, 3, 200, 300, 70000])  # deltas of one byte, or not
    start = rng.choice([0, 300, 70000])
    ids = sorted(rng.sample(range(start, start + gap * count * 2 + 10), count))
    weights = rng.choice([None, 2.0, 1.3, tuple(float(rng.randint(1, 9)) for _ in ids)])
    values = tuple(pickle.dumps([rng.randint(0, 99)], 2) for _ in ids)
    compression = rng.choice([0, 3])
    deltas, read = fastscore._block_data(_block(ids, weights, values, compression),
                                         compression, count)
    assert np.cumsum(deltas).tolist() == ids
    expected = ([1.0] * count if weights is None else
                [float(np.float32(weights))] * count if isinstance(weights, float) else
                list(weights))
    assert read.tolist() == expected
