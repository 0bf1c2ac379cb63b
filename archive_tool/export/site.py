"""The static site: a folder that opens in a browser from a USB stick, no server, no network.

::

    index.html               the tree: each indicator's status (and coverage) per year
    catalog.html             the catalogue (卷内目录), every file linked
    i/<id>.html              an indicator: requirements and statuses, thumbnails, captions, files
    files/<year>/<path>      the evidence files, copied (names made safe for FAT/exFAT sticks:
                             ``01:节水.docx`` becomes ``01：节水.docx``)
    thumbs/<n>.jpg           photo thumbnails
    assets/style.css, search.js, search-index.js, search-index.json

Links are relative and percent-encoded; the search is ``assets/search.js`` (ours, vendored: no
third-party code) over the prebuilt index of :mod:`.site_index`. Copying and thumbnails are the
only file reads; pages come from the catalogue and the gap reports passed in.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import FileOperationError, os_reason
from ..evidence import IMAGE_EXTS
from ..naming import safe_component
from . import site_html
from .catalog import Catalogue, Entry
from .site_index import TEXT_CHARS, build_index

if TYPE_CHECKING:  # pragma: no cover
    from ..check.model import GapReport, IndicatorGap

Progress = Callable[[int, int, str], None]
THUMB_PIXELS = 320


@dataclass
class SiteResult:
    pages: int = 0
    files: int = 0
    thumbs: int = 0
    #: files that could not be copied, with the reason
    failures: list[tuple[Entry, str]] = field(default_factory=list)


def file_link(entry: Entry) -> str:
    """Where an entry's copy lives, relative to the site root (safe names, posix)."""
    parts = [safe_component(p) for p in entry.path.split("/")]
    return "/".join(["files", *([safe_component(entry.year)] if entry.year else []), *parts])


def _write(path: Path, text: str | bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FileOperationError(f"无法写入 {path}：{os_reason(exc)}",
                                 hint="检查输出文件夹（U 盘）是否可写、空间是否足够。") from None


def _copy(entry: Entry, dest: Path) -> None:
    """Copy unless an identical copy (size and time) is there from an earlier export."""
    target = dest / file_link(entry)
    src = entry.source.stat()
    if target.is_file():
        st = target.stat()
        if st.st_size == src.st_size and int(st.st_mtime) == int(src.st_mtime):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(entry.source, target)


def _thumb(entry: Entry, dest: Path, number: int) -> str | None:
    from PIL import Image, ImageOps

    rel = f"thumbs/{number}.jpg"
    try:
        with Image.open(entry.source) as img:
            img.draft("RGB", (THUMB_PIXELS * 2, THUMB_PIXELS * 2))
            small = ImageOps.exif_transpose(img).convert("RGB")
            small.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            (dest / "thumbs").mkdir(parents=True, exist_ok=True)
            small.save(dest / rel, "JPEG", quality=80)
    except Exception:  # noqa: BLE001 - a damaged photo gets no thumbnail, the page still works
        return None
    return rel


def _doc(entry: Entry, link: str, text: str, names: dict[str, str]) -> dict:
    cap = entry.caption
    extra = [cap.text if cap else "", entry.responsible, text[:TEXT_CHARS]]
    return {"t": entry.name, "h": link, "p": site_html.page_name(entry.indicator)
            if entry.indicator else "catalog.html",
            "i": f"{entry.indicator} {names.get(entry.indicator, '')}".strip(), "y": entry.year,
            "d": entry.date_text(), "k": entry.kind_label,
            "c": " ".join(x for x in extra if x)}


def _gaps(reports: dict[str, "GapReport"]) -> dict[str, dict[str, "IndicatorGap"]]:
    return {year: {g.id: g for g in report.walk()} for year, report in reports.items()}


def _rows(reports: dict[str, "GapReport"]) -> list[tuple[str, str, int]]:
    """Every indicator of every year's tree: the latest year's order first."""
    seen: dict[str, tuple[str, str, int]] = {}
    for report in reversed(list(reports.values())):
        for gap in report.walk():
            seen.setdefault(gap.id, (gap.id, gap.name, gap.level))
    return list(seen.values())


def _counts(catalogue: Catalogue) -> dict[str, int]:
    counts: dict[str, int] = {}
    for volume in catalogue.volumes:
        for ind in (*volume.parents, volume.indicator):
            counts[ind] = counts.get(ind, 0) + len(volume.entries)
    return counts


def _assets(dest: Path, docs: list[dict]) -> None:
    index = json.dumps(build_index(docs), ensure_ascii=False, separators=(",", ":"))
    _write(dest / "assets" / "style.css", site_html.CSS)
    script = resources.files("archive_tool.export").joinpath("assets/search.js").read_text(
        encoding="utf-8")
    _write(dest / "assets" / "search.js", script)
    _write(dest / "assets" / "search-index.json", index)
    # </ cannot end the script early: the JSON escapes no slash, so keep "<" out
    _write(dest / "assets" / "search-index.js",
           "window.ARCHIVE_SEARCH_INDEX = " + index.replace("<", "\\u003c") + ";\n")


def _indicator_pages(catalogue: Catalogue, reports, dest: Path,
                     cards: dict[str, list[tuple[str, list[str]]]]) -> int:
    gaps = _gaps(reports)
    rows = _rows(reports)
    names = {ind_id: name for ind_id, name, _ in rows}
    written = 0
    for ind_id, name, _ in rows:
        latest = next(g[ind_id] for g in reversed(list(gaps.values())) if ind_id in g)
        body = site_html.indicator_body(
            ind_id, name, [(p, names.get(p, "")) for p in latest.parents],
            {year: g.get(ind_id) for year, g in gaps.items()},
            [(c.id, c.name) for c in latest.children], cards.get(ind_id, []))
        _write(dest / site_html.page_name(ind_id),
               site_html.layout(f"{ind_id} {name}", body, "../", catalogue.unit))
        written += 1
    return written


def document_texts(years) -> dict[tuple[str, str], str]:
    """(year, path) -> the start of each document's extracted text (from the scan's cache),
    for the search index; ``years`` are :class:`~.catalog.ArchiveYear` records."""
    out = {}
    for year in years:
        for ev in year.scan.evidence:
            if ev.kind not in ("photo", "clipping", "av", "other") and ev.error is None:
                text = " ".join(ev.text()[:TEXT_CHARS * 2].split())
                out[(year.label, ev.path)] = text[:TEXT_CHARS]
    return out


def build_site(catalogue: Catalogue, reports: dict[str, "GapReport"], dest: Path, *,
               texts: dict[tuple[str, str], str] | None = None,
               progress: Progress | None = None) -> SiteResult:
    """Write the site of ``catalogue`` into ``dest``; ``reports`` maps each year label of the
    catalogue to its gap report; ``texts`` the documents' extracted text, for the search."""
    result = SiteResult()
    names = {ind_id: name for ind_id, name, _ in _rows(reports)}
    links: dict[tuple[str, str], str] = {}
    cards: dict[str, list[tuple[str, list[str]]]] = {}
    docs = []
    entries = list(catalogue.entries())
    for n, entry in enumerate(entries, 1):
        link = file_link(entry)
        try:
            _copy(entry, dest)
        except OSError as exc:
            result.failures.append((entry, f"无法复制：{os_reason(exc)}"))
            continue
        result.files += 1
        links[(entry.year, entry.path)] = link
        thumb = _thumb(entry, dest, n) if entry.ext in IMAGE_EXTS else None
        result.thumbs += thumb is not None
        years = cards.setdefault(entry.indicator, [])
        if not years or years[-1][0] != entry.year:
            years.append((entry.year, []))
        years[-1][1].append(site_html.file_card(entry, link, thumb, "../"))
        docs.append(_doc(entry, link, (texts or {}).get((entry.year, entry.path), ""), names))
        if progress:
            progress(n, len(entries), entry.name)
    _assets(dest, docs)
    shown = _only(catalogue, set(links))
    _write(dest / "index.html", site_html.layout(
        f"{catalogue.unit} 创建档案", site_html.index_body(
            catalogue, _rows(reports), _gaps(reports), _counts(catalogue)), "", catalogue.unit))
    _write(dest / "catalog.html", site_html.layout(
        "卷内目录", site_html.catalog_body(shown, links), "", catalogue.unit))
    result.pages = 2 + _indicator_pages(catalogue, reports, dest, cards)
    return result


def _only(catalogue: Catalogue, keys: set[tuple[str, str]]) -> Catalogue:
    """The catalogue without the files that could not be copied (they have no link)."""
    from dataclasses import replace

    volumes = [replace(v, entries=[e for e in v.entries if (e.year, e.path) in keys])
               for v in catalogue.volumes]
    return replace(catalogue, volumes=[v for v in volumes if v.entries])
