"""A file's record as the cache keeps it: what the scan parsed (name, caption, dates, kind) and
read (footers, counts, hashes), so that a file unchanged since the last scan is not parsed again.

The record is everything :func:`archive_tool.scan.build_evidence` makes of a file's content
metadata and its path, as a list in :mod:`marshal`'s format (it decodes in less than half the
time of JSON: a warm scan decodes one record a file) beside the metadata in the cache row. It
is valid under one :func:`context_key`: the cache version and what the parsing depends on
beyond the file (the tree copy, the organizer names, the window, the time zone). A record of
another key is built again from the row's metadata and stored (a changed config reparses every
file once, reads none). What a record leaves out is computed on each scan, because it is cheap
or changes without the file: the indicator a folder binds to
(:class:`archive_tool.places.Binder`). A scan's record also keeps the state of its text
recognition it was built with (what OCR read lives in the content table, keyed by the content
hash): when that state is no longer the current one (the scan was read since, or OCR was
enabled), the record is built again.

The cache is disposable: a record that does not decode into a record of this version is built
again, never trusted.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from datetime import date

from . import store
from .evidence import Caption, Evidence

#: the layout of the list below; part of the key, so a new layout rebuilds every record
LAYOUT = "4"


def context_key(config) -> str:
    """What the records of this archive were parsed under, as a short digest."""
    try:
        tree = (config.archive_dir / config.tree_file).read_bytes()
    except OSError:
        tree = repr([ind.id for ind in config.tree.walk()]).encode("utf-8")
    parts = (store.CACHE_VERSION, LAYOUT, hashlib.sha1(tree).hexdigest(),
             "\x1f".join(config.all_organizers), config.window_start.isoformat(),
             config.window_end.isoformat(), config.timezone)
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _ocr_fields(info) -> list | None:
    if info is None:
        return None
    return [info.status, info.chars, info.pages_read, info.pages_total, _iso(info.date),
            info.reason, list(info.limits)]


def encode(ev: Evidence, has_text: bool) -> bytes:
    """The record of ``ev``."""
    cap = ev.caption
    caption = None if cap is None else [cap.text, cap.source, _iso(cap.time), cap.time_text,
                                        cap.organizer, cap.theme, cap.cut_from]
    fields = [ev.ext, ev.kind, ev.seq, ev.theme, ev.name_problem, ev.ascii_colon,
              _iso(ev.date), ev.date_source, caption, _iso(ev.exif_date), list(ev.footers),
              ev.title, ev.char_count, ev.has_text_layer, ev.pages, ev.error, ev.error_message,
              ev.error_hint, list(ev.limits), ev.duration,
              list(ev.pixels) if ev.pixels else None, ev.phash, ev.empty, has_text,
              _ocr_fields(ev.ocr), ev.footer_named]
    return marshal.dumps(fields)


def decode(record: bytes | str, rel: str, st: os.stat_result, content_hash: str,
           binding: tuple, texts, recognition=None) -> Evidence | None:
    """The Evidence of a stored record, or None when there is none, it cannot be decoded, or
    it was built with another state of its text recognition than the current one.

    ``binding`` is (indicator id, in leaf, unknown folders, activity folder or '');
    ``texts`` reads the cached text of a document on demand; ``recognition`` gives a scan's
    (OcrInfo, loader of its recognised text) now (:class:`archive_tool.derive.Extras`)."""
    if not record:
        return None
    try:
        (ext, kind, seq, theme, problem, colon, day, source, cap, exif, footers, title, chars,
         layer, pages, error, message, hint, limits, duration, pixels, phash, empty,
         has_text, ocr_was, footer_named) = marshal.loads(record)
        caption = None if cap is None else Caption(cap[0], cap[1], _day(cap[2]), cap[3],
                                                   cap[4], cap[5], cap[6])
        indicator, leaf, unknown, activity = binding
        ev = Evidence(rel, st.st_size, st.st_mtime_ns, ext, kind, indicator, leaf, unknown,
                      activity, seq, theme, problem, colon, _day(day), source, caption,
                      _day(exif), tuple(footers), title, chars, layer, pages, error, message,
                      hint, content_hash, tuple(limits), duration,
                      tuple(pixels) if pixels else None, phash, empty,
                      footer_named=footer_named)
    except (ValueError, TypeError, IndexError, EOFError):
        return None  # another layout, or damaged: built again from the metadata
    if ocr_was is not None:
        if recognition is None:
            return None
        ev.ocr, ev._ocr_loader = recognition(content_hash)
        if _ocr_fields(ev.ocr) != ocr_was:
            return None  # read by OCR since, or OCR enabled: built again
    if has_text and texts is not None:
        ev._text_loader = lambda r=texts, p=rel: r(p)
    return ev
