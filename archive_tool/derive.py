"""What scan adds to a file's record from work done once per content hash.

Some things cost more than reading a file's metadata: the perceptual hashes of a photo
(:mod:`.extract.image_facts`, computed when lint needs them: :mod:`.photo_hashes`), a legacy
.doc/.wps/.et/.xls read through LibreOffice (:mod:`.extract.legacy`), the text OCR read on a
scan (:mod:`.extract.ocr`, done by :mod:`.ocr_run` during ``index`` and in the background of
``watch``). Their results live in the store's ``content`` table keyed by the file's content
hash, so a renamed, moved or copied file, or a new cache version, never computes them again.
:func:`enrich` runs on the files a scan reads; :class:`Extras` gives
:func:`archive_tool.scan.build_evidence` what a record shows of them (the media facts read with
the file come from its cached metadata).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .extract import legacy, ocr
from .photo_hashes import IMAGE_KEY, wants
from .store import photo_hashes

LEGACY_KEY = f"legacy{legacy.VERSION}"
#: legacy conversion results copied into a file's metadata
_LEGACY_FIELDS = ("footers", "char_count", "title", "created", "pages")


def enrich(root: Path, store, rows: list[tuple]) -> list[tuple]:
    """The scan's new cache rows ``(path, size, mtime_ns, hash, meta, text)`` with what is
    computed once per content hash added to ``meta`` (and ``text`` for a legacy document)."""
    olds = [row for row in rows if _ext(row[0]) in legacy.EXTS and not row[4].get("error")
            and legacy.looks_legacy(root / row[0])]
    texts: dict[str, str] = {}
    if olds:
        texts = _legacy(root, store, olds)
    for row in rows:
        _emptiness(root, row[0], row[4])
    return [row[:5] + (texts[row[0]],) if row[0] in texts else row for row in rows]


def _emptiness(root: Path, rel: str, meta: dict) -> None:
    """``meta["empty"]`` for a document that opens and holds nothing (FILE_EMPTY): no text
    and, for a .docx, no pictures either (a document of pasted photos is not empty); a PDF
    without pages."""
    if meta.get("error") or meta.get("char_count") != 0:
        if meta.get("pages") == 0 and _ext(rel) == ".pdf" and not meta.get("error"):
            meta["empty"] = True
        return
    ext = _ext(rel)
    if ext in (".docx", ".docm"):
        meta["empty"] = not legacy.docx_has_pictures(root / rel)
    elif ext in (".txt", ".md", ".csv") or (ext in legacy.EXTS and meta.get("converted")):
        meta["empty"] = True


def _ext(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[name.rfind("."):].lower() if "." in name else ""


def _legacy(root: Path, store, rows: list[tuple]) -> dict[str, str]:
    known = store.content(LEGACY_KEY, [row[3] for row in rows])
    program = None
    todo = [row for row in rows if row[3] not in known]
    if todo:
        program = legacy.soffice()
    if program is not None:
        converted = legacy.convert(program, [root / row[0] for row in todo])
        fresh = {}
        for row in todo:
            fresh[row[3]] = converted.get(root / row[0], {"error": "LibreOffice 未能转换此文件"})
        store.put_content([(h, LEGACY_KEY, value) for h, value in fresh.items()])
        known.update(fresh)
    texts = {}
    for row in rows:
        got = known.get(row[3])
        if got is None:
            continue  # no LibreOffice: FILE_LEGACY_FORMAT with the fix
        meta = row[4]
        if got.get("error"):
            meta["legacy_error"] = got["error"]
            continue
        meta.update({k: got.get(k) for k in _LEGACY_FIELDS}, converted=True,
                    has_text_layer=bool(got.get("text")))
        texts[row[0]] = got.get("text", "")
    return texts


class _Pages:
    """Reads the recognised text of a scan from the store (a read-only connection of its own,
    opened on first use: records outlive the scan's Store)."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self._db: sqlite3.Connection | None = None

    def __call__(self, content_hash: str) -> str:
        try:
            if self._db is None:
                self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True,
                                           timeout=30, check_same_thread=False)
            rows = self._db.execute(
                "SELECT value FROM content WHERE hash=? AND key >= ? AND key < ? ORDER BY key",
                (content_hash, ocr.PAGE_KEY, ocr.PAGE_KEY + "\uffff")).fetchall()
        except sqlite3.Error:
            return ""  # the cache went away: the next scan rebuilds it
        return ocr.page_text(rows)

    def __del__(self) -> None:
        if self._db is not None:
            self._db.close()


class Extras:
    """What scan's records show of the content-hash work: OCR states and texts, the photo
    facts and media facts kept in a file's metadata."""

    def __init__(self, store, config):
        self.settings = config.ocr
        self.installed = ocr.available()
        self.summaries = store.content(ocr.SUMMARY_KEY)
        self.pages = _Pages(store.path)

    def ocr_info(self, ext: str, kind: str, theme: str, meta: dict,
                 content_hash: str) -> ocr.OcrInfo | None:
        if not ocr.wants_ocr(ext, kind, theme, meta):
            return None
        return self._info(content_hash)

    def _info(self, content_hash: str) -> ocr.OcrInfo:
        return ocr.info_from(self.summaries.get(content_hash), self.settings.enabled,
                             self.installed)

    def current(self, content_hash: str) -> tuple[ocr.OcrInfo, object]:
        """(OcrInfo, loader) of a scan as its recognition stands now (a record kept with another
        state is built again)."""
        info = self._info(content_hash)
        return info, self.loader(info, content_hash)

    def loader(self, info: ocr.OcrInfo | None, content_hash: str):
        if info is None or not info.has_text and not info.pages_read:
            return None
        return lambda read=self.pages, h=content_hash: read(h)

    @staticmethod
    def fields(rel: str, meta: dict) -> dict:
        """Evidence fields kept in the metadata: duration, pixels, phash (None for a photo
        whose hashes are still to compute: :mod:`archive_tool.photo_hashes`), empty."""
        pixels = meta.get("pixels")
        hashes: str | None = photo_hashes(meta)
        if "dhash" not in meta and wants(rel) and not meta.get("error"):
            hashes = None
        return {"duration": meta.get("duration"), "empty": bool(meta.get("empty")),
                "pixels": tuple(pixels) if pixels else None, "phash": hashes}
