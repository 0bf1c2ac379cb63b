"""Searching the index: filters, hits with their indicator path and a marked snippet."""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from whoosh import collectors
from whoosh import query as Q

from ..config import ArchiveConfig
from ..errors import UsageError
from . import analysis, fastscore, filters as qf, query as qp
from .indexer import DEFAULT_WAIT, Rescan, ensure_index, update_index

#: marks around a matched word in snippets
MARK_OPEN, MARK_CLOSE = "【", "】"
#: the marks a Hit keeps: two characters of Unicode's private use area, which no archive's text
#: holds (any there are dropped), so a page can split on them even when the text itself has 【】
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
SNIPPET_CHARS = 80


@dataclass
class Hit:
    """One file found: its indicator (None outside any indicator folder) and why it matched."""

    path: str
    indicator: str | None
    indicator_path: str
    title: str
    date: str | None
    kind: str
    score: float
    #: the snippet, each matched word between HIT_OPEN and HIT_CLOSE
    marked: str
    organizer: str = ""

    @property
    def snippet(self) -> str:
        """The snippet as text, each matched word in 【】."""
        return self.marked.replace(HIT_OPEN, MARK_OPEN).replace(HIT_CLOSE, MARK_CLOSE)

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, highlighted) pieces, for a page to escape and mark (brackets
        of the text itself, 【】 included, stay text)."""
        parts: list[tuple[str, bool]] = []
        for i, piece in enumerate(self.marked.split(HIT_OPEN)):
            matched, _, rest = piece.rpartition(HIT_CLOSE) if i else ("", "", piece)
            parts += [(matched, True), (rest, False)]
        return [(text, marked) for text, marked in parts if text]

    def to_dict(self) -> dict:
        return {"path": self.path, "indicator": self.indicator,
                "indicator_path": self.indicator_path, "title": self.title, "date": self.date,
                "kind": self.kind, "score": self.score, "snippet": self.snippet}


@dataclass
class SearchResult:
    """The hits of one search (at most ``limit``) and how many files matched in all."""

    query: str
    hits: list[Hit]
    total: int
    #: how words of the query were read as filters (Chinese, for the user)
    interpreted: list[str] = field(default_factory=list)
    #: True when the index had to be rebuilt from the archive first
    rebuilt: bool = False
    #: True when a hit named a file gone from the disk and the index was updated first
    refreshed: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"hits": [h.to_dict() for h in self.hits], "total": self.total}


def _understood(config: ArchiveConfig, query: str, options: dict, today: date | None
                ) -> tuple[qp.Plan, list, list, list]:
    """The query read (the plan), the filters of the options and the query, the masks (what
    is excluded) and the filters the query's words added (照片, 去年); UsageError for a query
    with nothing to search for."""
    given = [(name, value, False) for name, value in options.items() if value]
    plan = qp.parse(query, today=today, kind_given=bool(options["kind"]),
                    dates_given=bool(options["from"] or options["to"]))
    filters, masks = qf.build_filters(config.tree, given + plan.filters)
    if plan.empty and not filters and not (plan.kind or plan.dates):
        if (query or "").strip():
            raise UsageError(f"查询中没有可检索的词：{query}",
                             hint="换一个更具体的词，例如文件主题、活动名称或人名。")
        raise UsageError("请输入检索词", hint='例如：archive-tool search "六五环境日"')
    extra = []
    if plan.kind:
        extra.append(Q.Term("kind", plan.kind))
    if plan.dates:
        extra.append(qf.date_filter(*plan.dates))
    return plan, filters, masks, extra


class _Index:
    """The archive's index opened for one search: rebuilt when it has to be, and searched
    again when it lags behind the disk."""

    def __init__(self, config: ArchiveConfig, rescan: Rescan | None, wait: float, on_wait):
        self.config, self.rescan, self.wait, self.on_wait = config, rescan, wait, on_wait
        self.ix, stats = self._ensure(read=False)
        self.rebuilt = stats is not None
        self.refreshed = False

    def _ensure(self, **kwargs):
        return ensure_index(self.config, rescan=self.rescan, wait=self.wait,
                            on_wait=self.on_wait, **kwargs)

    def run(self, plan: qp.Plan, filters: list, limit: int | None, masks: list):
        try:
            return _run(self.ix, plan, filters, limit, masks)
        except Exception:  # noqa: BLE001 - Whoosh failed reading its files
            try:  # a writer may have replaced the segments just now: open the index again
                self.ix, again = self._ensure()
                self.rebuilt = self.rebuilt or again is not None
                return _run(self.ix, plan, filters, limit, masks)
            except Exception:  # noqa: BLE001 - still failing: the index is broken, rebuild it
                self.ix, _ = self._ensure(broken="corrupt")
                self.rebuilt = True
                return _run(self.ix, plan, filters, limit, masks)

    def current(self, found, plan: qp.Plan, filters: list, limit: int | None, masks: list):
        """``found`` (hits, total), or, when a hit names a file gone from the disk, the index
        brought in line with ``rescan()`` and the search made again."""
        if self.rescan is None or not _gone(self.config, found[0]):
            return found
        update_index(self.config, self.rescan(), wait=self.wait, on_wait=self.on_wait)
        self.ix, _ = self._ensure()
        self.refreshed = True
        return _run(self.ix, plan, filters, limit, masks)


def search(config: ArchiveConfig, query: str, *, rescan: Rescan | None = None,
           indicator: str | None = None, kind: str | None = None, date_from=None, date_to=None,
           organizer: str | None = None, limit: int | None = 20, today: date | None = None,
           wait: float = DEFAULT_WAIT,
           on_wait: Callable[[float], None] | None = None) -> SearchResult:
    """Search the archive of ``config``.

    ``indicator`` includes its descendants; ``date_from``/``date_to`` are dates or text
    (2023, 2023-06, 2023-06-05) and keep only dated files; ``organizer`` is part of the
    caption's 主办单位. A missing or broken index is rebuilt from ``rescan()`` (the records of
    the whole archive) first, waiting up to ``wait`` seconds for another writer (``on_wait``
    is told when waiting starts); a hit whose file is gone brings the index in line with
    ``rescan()`` before the search is made again. UsageError for a malformed query or filter.
    """
    started = time.perf_counter()
    if limit is not None and limit < 1:
        raise UsageError(f"--limit 必须是正整数：{limit}", hint="例如 --limit 20")
    analysis.prepare_for(config)  # the segmenter knows the tree's names before the query
    plan, filters, masks, extra = _understood(config, query, {
        "indicator": indicator, "kind": kind, "from": date_from, "to": date_to,
        "organizer": organizer}, today)
    index = _Index(config, rescan, wait, on_wait)
    hits, total = index.current(index.run(plan, filters + extra, limit, masks),
                                plan, filters + extra, limit, masks)
    interpreted = list(plan.interpreted)
    if total == 0 and extra and not plan.empty:
        plan.kind = plan.dates = None
        hits, total = _run(index.ix, plan, filters, limit, masks)
        if total:
            interpreted = [f"按「{'」「'.join(plan.dropped)}」筛选没有结果，已去掉这些筛选条件"]
    snippets = _Snippets(Path(config.archive_dir), plan.highlights)
    try:
        result_hits = [snippets.hit(fields, score) for fields, score in hits]
    finally:
        snippets.close()
    return SearchResult(query=query, hits=result_hits, total=total, interpreted=interpreted,
                        rebuilt=index.rebuilt, refreshed=index.refreshed,
                        seconds=time.perf_counter() - started)


def _gone(config: ArchiveConfig, hits: list[tuple[dict, float]]) -> bool:
    """True when a hit names a file that is no longer on disk (renamed or deleted while no
    watcher saw it): a search never lists a path that does not exist. Only for an index kept
    from scans of the archive (the cache knows files); an index fed records directly has
    nothing on disk to answer for."""
    root = Path(config.root)
    if all(os.path.lexists(root.joinpath(*fields["path"].split("/"))) for fields, _ in hits):
        return False
    from ..store import Store

    try:
        with Store(Path(config.archive_dir)) as store:
            return store.has_files()
    except Exception:  # noqa: BLE001 - no usable cache: nothing to reconcile with
        return False


def _run(ix, plan: qp.Plan, filters: list, limit: int | None, masks: list = ()):
    q = qp.build(plan)
    without = [m for m in (qp.excluded(plan), *masks) if m is not None]
    with ix.searcher() as searcher:
        allowed = None
        if filters:  # the filters as one set of document numbers, computed once
            allowed = _docs(searcher, filters[0] if len(filters) == 1 else Q.And(filters))
            if not allowed:
                return [], 0
        # the excluded documents as a set too, given as Whoosh's mask: its AndNot matcher
        # misses exclusions once the index has more than one segment
        masked = set()
        for m in without:
            masked |= _docs(searcher, m)
        if allowed is not None and masked:
            allowed, masked = allowed - masked, set()
            if not allowed:
                return [], 0
        if _has_phrase(q):
            # a phrase is checked position by position: once, scoring and counting each match
            # (Whoosh's top-N shortcuts would make that count wrong, and a second run costs as
            # much again)
            collector = (collectors.TopCollector(limit, usequality=False, replace=0)
                         if limit is not None else collectors.UnlimitedCollector())
            if allowed is not None or masked:
                collector = collectors.FilterCollector(collector, allowed, masked or None)
            searcher.search_with_collector(q, collector)
            results = collector.results()
            return _hits(results), len(results)
        try:  # words: every posting list read and scored with numpy (fastscore)
            best, total = fastscore.top(searcher, q, allowed=allowed, masked=masked,
                                        limit=limit)
        except fastscore.Unsupported:
            return _whoosh_words(searcher, q, allowed, masked, limit)
        return [(dict(searcher.stored_fields(docnum)), round(score, 3))
                for docnum, score in best], total


def _whoosh_words(searcher, q, allowed, masked, limit):
    """Whoosh's own search of a query fastscore does not evaluate: its collector skips
    documents that cannot reach the top ``limit`` (fast, but its count would run the query
    again); the count comes from sets of documents."""
    results = searcher.search(q, filter=allowed, mask=masked or None, limit=limit)
    hits = _hits(results)
    if limit is None or len(hits) < limit:
        return hits, len(hits)
    docs = _docs(searcher, q)
    if allowed is not None:
        docs &= allowed
    return hits, len(docs - masked)


def _hits(results) -> list[tuple[dict, float]]:
    return [(dict(hit.fields()), round(float(hit.score or 0.0), 3)) for hit in results]


def _has_phrase(q) -> bool:
    return isinstance(q, Q.Phrase) or any(_has_phrase(sub) for sub in q.children())


def _docs(searcher, q) -> set[int]:
    """The documents matching ``q`` (no scoring): read with numpy, or Whoosh's set algebra."""
    try:
        return fastscore.doc_set(searcher, q)
    except fastscore.Unsupported:
        return _whoosh_docs(searcher, q)


def _whoosh_docs(searcher, q) -> set[int]:
    """The documents matching ``q``, by set algebra over its parts (no scoring)."""
    if isinstance(q, Q.And):
        parts = sorted((_whoosh_docs(searcher, sub) for sub in q.subqueries), key=len)
        out = parts[0] if parts else set()
        for part in parts[1:]:
            out &= part
        return out
    if isinstance(q, Q.Or):
        out = set()
        for sub in q.subqueries:
            out |= _whoosh_docs(searcher, sub)
        return out
    if isinstance(q, Q.AndNot):
        return _whoosh_docs(searcher, q.a) - _whoosh_docs(searcher, q.b)
    if isinstance(q, Q.AndMaybe):
        return _whoosh_docs(searcher, q.a)
    return set(searcher.docs_for_query(q))


# ---- snippets -------------------------------------------------------------------------------
class _Snippets:
    """Snippets from the text kept in the metadata cache (documents) or the caption (photos)."""

    def __init__(self, archive_dir: Path, words: list[str]):
        self.archive_dir = archive_dir
        self.words = words
        self.store = None

    def _text(self, path: str) -> str:
        if self.store is None:
            from ..store import Store

            try:
                self.store = Store(self.archive_dir)
            except Exception:  # noqa: BLE001 - no cache: snippets from the index alone
                self.store = False
        return self.store.text(path) if self.store else ""

    def hit(self, fields: dict, score: float) -> Hit:
        text = fields.get("caption") or self._text(fields["path"]) or fields.get("title", "")
        return Hit(path=fields["path"], indicator=fields.get("indicator"),
                   indicator_path=fields.get("indicator_path", ""),
                   title=fields.get("title", ""), date=fields.get("date"),
                   kind=fields.get("kind", ""), score=score,
                   marked=snippet(text, self.words, marks=(HIT_OPEN, HIT_CLOSE)),
                   organizer=fields.get("organizer", ""))

    def close(self) -> None:
        if self.store:
            self.store.close()


_SPACES = re.compile(r"\s+")


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS,
            marks: tuple[str, str] = (MARK_OPEN, MARK_CLOSE)) -> str:
    """About ``width`` characters of ``text`` around the most query words, each between
    ``marks``."""
    text = _SPACES.sub(" ", (text or "").replace(HIT_OPEN, "").replace(HIT_CLOSE, "")).strip()
    if not text:
        return ""
    folded, offsets = analysis.fold_with_offsets(text)
    spans: list[tuple[int, int, int]] = []  # (start, end, word index) in the original text
    for index, word in enumerate(words):
        at = folded.find(word)
        count = 0
        while at >= 0 and count < 50:
            s = at if offsets is None else offsets[at]
            e = at + len(word) if offsets is None else offsets[at + len(word)]
            spans.append((s, e, index))
            at = folded.find(word, at + len(word))
            count += 1
    spans.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, int]] = []
    for span in spans:  # longer words were searched first; drop overlaps
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    if kept:
        best, best_count = 0, -1
        for i, (s, _, _) in enumerate(kept):
            distinct = {w for ss, _, w in kept[i:] if ss < s + width}
            if len(distinct) > best_count:
                best, best_count = i, len(distinct)
        start = max(0, kept[best][0] - width // 4)
    else:
        start = 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    out, cursor = [], start
    for s, e, _ in kept:
        if s < start or e > end:
            continue
        out.append(text[cursor:s])
        out.append(f"{marks[0]}{text[s:e]}{marks[1]}")
        cursor = e
    out.append(text[cursor:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
