"""The word segmenter of the search index: jieba's tokenizer, created on first use, with the
campaign's terms and the tree's names in its dictionary.

Its dictionary is jieba's own less its rare words: the words seen fewer than :data:`MIN_FREQ`
times in jieba's corpus are left out, which keeps about as many words as jieba's small
dictionary (``dict.txt.small``, 109,750 words, offered by jieba for "smaller memory"). The
full dictionary costs a process about 70 MB (350,000 words and their prefixes as Python
strings), the watcher's largest part; this one 25 MB. Measured side by side on 10,000
synthetic files, the benchmark's queries find the same files, but for one that finds more
(业务培训 also where its two words stand apart, the run as typed ranked first): the index and
the queries are cut by the same segmenter, and a word it no longer knows is still found.

jieba builds a prefix dictionary from its word list (about a second) and keeps it as a cache
file. Here the cache is ``.archive/jieba.cache`` of the archive, read when it is a file this
jieba wrote, else made again and written through a temporary file beside it that is always
removed, with the permissions the umask gives (0644 usually, so everyone who can read the
archive shares it). When ``.archive`` is not writable (or jieba.cache is a folder) the
dictionary is built in memory and nothing is written. jieba's logger is silenced: the
segmenter prints nothing, ever.
"""
from __future__ import annotations

import hashlib
import io
import logging
import marshal
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from .folding import fold, has_cjk

__all__ = ["CACHE_FILE", "DOMAIN_TERMS", "SEGMENTER", "names_of", "prepare", "prepare_for"]

CACHE_FILE = "jieba.cache"
#: jieba's words seen fewer times than this in its corpus are not in the dictionary
MIN_FREQ = 10
#: jieba's own temporary cache files (tempfile.mkstemp), left in .archive by earlier versions
_JIEBA_TMP = re.compile(r"^tmp[a-z0-9_]{8}$")

#: terms of the 文明单位 campaign that the segmenter should keep whole
DOMAIN_TERMS = (
    "新时代文明实践站", "新时代文明实践所", "新时代文明实践中心", "文明实践", "学雷锋",
    "学雷锋志愿服务", "身边好人", "中国好人", "好人榜", "道德模范", "道德讲堂", "文明单位",
    "文明城市", "文明村镇", "文明家庭", "文明校园", "文明餐桌", "文明礼仪", "文明交通",
    "网络文明", "志愿服务", "志愿者", "志愿服务队", "社会主义核心价值观", "核心价值观",
    "六五环境日", "世界环境日", "植树节", "全民阅读", "我们的节日", "移风易俗", "诚信建设",
    "未成年人思想道德建设", "公益广告", "善行义举", "善行义举榜", "光盘行动", "垃圾分类",
    "领导小组", "创建工作领导小组", "测评体系", "任务分解表", "说明报告", "活动记录",
    "签到表", "样报", "截屏", "主办单位", "活动主题", "活动时间", "理论学习中心组",
    "三会一课", "主题党日", "学习强国", "意识形态", "党风廉政建设", "两学一做",
    "不忘初心", "牢记使命", "扫黄打非", "文明出行", "文明旅游", "农民工", "留守儿童",
    "关爱帮扶", "结对共建", "文明创建", "创城", "创文", "环保志愿者", "生态文明",
)


def _dictionary_key(jieba) -> str:
    """What a cache was built from: jieba's version and its word list's size."""
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    try:
        size = os.path.getsize(path)
    except OSError:
        size = -1
    return f"jieba {getattr(jieba, '__version__', '?')} {size} min {MIN_FREQ}"


def _load_cache(cache: Path, key: str):
    """(FREQ, total) from a cache file of ``key``, else None."""
    try:
        if not cache.is_file():
            return None
        with open(cache, "rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(data, tuple) and len(data) == 3 and data[0] == key:
        return data[1], data[2]
    return None


def _save_cache(cache: Path, key: str, freq: dict, total) -> None:
    """Write the cache through a temporary file (removed whatever happens), mode from the
    umask; nothing when the folder can't be written or jieba.cache is not a file."""
    folder = cache.parent
    if not os.access(folder, os.W_OK | os.X_OK) or (cache.exists() and not cache.is_file()):
        return
    tmp = folder / f".{CACHE_FILE}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            marshal.dump((key, freq, total), fh)
        os.replace(tmp, cache)
    except OSError:
        pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _count(line: bytes) -> int:
    """The frequency of a line ``word freq [tag]`` of jieba's word list (0 when malformed)."""
    try:
        return int(line.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def _dictionary(tk) -> tuple[dict, int]:
    """jieba's prefix dictionary (FREQ, total) of its words seen at least MIN_FREQ times."""
    with tk.get_dict_file() as fh:
        kept = io.BytesIO(b"".join(line for line in fh if _count(line) >= MIN_FREQ))
    return tk.gen_pfdict(kept)


def _remove_jieba_leftovers(folder: Path, older_than: float = 600.0) -> None:
    """Delete the 9 MB temporary files jieba's own cache writing left behind (``tmpXXXXXXXX``
    holding a marshalled dictionary), once they are old enough not to be in use."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not _JIEBA_TMP.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < older_than:
                continue
            with open(entry.path, "rb") as fh:
                head = fh.read(3)
            if head[:2] == b")\x02" and head[2:] in (b"{", b"\xfb"):
                os.unlink(entry.path)
        except OSError:
            continue


class _Segmenter:
    """jieba's tokenizer, created on first use; quiet; its cache in the archive's folder."""

    def __init__(self) -> None:
        self._jieba = None
        self._lock = threading.RLock()
        self.cache_dir: Path | None = None
        self.words: set[str] = set()
        #: called when the dictionary changed (the tokenizers' memoised cuts are stale)
        self.on_change: list[Callable[[], None]] = []

    def configure(self, cache_dir: Path | None) -> None:
        if self._jieba is None and cache_dir is not None and self.cache_dir is None:
            self.cache_dir = Path(cache_dir)

    @property
    def jieba(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = self._create()
        return self._jieba

    def _create(self):
        import jieba

        quiet = logging.getLogger("jieba")
        quiet.setLevel(logging.CRITICAL + 1)
        quiet.propagate = False
        tk = jieba.Tokenizer()
        key = _dictionary_key(jieba)
        cache = self.cache_dir / CACHE_FILE if self.cache_dir is not None else None
        loaded = _load_cache(cache, key) if cache is not None else None
        if loaded is None:
            loaded = _dictionary(tk)
            if cache is not None and self.cache_dir.is_dir():
                _save_cache(cache, key, *loaded)
                _remove_jieba_leftovers(self.cache_dir)
        tk.FREQ, tk.total = loaded
        tk.initialized = True
        for word in DOMAIN_TERMS:
            self._add(tk, word)
        return tk

    def _add(self, tk, word: str) -> None:
        if word not in self.words:
            self.words.add(word)
            tk.add_word(word)
            for call in self.on_change:
                call()

    def add_words(self, words: Iterable[str]) -> int:
        tk = self.jieba
        added = 0
        with self._lock:
            for word in words:
                word = fold(word).strip()
                if 2 <= len(word) <= 12 and has_cjk(word) and word not in self.words:
                    self._add(tk, word)
                    added += 1
        return added


SEGMENTER = _Segmenter()
_NAME_SPLIT = re.compile(r"[\s、，,；;：:。（）()《》“”\"'/\\]+|(?<=.)[和与及](?=.)")


def names_of(texts: Iterable[str]) -> list[str]:
    """Indicator names, owners and organizers cut at punctuation into dictionary words."""
    out: dict[str, None] = {}
    for text in texts:
        text = (text or "").strip()
        if not text:
            continue
        if len(text) <= 12:
            out.setdefault(text, None)
        for part in _NAME_SPLIT.split(text):
            if part and part != text:
                out.setdefault(part, None)
    return list(out)


def prepare(archive_dir: Path | None = None, words: Iterable[str] = ()) -> str:
    """Set the segmenter's cache folder (first call wins) and feed words to its dictionary.

    Returns a short signature of the words: tokens depend on the dictionary, so the index
    records it with the analyzer version and is rebuilt when it changes.
    """
    SEGMENTER.configure(archive_dir)
    names = names_of(words)
    SEGMENTER.add_words(names)
    digest = hashlib.blake2b(digest_size=6)
    for name in sorted(set(DOMAIN_TERMS) | {fold(n).strip() for n in names}):
        digest.update(name.encode("utf-8") + b"\n")
    return digest.hexdigest()


_prepared: dict[tuple, str] = {}


def prepare_for(config) -> str:
    """:func:`prepare` with an archive's ``.archive/`` and the names of its tree (indicators,
    owners, offices) and config (organizers); returns the dictionary's signature."""
    names: list[str] = []
    for ind in config.tree.walk():
        names.append(ind.name)
        names.extend(ind.all_owners())
        names.extend(ind.support)
    names.extend(config.organizers)
    key = (str(config.archive_dir), tuple(names))
    if key not in _prepared:  # searches call this every time: the second call is free
        _prepared[key] = prepare(config.archive_dir, names)
    return _prepared[key]


