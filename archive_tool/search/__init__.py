"""Full-text search over the archive: a Whoosh index in ``<archive>/.archive/index``.

The index consumes the Evidence records scan produces (it never reads evidence files itself)::

    from archive_tool.scan import scan
    from archive_tool.search import update_index, search

    stats = update_index(scan("档案"))          # incremental; rebuilds when it has to
    result = search("档案", "六五环境日", kind="photo")
    for hit in result.hits:
        print(hit.indicator_path, hit.title, hit.snippet)

Chinese analysis (jieba words with phrase-safe positions, character pairs for the short fields,
traditional/full-width folding) is in :mod:`.analysis`; the query syntax in :mod:`.query`.
"""
from .analysis import ANALYZER_VERSION, fold, prepare, prepare_for
from .index_files import DEFAULT_WAIT, INDEX_DIR, REBUILD_REASONS, index_dir, index_size
from .indexer import IndexStats, ensure_index, remove_paths, update_index
from .schema import INDEX_VERSION
from .searcher import Hit, SearchResult, search, snippet

__all__ = [
    "ANALYZER_VERSION", "DEFAULT_WAIT", "INDEX_DIR", "INDEX_VERSION", "REBUILD_REASONS", "Hit",
    "IndexStats",
    "SearchResult", "ensure_index", "fold", "index_dir", "index_size", "prepare", "prepare_for",
    "remove_paths", "search", "snippet", "update_index",
]
