"""The fields of the search index and what one Evidence record puts into them."""
from __future__ import annotations

import hashlib

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .. import store
from ..evidence import IMAGE_EXTS, Evidence
from .analysis import ANALYZER_VERSION, BigramTokenizer, WordTokenizer

#: the analyzer version plus the revision of the fields below; stored in the index (inside the
#: pickled tokenizers) with the dictionary's signature, and an index with another is rebuilt
INDEX_VERSION = f"{ANALYZER_VERSION}.3"

#: searchable text fields and their weight in a free-text query: the text in jieba words, the
#: short fields in character pairs (any part of a name or title is found, and a query needs
#: one matcher per field: measured 30-40 % faster than querying words and pairs of each)
WORD_FIELDS = {"content": 1.0}
BIGRAM_FIELDS = {"title": 3.0, "caption": 2.0, "organizer": 1.5}


def index_version(dictionary: str = "") -> str:
    """What an index built now records: INDEX_VERSION, the metadata cache's version (a new
    one means new extractors: the text and metadata indexed from the cache are re-read, so the
    index is rebuilt with them) and the dictionary's signature."""
    return f"{INDEX_VERSION}/c{store.CACHE_VERSION}/{dictionary}"


def make_schema(version: str | None = None) -> Schema:
    """The schema; its tokenizers carry ``version`` (default: :func:`index_version`)."""
    version = version or index_version()
    words = WordTokenizer(version)
    bigrams = BigramTokenizer(version)
    return Schema(
        path=ID(stored=True, unique=True),
        indicator=ID(stored=True),
        #: the indicator's id and its ancestors' ids: a filter on I-2 finds everything below it
        indicators=KEYWORD(lowercase=False, scorable=False),
        indicator_path=STORED(),
        number=NUMERIC(stored=True),
        #: theme from the file name (stored) plus the document's own title (indexed)
        title=TEXT(analyzer=bigrams, stored=True, phrase=True),
        content=TEXT(analyzer=words, phrase=True),
        caption=TEXT(analyzer=bigrams, stored=True, phrase=True),
        organizer=TEXT(analyzer=bigrams, stored=True, phrase=True),
        kind=ID(stored=True),
        date=STORED(),
        #: the date as yyyymmdd, for ranges (signed: Whoosh's ranges over an unsigned 32-bit
        #: field miss or add documents, e.g. [ TO 20241231] matched 2025 too)
        day=NUMERIC(int, bits=32),
        #: the owners of the indicator and of its ancestors (responsibility, not authorship:
        #: kept out of free-text queries, where a name would drag in whole indicators)
        owners=KEYWORD(stored=True, commas=True, lowercase=False),
        hash=ID(stored=True),
        #: what the document was indexed from (see :func:`signature`): changed means re-index
        sig=STORED(),
    )


def schema_version(schema: Schema) -> str | None:
    """The version an opened index was built with (None for a foreign schema)."""
    try:
        analyzer = schema["content"].analyzer
    except KeyError:
        return None
    version = getattr(analyzer, "version", None)
    if set(schema.names()) != set(make_schema().names()):
        return None
    return version


class TreeInfo:
    """Per-indicator data for documents (ancestors, owners, display path), memoised."""

    def __init__(self, tree):
        self.tree = tree
        self._memo: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}

    def get(self, indicator_id: str | None) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        """(ids from the top down to the indicator, owners, display path)."""
        if not indicator_id or self.tree is None:
            return (), (), ""
        if indicator_id not in self._memo:
            chain = self.tree.path(indicator_id)
            ids = tuple(ind.id for ind in chain) or (indicator_id,)
            owners: dict[str, None] = {}
            for ind in reversed(chain):
                for name in ind.all_owners():
                    owners.setdefault(name, None)
            display = " / ".join(f"{ind.id} {ind.name}" for ind in chain) or indicator_id
            self._memo[indicator_id] = (ids, tuple(owners), display)
        return self._memo[indicator_id]


def display_title(ev: Evidence) -> str:
    stem = ev.name.rsplit(".", 1)[0] if "." in ev.name else ev.name
    return ev.theme or ev.title or stem


def signature(ev: Evidence, info: TreeInfo) -> str:
    """A digest of everything a document is built from, except the text (``content_hash``)."""
    ids, owners, display = info.get(ev.indicator_id)
    cap = ev.caption
    parts = (ev.content_hash, str(ev.mtime_ns), ev.path, "/".join(ids), "|".join(owners),
             display, ev.theme, ev.title, ev.kind, ev.date.isoformat() if ev.date else "",
             cap.text if cap else "", cap.organizer if cap else "", str(ev.seq),
             _ocr_state(ev), INDEX_VERSION)
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def _ocr_state(ev: Evidence) -> str:
    """A scan's text recognition as far as the document shows it: recognised text re-indexes."""
    info = ev.ocr
    return f"{info.status}/{info.pages_read}/{info.chars}" if info is not None else ""


def day_number(day) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def is_image(ev: Evidence) -> bool:
    return ev.ext.lower() in IMAGE_EXTS


def document(ev: Evidence, info: TreeInfo, text: str, sig: str) -> dict:
    """The Whoosh document of one record; ``text`` is its extracted text ('' for photos)."""
    ids, owners, display = info.get(ev.indicator_id)
    cap = ev.caption
    title = display_title(ev)
    title_text = " ".join(dict.fromkeys(x for x in (ev.theme, ev.title) if x)) or title
    doc = {
        "path": ev.path, "indicator": ev.indicator_id, "indicators": " ".join(ids),
        "indicator_path": display, "number": ev.seq,
        "title": title_text, "_stored_title": title,
        "content": text,
        "caption": cap.text if cap else "", "organizer": cap.organizer if cap else "",
        "kind": ev.kind, "date": ev.date.isoformat() if ev.date else None,
        "day": day_number(ev.date) if ev.date else None,
        "owners": ",".join(owners),
        "hash": ev.content_hash, "sig": sig,
    }
    return {k: v for k, v in doc.items() if v not in (None, "")}
