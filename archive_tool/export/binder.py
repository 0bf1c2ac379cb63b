"""Binders: a PDF per leaf indicator, one per level-I indicator joining its leaves, and a sheet
of index labels.

A leaf's binder is its cover (unit, indicator, years, counts), the 卷内目录 (序号、文号、责任者、
题名、日期、页号、备注), then each file in catalogue order: PDFs as they are, office files as
LibreOffice converts them (else as text), photos two to an A4 page with their caption under
each. The files' pages are numbered from 1 at the bottom right (the cover and the 卷内目录 are
not numbered); the 卷内目录 gives each file's pages, and the outline (bookmarks) has the cover,
the 卷内目录 and one entry per file. A file that cannot be converted is listed with 备注
"无法转换（原因）" and has no pages. Files filed in a parent's folder or outside every indicator
folder belong to no leaf: they are in the catalogue, not in a binder (``unbound``).
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..errors import FileOperationError, os_reason
from ..naming import safe_component
from .catalog import Catalogue, Entry, Volume, years_label
from .catalog_xlsx import PageMap, page_text
from .convert import Converter, Piece
from .labels import Label, labels_pdf
from .pages import contents_pdf, cover_pdf, photo_pages_pdf, stamps_pdf

#: called as progress(done, total, what)
Progress = Callable[[int, int, str], None]
LABELS_FILE = "索引标签.pdf"


@dataclass
class BinderResult:
    """What an export of binders wrote, and what the 卷内目录 says of each file."""

    written: list[Path] = field(default_factory=list)
    #: (year, path) -> (first, last) page of the file in its leaf's binder
    pages: PageMap = field(default_factory=dict)
    #: (year, path) -> 备注 of the binder (无法转换…, 音视频文件…), empty for a file bound
    remarks: dict[tuple[str, str], str] = field(default_factory=dict)
    failures: list[tuple[Entry, str]] = field(default_factory=list)
    unbound: list[Entry] = field(default_factory=list)
    page_count: int = 0
    leaves: int = 0
    #: Word, Excel, WPS … files among the bound (LibreOffice converts them when installed)
    office: int = 0


@dataclass
class _Layout:
    """A leaf's file pages in order: ("pdf", piece) or ("photos", [pieces])."""

    blocks: list[tuple[str, object]] = field(default_factory=list)
    pages: PageMap = field(default_factory=dict)
    count: int = 0


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def layout(pieces: list[Piece]) -> _Layout:
    """Page numbers of each piece: PDF pages run on, photos fill pages two at a time (a PDF
    between them, or a photo of another year, starts a new photo page); a piece without
    pages takes none."""
    out = _Layout()
    pending: list[Piece] = []

    def flush() -> None:
        if pending:
            out.count += 1
            out.blocks.append(("photos", list(pending)))
            for p in pending:
                out.pages[(p.entry.year, p.entry.path)] = (out.count, out.count)
            pending.clear()

    for piece in pieces:
        key = (piece.entry.year, piece.entry.path)
        if piece.photo is not None:
            if pending and pending[0].entry.year != piece.entry.year:
                flush()
            pending.append(piece)
            if len(pending) == 2:
                flush()
        elif piece.pdf is not None:
            flush()
            n = _pdf_pages(piece.pdf)
            out.pages[key] = (out.count + 1, out.count + n)
            out.blocks.append(("pdf", piece))
            out.count += n
    flush()
    return out


def remark(piece: Piece) -> str:
    return piece.failure or piece.note


def _contents_rows(volume: Volume, pieces: list[Piece], pages: PageMap, several: bool):
    rows: list = []
    year = None
    for piece in pieces:
        e = piece.entry
        if several and e.year != year:
            year = e.year
            rows.append(e.year)
        rows.append((str(e.no), e.doc_number, e.responsible, e.title, e.date_text(),
                     page_text(e, pages), remark(piece)))
    return rows


def _cover(catalogue: Catalogue, volume: Volume, count: int) -> bytes:
    kinds = Counter(e.kind_label for e in volume.entries)
    span = years_label(volume.years) or catalogue.tree_titles.get("", "")
    lines = [f"一级指标：{volume.top[0]} {volume.top[1]}"]
    if span:
        lines.append(f"年度：{span}")
    lines.append(f"材料：{len(volume.entries)} 份（"
                 + "，".join(f"{k} {n}" for k, n in kinds.most_common()) + f"），共 {count} 页")
    if len(volume.years) > 1:
        per_year = Counter(e.year for e in volume.entries)
        lines.append("，".join(f"{year} {per_year[year]} 份" for year in volume.years))
    if volume.owners:
        lines.append(f"责任人：{'、'.join(volume.owners)}")
    return cover_pdf(f"{catalogue.unit}文明单位创建档案", volume.title, lines,
                     f"archive-tool 生成于 {date.today().isoformat()}")


def _stamp(writer, first: int, labels: list[str]) -> None:
    """Page numbers on the pages from ``first`` on, one label each."""
    from pypdf import PdfReader, Transformation

    targets = writer.pages[first:first + len(labels)]
    for page in targets:
        if page.rotation:
            page.transfer_rotation_to_content()
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in targets]
    stamps = PdfReader(io.BytesIO(stamps_pdf(sizes, labels)))
    for page, stamp in zip(targets, stamps.pages):
        box = page.mediabox
        page.merge_transformed_page(stamp, Transformation().translate(float(box.left),
                                                                       float(box.bottom)))


def _file_title(entry: Entry, several: bool) -> str:
    return f"{entry.year} {entry.name}" if several and entry.year else entry.name


def _assemble(front: list[bytes], plan: _Layout, several: bool):
    """A PdfWriter of the front pages and the files' pages, stamped, with the outline."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for title, data in zip(("封面", "卷内目录"), front):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)))
        writer.add_outline_item(title=title, page_number=start)
    first = len(writer.pages)
    photos = [group for kind, group in plan.blocks if kind == "photos"]
    photo_doc = PdfReader(io.BytesIO(photo_pages_pdf([[p.photo for p in g] for g in photos])))
    used = 0
    for kind, block in plan.blocks:
        start = len(writer.pages)
        if kind == "photos":
            writer.add_page(photo_doc.pages[used])
            used += 1
            group = block
        else:
            for page in PdfReader(io.BytesIO(block.pdf)).pages:
                writer.add_page(page)
            group = [block]
        for piece in group:
            writer.add_outline_item(title=_file_title(piece.entry, several), page_number=start)
    _stamp(writer, first, [f"第 {n} 页" for n in range(1, plan.count + 1)])
    label_pages(writer, 0, first, plan.count)
    writer.page_mode = "/UseOutlines"
    return writer


def label_pages(writer, start: int, front: int, count: int, prefix: str = "") -> None:
    """PDF page labels saying what the stamps and the 卷内目录 say: 封面, 目录1…, then 1, 2, …
    for the files' pages (``prefix``, the leaf's id, in a level-I PDF), so that the page box
    of a PDF reader finds 页号 14 on the page stamped 第 14 页."""
    writer.set_page_label(start, start, prefix=f"{prefix}封面")
    if front > 1:
        writer.set_page_label(start + 1, start + front - 1, style="/D", prefix=f"{prefix}目录",
                              start=1)
    if count:
        writer.set_page_label(start + front, start + front + count - 1, style="/D",
                              prefix=prefix or None, start=1)


def _write(writer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as fh:
            writer.write(fh)
        tmp.replace(path)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {path}：{os_reason(exc)}",
                                 hint="检查输出文件夹是否可写、文件是否正在被打开。") from None


def volume_path(dest: Path, volume: Volume) -> Path:
    top = safe_component(f"{volume.top[0]} {volume.top[1]}".strip())
    return dest / top / f"{safe_component(volume.title)}.pdf"


def top_path(dest: Path, top: tuple[str, str]) -> Path:
    return dest / f"{safe_component(f'{top[0]} {top[1]}'.strip())}.pdf"


def build_volume(catalogue: Catalogue, volume: Volume, converter: Converter, dest: Path,
                 result: BinderResult) -> tuple[Path, int]:
    """Write one leaf's binder; record its pages, remarks and failures in ``result``. Its path
    and how many pages come before the files' (the cover and the 卷内目录)."""
    several = len([y for y in catalogue.years if y]) > 1
    pieces = [converter.piece(e) for e in volume.entries]
    plan = layout(pieces)
    rows = _contents_rows(volume, pieces, plan.pages, several)
    heading = " ".join(p for p in (volume.title, years_label(volume.years)) if p)
    writer = _assemble([_cover(catalogue, volume, plan.count), contents_pdf(heading, rows)],
                       plan, several)
    path = volume_path(dest, volume)
    front = len(writer.pages) - plan.count
    _write(writer, path)
    result.pages.update(plan.pages)
    for piece in pieces:
        result.remarks[(piece.entry.year, piece.entry.path)] = remark(piece)
        if piece.failure:
            result.failures.append((piece.entry, piece.failure))
    result.page_count += plan.count
    result.leaves += 1
    result.written.append(path)
    return path, front


def join_top(top: tuple[str, str], parts: list[tuple[Volume, Path, int]], dest: Path) -> Path:
    """One PDF of a level-I indicator: its leaves' binders in order, each under an outline
    entry holding the leaf's own outline, its pages labelled with its id (``II-8 14``)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for volume, path, front in parts:
        start = len(writer.pages)
        writer.append(str(path), outline_item=volume.title, import_outline=True)
        label_pages(writer, start, front, len(writer.pages) - start - front,
                    f"{volume.indicator} ")
    writer.page_mode = "/UseOutlines"
    out = top_path(dest, top)
    _write(writer, out)
    return out


def build_binders(catalogue: Catalogue, dest: Path, *, soffice: str | None,
                  join: bool = True, progress: Progress | None = None,
                  office_progress: Progress | None = None) -> BinderResult:
    """Every leaf's binder of ``catalogue`` under ``dest``, the level-I PDFs (``join``) and the
    index labels."""
    result = BinderResult()
    leaves = [v for v in catalogue.volumes if v.is_leaf]
    result.unbound = [e for v in catalogue.volumes if not v.is_leaf for e in v.entries]
    total = sum(len(v.entries) for v in leaves)
    done = 0
    with Converter(soffice) as converter:
        result.office = converter.prepare([e for v in leaves for e in v.entries],
                                          office_progress)
        for top, volumes in catalogue.tops():
            parts = []
            for volume in (v for v in volumes if v.is_leaf):
                parts.append((volume, *build_volume(catalogue, volume, converter, dest,
                                                    result)))
                done += len(volume.entries)
                if progress:
                    progress(done, total, volume.title)
            if join and parts:
                result.written.append(join_top(top, parts, dest))
    result.written.append(write_labels(catalogue, dest))
    return result


def write_labels(catalogue: Catalogue, dest: Path) -> Path:
    """索引标签: a label per level-I indicator and per leaf with files, each with the years
    its binder holds."""
    labels = []
    for top, volumes in catalogue.tops():
        leaves = [v for v in volumes if v.is_leaf]
        if top[0] and leaves:
            span = years_label(y for y in catalogue.years if any(y in v.years for v in leaves))
            labels.append(Label(top[0], top[1], span, catalogue.unit))
        labels += [Label(v.indicator, v.name, years_label(v.years), catalogue.unit)
                   for v in leaves]
    path = dest / LABELS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(labels_pdf(labels))
    except OSError as exc:
        raise FileOperationError(f"无法写入 {path}：{os_reason(exc)}",
                                 hint="检查输出文件夹是否可写。") from None
    return path
