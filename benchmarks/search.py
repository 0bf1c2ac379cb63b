"""Full-text index and search over synthetic archives of several sizes (targets, issue 16: one
changed file, scan + index update, under 0.3 s at 40k files; search p95 under 100 ms at 40k).

    python benchmarks/search.py [--sizes 10000 40000] [--seed 0] [--queries 100] [--runs 3]
                                [--baseline-files N]

The index of each synthetic archive (benchmarks/synth.py) is built once in the archive itself
(timed when it is built: the full build) and reused; the measures run on a working copy of it
(hard links, the .archive folder copied) and print, for each size side by side:

- one changed file (a docx edited): a scan of the whole archive + the index update, and the
  watcher's path (a scan of the file + the index update), median of ``--runs`` files;
- search latency p50/p95 over ``--queries`` queries (simplified, traditional, parts of names,
  phrases, natural-language queries, filters) through ``archive_tool.search.search``, the
  median of ``--runs`` rounds;
- the index size.

``--baseline-files N`` also indexes N documents the way tutorials do it
(``jieba.analyse.ChineseAnalyzer``, one commit per document) and prints the ratio per document.
"""
from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from sizes import Figures, arguments, run_sizes  # noqa: E402

QUERIES = [
    "六五环境日", "六五環境日", "领导小组", "領導小組", "晓明", "张晓明", "曲丽娟", "丽娟", "王峰",
    "学雷锋", "學雷鋒志願服務", "志愿服务", "道德讲堂", "身边好人", "文明出行", "党风廉政",
    "端午", "我们的节日", "核心价值观", "网络文明", "诚信", "节约用水", "文明餐桌", "结亲连心",
    "谈心谈话", "卫生评比", "普法", "安全教育", "业务培训", "文体活动", '"组织开展学雷锋"',
    '"六五环境日宣传"', "去年六五环境日的照片", "学雷锋的照片", "环境保护局", "说明报告",
    "长效机制", "文明素养", "创建氛围", "干部职工", "通知", "活动 OR 培训", "学雷锋 -照片",
    "宣传 主持", "晓明 主持", "凌绫", "秦增", "德学",
]
FILTERED = [
    ("活动", {"kind": "photo"}), ("学雷锋", {"indicator": "I-2"}),
    ("宣传", {"date_from": "2018-06", "date_to": "2018-06"}),
    ("环境日", {"organizer": "环境保护"}), ("领导小组", {"kind": "document", "indicator": "I-1"}),
    ("培训", {"date_from": "2018-10"}), ("", {"indicator": "II-4", "kind": "photo"}),
]


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _change_docx(paths: list[Path], stamp: str) -> None:
    from docx import Document

    for path in paths:
        document = Document(str(path))
        document.add_paragraph(f"补充说明{stamp}：本次活动照片已归档。")
        document.save(str(path))


def _baseline(root: Path, evidence, texts, limit: int | None) -> tuple[float, int]:
    """Index like a tutorial: jieba.analyse.ChineseAnalyzer and one commit per document."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    jieba.dt.tmp_dir = str(root / ".archive")  # its cache stays out of /tmp as well
    jieba.setLogLevel(60)
    folder = root / ".archive" / "baseline-index"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    analyzer = ChineseAnalyzer()
    schema = Schema(path=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                    content=TEXT(analyzer=analyzer))
    ix = index.create_in(str(folder), schema)
    docs = evidence if limit is None else evidence[:limit]
    t0 = time.perf_counter()
    for ev in docs:
        writer = ix.writer()
        content = texts.get(ev.path, "") or (ev.caption.text if ev.caption else "")
        writer.add_document(path=ev.path, title=ev.theme or ev.name, content=content)
        writer.commit()
    return time.perf_counter() - t0, len(docs)


def _source_index(source: Path, figures: Figures, size: int) -> None:
    """The index of the synthetic archive itself, built when missing (the full build timed)."""
    from archive_tool.config import open_archive
    from archive_tool.scan import scan
    from archive_tool.search import update_index

    config = open_archive(source)
    result, scan_s = _timed(lambda: scan(source, config=config))
    stats, index_s = _timed(lambda: update_index(config, result.evidence))
    if stats.rebuilt:
        n = len(result.evidence)
        print(f"  full build: scan {scan_s:.1f} s (read {result.stats.read}) + index "
              f"{index_s:.1f} s ({n / index_s:.0f} files/s)")
        figures.add(size, "full index build (index part)", index_s)


def _one_changed(root: Path, config, docx: list[Path], rng: random.Random, runs: int
                 ) -> tuple[list[float], list[float]]:
    """(scan of the archive + index update, scan of the file + index update) per changed file."""
    from archive_tool.scan import scan
    from archive_tool.search import update_index

    whole, watcher = [], []
    for run in range(runs):
        changed = synth.own_file(rng.choice(docx))
        _change_docx([changed], f"w{run}")
        t0 = time.perf_counter()
        scanned = scan(root, config=config)
        upd = update_index(config, scanned.evidence)
        whole.append(time.perf_counter() - t0)
        assert scanned.stats.read == 1 and upd.updated == 1, (scanned.stats, upd)
        changed = synth.own_file(rng.choice(docx))
        _change_docx([changed], f"f{run}")
        t0 = time.perf_counter()
        single = scan(changed, config=config)
        upd = update_index(config, single.evidence, scope=single.scope)
        watcher.append(time.perf_counter() - t0)
        assert upd.updated == 1, upd
    return whole, watcher


def _queries(config, count: int) -> tuple[list[float], list[int]]:
    from archive_tool.search import search

    search(config, "预热")
    work = [(q, {}) for q in QUERIES] + FILTERED
    times, hits = [], []
    for i in range(count):
        q, kw = work[i % len(work)]
        res, dt = _timed(lambda: search(config, q, **kw))
        times.append(dt * 1000)
        hits.append(res.total)
    return times, hits


def measure(size: int, args, figures: Figures) -> None:
    from archive_tool.config import open_archive
    from archive_tool.scan import scan
    from archive_tool.search import index_dir, index_size
    from archive_tool.search.analysis import SEGMENTER, prepare_for

    source = synth.cached_archive(size, args.seed)
    print(f"\n{size}: {source}")
    _source_index(source, figures, size)
    root = synth.working_copy(source, synth.WORK / f"search-{size}-{args.seed}")
    config = open_archive(root)
    _, startup_s = _timed(lambda: (prepare_for(config), SEGMENTER.jieba))
    print(f"  segmenter start-up (jieba dictionary, domain terms, tree names): {startup_s:.2f} s")
    n = len(scan(root, config=config).evidence)
    whole, watcher = _one_changed(root, config, sorted(root.rglob("*.docx")),
                                  random.Random(args.seed), args.runs)
    figures.add(size, "1 changed file: archive scan + index", whole, target="< 0.3 s at 40k")
    figures.add(size, "1 changed file: file scan + index", watcher, target="< 0.3 s at 40k")
    p50s, p95s, maxes, medians = [], [], [], []
    for _ in range(args.runs):
        times, hits = _queries(config, args.queries)
        p50s.append(_pct(times, 0.5))
        p95s.append(_pct(times, 0.95))
        maxes.append(max(times))
        medians.append(statistics.median(hits))
    figures.add(size, "search p50", p50s, unit="ms")
    figures.add(size, "search p95", p95s, unit="ms", target="< 100 ms at 40k")
    figures.add(size, "search max", maxes, unit="ms")
    figures.add(size, "search median hits", medians, unit="")
    figures.add(size, "index size", index_size(index_dir(config)) / 1e6, unit="MB")
    figures.add(size, "index size per file", index_size(index_dir(config)) / n / 1024, unit="KB")
    if args.baseline_files:
        _tutorial(root, config, args.baseline_files)
    shutil.rmtree(root)


def _tutorial(root: Path, config, limit: int) -> None:
    from archive_tool.scan import scan
    from archive_tool.store import Store

    result = scan(root, config=config)
    with Store(config.archive_dir) as store:
        texts = {ev.path: store.text(ev.path) for ev in result.evidence}
    base_s, base_n = _baseline(root, result.evidence, texts, limit)
    print(f"  tutorial way (jieba.analyse.ChineseAnalyzer, one commit per document): "
          f"{base_n} documents in {base_s:.1f} s ({base_n / base_s:.0f} files/s)")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-files", type=int, default=None,
                        help="also index the first N documents the tutorial way")
    args = parser.parse_args()
    figures = Figures(f"index and search (medians of {args.runs})")
    run_sizes(figures, args.sizes, lambda size: measure(size, args, figures))


if __name__ == "__main__":
    main()
