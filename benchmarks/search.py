"""Full-text index and search over the synthetic archive (targets: a 1-file incremental update
under 0.5 s, search p95 under 100 ms).

    python benchmarks/search.py [--files 10000] [--seed 0] [--queries 100] [--baseline-files N]

Works on a copy of the synthetic archive (benchmarks/synth.py, built once under
benchmarks/_work/) with its metadata cache removed, and prints:

- the full build: a cold scan (text extraction and captions) then a full index build, files/s,
  and the share of each (the index's own share split into Chinese analysis and Whoosh);
- incremental updates after 1 and after 100 changed files (scan + index, and the index alone);
- search latency p50/p95 over N queries (simplified, traditional, parts of names, phrases,
  natural-language queries, filters), through ``archive_tool.search.search``;
- the index size;
- the same documents indexed the way tutorials do it (``jieba.analyse.ChineseAnalyzer``, one
  commit per document) and the ratio of the two build times. ``--baseline-files`` limits that
  part to the first N documents (the ratio is then per document).
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

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


def _analysis_seconds(evidence, texts) -> float:
    """Time spent in our tokenizers for the same fields the index analyses: the text in jieba
    tiles and shingles, the title, caption and organizer in character pairs."""
    from archive_tool.search.analysis import bigram_tokens, word_tokens
    from archive_tool.search.schema import is_image

    t0 = time.perf_counter()
    for ev in evidence:
        if not is_image(ev):
            for _ in word_tokens(texts.get(ev.path, "")):
                pass
        cap = ev.caption
        for value in (ev.theme, ev.title, cap.text if cap else "", cap.organizer if cap else ""):
            for _ in bigram_tokens(value):
                pass
    return time.perf_counter() - t0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--baseline-files", type=int, default=None,
                        help="index only the first N documents the tutorial way")
    args = parser.parse_args()

    from archive_tool.config import open_archive
    from archive_tool.scan import scan
    from archive_tool.search import index_dir, index_size, search, update_index
    from archive_tool.store import Store

    source = synth.cached_archive(args.files, args.seed)
    root = synth.WORK / f"search-{args.files}-{args.seed}"
    if root.exists():
        shutil.rmtree(root)
    _, copy_s = _timed(lambda: shutil.copytree(source, root, symlinks=True))
    for stale in (root / ".archive").glob("state.sqlite*"):
        stale.unlink()
    shutil.rmtree(root / ".archive" / "index", ignore_errors=True)
    config = open_archive(root)
    print(f"archive: {root} (copied in {copy_s:.1f} s)")

    # ---- full build -------------------------------------------------------------------------
    from archive_tool.search.analysis import SEGMENTER, prepare_for

    _, startup_s = _timed(lambda: (prepare_for(config), SEGMENTER.jieba))
    print(f"segmenter start-up (jieba dictionary, domain terms, tree names): {startup_s:.2f} s")
    result, scan_s = _timed(lambda: scan(root, config=config))
    n = len(result.evidence)
    stats, index_s = _timed(lambda: update_index(config, result.evidence, rebuild=True))
    with Store(config.archive_dir) as store:
        texts = {ev.path: store.text(ev.path) for ev in result.evidence}
    analysis_s = _analysis_seconds(result.evidence, texts)
    whoosh_s = max(0.0, index_s - analysis_s)
    total = scan_s + index_s
    print(f"\nfull build: {n} files in {total:.1f} s ({n / total:.0f} files/s)")
    print(f"  scan + text extraction  {scan_s:7.2f} s  {scan_s / total:5.1%}  "
          f"(reading files {result.stats.read_seconds:.2f} s)")
    print(f"  index                   {index_s:7.2f} s  {index_s / total:5.1%}  "
          f"({n / index_s:.0f} files/s)")
    print(f"    Chinese analysis      {analysis_s:7.2f} s  {analysis_s / total:5.1%}")
    print(f"    Whoosh and the rest   {whoosh_s:7.2f} s  {whoosh_s / total:5.1%}  "
          "(writing, merging, reading texts from the cache)")
    print(f"  documents indexed: {stats.documents}")

    # ---- incremental ------------------------------------------------------------------------
    docx = sorted(root.rglob("*.docx"))
    rng = random.Random(args.seed)
    for count in (1, 100):
        chosen = rng.sample(docx, min(count, len(docx)))
        _change_docx(chosen, str(count))
        scanned, s_s = _timed(lambda: scan(root, config=config))
        upd, u_s = _timed(lambda: update_index(config, scanned.evidence))
        print(f"\nincremental, {count} changed file(s): scan {s_s:.2f} s (read "
              f"{scanned.stats.read}) + index {u_s:.3f} s = {s_s + u_s:.2f} s "
              f"[updated {upd.updated}, unchanged {upd.unchanged}]")
        one = [ev for ev in scanned.evidence if ev.path == chosen[0].relative_to(root).as_posix()]
        _change_docx(chosen[:1], f"{count}b")
        single, _ = _timed(lambda: scan(chosen[0], config=config))
        upd, u1 = _timed(lambda: update_index(config, single.evidence, scope=single.scope))
        print(f"  the watcher's path (scan of the one file + index): index {u1 * 1000:.0f} ms "
              f"[updated {upd.updated}]")
        del one

    # ---- search -----------------------------------------------------------------------------
    search(config, "预热")
    work = [(q, {}) for q in QUERIES] + FILTERED
    times, hits = [], []
    for i in range(args.queries):
        q, kw = work[i % len(work)]
        res, dt = _timed(lambda: search(config, q, **kw))
        times.append(dt * 1000)
        hits.append(res.total)
    print(f"\nsearch over {args.queries} queries ({len(work)} distinct): "
          f"p50 {_pct(times, 0.5):.1f} ms, p95 {_pct(times, 0.95):.1f} ms, "
          f"max {max(times):.1f} ms; median hits {statistics.median(hits):.0f}")
    size = index_size(index_dir(config))
    print(f"index size: {size / 1e6:.1f} MB ({size / max(n, 1) / 1024:.1f} KB per file)")

    # ---- the tutorial way -------------------------------------------------------------------
    result = scan(root, config=config)
    with Store(config.archive_dir) as store:
        texts = {ev.path: store.text(ev.path) for ev in result.evidence}
    base_s, base_n = _baseline(root, result.evidence, texts, args.baseline_files)
    ours_per_doc = index_s / n
    base_per_doc = base_s / base_n
    print(f"\ntutorial way (jieba.analyse.ChineseAnalyzer, one commit per document): "
          f"{base_n} documents in {base_s:.1f} s ({base_n / base_s:.0f} files/s)")
    print(f"  ratio tutorial / ours (index build, per document): "
          f"{base_per_doc / ours_per_doc:.1f}x")


if __name__ == "__main__":
    main()
