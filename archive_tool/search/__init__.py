"""Full-text search over the archive: a Whoosh index in ``<archive>/.archive/index``.

The index consumes the Evidence records scan produces; it never reads evidence files itself,
nor scans: whoever calls it hands it the records, and ``rescan`` (the records of the whole
archive) for when the index must be rebuilt. Front ends use :meth:`archive_tool.Archive.index`
and :meth:`archive_tool.Archive.search`, which do both::

    archive = Archive.open("档案")
    stats = archive.index()                      # incremental; rebuilds when it has to
    for hit in archive.search("六五环境日", kind="photo").hits:
        print(hit.indicator_path, hit.title, hit.snippet)

Chinese analysis (jieba words with phrase-safe positions, character pairs for the short fields,
traditional/full-width folding) is in :mod:`.analysis`; the query syntax in :mod:`.query`.
"""
from .analysis import ANALYZER_VERSION, fold, prepare, prepare_for
from .index_files import DEFAULT_WAIT, INDEX_DIR, REBUILD_REASONS, index_dir, index_size
from .indexer import IndexStats, Rescan, ensure_index, remove_paths, update_index
from .live import LiveIndex
from .prune import indexed_paths, prune_index
from .schema import INDEX_VERSION
from .searcher import Hit, SearchResult, search, snippet

__all__ = [
    "ANALYZER_VERSION", "DEFAULT_WAIT", "INDEX_DIR", "INDEX_VERSION", "REBUILD_REASONS", "Hit",
    "IndexStats", "LiveIndex", "Rescan", "SearchResult", "ensure_index", "fold", "index_dir", "index_size",
    "indexed_paths", "prepare", "prepare_for", "prune_index", "remove_paths", "search",
    "snippet", "update_index",
]
