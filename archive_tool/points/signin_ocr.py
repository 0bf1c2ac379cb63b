"""Scanned and photographed sign-in sheets, read by OCR into the blocks a Word sheet gives.

Registered in :data:`~.signin.SCAN_READERS` for images and PDFs. It reads a sheet only when the
OCR extra is installed and ``ocr.enabled`` is on in the archive's config; otherwise the sheet is
``SHEET_NEEDS_OCR`` with what to do. The pages come from the store's content cache (a sheet
``index`` or ``watch`` already read is not read again); a page stored before boxes were kept is
read once more, with its boxes, by the same worker process as ``index`` uses
(:func:`archive_tool.ocr_run.read_file`).

From each page's boxes (:mod:`archive_tool.extract.ocr_layout`: straightened, grouped in rows):

- the **header row** is the first row with a 姓名 or 签名 heading (two headings read as one
  box, ``序号姓名``, are cut apart); its headings give the columns;
- the rows **above** it are lines: ``时间：2018年5月19日``, ``活动主题：…`` (a label read as a box
  of its own, or without its colon, is joined to the value beside it);
- every row **below** it is a table row, each box in the column it sits in (a box running across
  two columns is cut between its characters); a labelled box there (``整体参加：大气科``) is a
  line. A page without a header row continues the previous page's table.

Each cell keeps the lowest score of its text; :mod:`.derive` reports a signature read with a
low score (``SHEET_OCR_UNSURE``) instead of counting it.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

from ..config import load_settings
from ..evidence import Evidence
from ..extract import ocr
from ..extract.ocr_layout import Box, column_edges, group_rows, page_boxes, split_by_edges, \
    split_words, trim
from ..layout import ARCHIVE_DIR
from .signin import LABELS, SCAN_EXTS, SCAN_READERS, SheetError, column_role, label_of
from .tables import Table, header_key

#: grid lines and marks OCR reads at the edge of a cell
_EDGE_JUNK = "|丨｜[]【】_"
#: headings a sign-in table has; two of them read as one box are cut apart
_HEADINGS = ("序号", "编号", "姓名", "单位", "部门", "科室", "处室", "职务", "职称", "签名", "签字",
             "本人签名", "本人签字", "签到时间", "签到", "备注", "联系电话", "电话", "手机", "性别")
_HEADING_RE = re.compile("(?:" + "|".join(sorted(_HEADINGS, key=len, reverse=True))
                         + r")(?:[(][^()]{0,8}[)])?")
_FIX = "存一份填好的 Word（.docx）或 Excel（.xlsx）签到表，或用 archive-tool points add 手工记录。"


class OcrSheetReader:
    """Reads scanned sheets; keeps one OCR worker a thread for the run (:meth:`close` ends the
    calling thread's), so two points runs at once (the web, a CLI) never share a worker."""

    def __init__(self):
        self._local = threading.local()

    @property
    def worker(self):
        from ..ocr_run import Worker

        if getattr(self._local, "worker", None) is None:
            self._local.worker = Worker()
        return self._local.worker

    def __call__(self, root: Path, ev: Evidence) -> list[str | Table]:
        settings = _settings(root)
        pages, total = self._pages(root, ev, settings)
        blocks = sheet_blocks(pages)
        tables = [b for b in blocks if isinstance(b, Table)]
        if total and total > len(pages) and tables:
            tables[-1].notes.append(f"共 {total} 页，文字识别只读取了前 {len(pages)} 页"
                                    "（配置 ocr.max_pages），其余页上的签名未计分")
        return blocks

    def _pages(self, root: Path, ev: Evidence, settings) -> tuple[list[dict], int | None]:
        from ..ocr_run import OcrStats, read_file
        from ..store import Store

        if not ev.content_hash:
            raise _failed("文件内容无法读取")
        with Store(root / ARCHIVE_DIR) as store:
            pages, total = stored_pages(store, ev.content_hash, settings.max_pages)
            if pages is None:
                summary = store.content(ocr.SUMMARY_KEY, [ev.content_hash]).get(ev.content_hash)
                if summary is None or summary.get("status") != ocr.FAILED:  # failed: not again
                    summary = read_file(self.worker, store, str(root / ev.path), ev.ext,
                                        ev.content_hash, settings, OcrStats(), boxes=True)
                if summary["status"] == ocr.FAILED:
                    raise _failed(summary.get("reason", ""))
                pages, total = stored_pages(store, ev.content_hash, settings.max_pages)
        return pages or [], total

    def close(self) -> None:
        worker = getattr(self._local, "worker", None)
        if worker is not None:
            worker.close()
            self._local.worker = None


def _settings(root: Path):
    if not ocr.available():
        raise SheetError("SHEET_NEEDS_OCR", "扫描或拍照的签到表需要文字识别才能读取，未安装文字识别组件，未计分",
                         f"安装文字识别组件（{ocr.INSTALL_HINT}）后重新运行；或{_FIX}")
    settings = load_settings(root).ocr
    if not settings.enabled:
        raise SheetError("SHEET_NEEDS_OCR", "扫描或拍照的签到表需要文字识别才能读取，档案配置关闭了文字识别，未计分",
                         "在 .archive/config.yaml 中写 ocr: {enabled: true}（或删去 enabled: false）"
                         f"后重新运行；或{_FIX}")
    return settings


def _failed(reason: str) -> SheetError:
    return SheetError("SHEET_UNREADABLE", f"文字识别失败（{reason or '原因不明'}），签到名单未读取，未计分",
                      f"换一份更清晰的扫描件或照片（正面拍摄、光线均匀）；或{_FIX}")


def stored_pages(store, content_hash: str, max_pages: int) -> tuple[list[dict] | None, int | None]:
    """(the pages to read, with their boxes, or None when one is missing or lacks its boxes;
    the file's number of pages when known) from the content cache."""
    done = store.content_of(content_hash, ocr.PAGE_KEY)
    total = next((page["pages"] for page in done.values()
                  if isinstance(page, dict) and page.get("pages")), None)
    if total is None:
        return None, None
    keys = [f"{ocr.PAGE_KEY}{index:04d}" for index in range(min(total, max_pages))]
    if all(ocr.has_boxes(done.get(key)) for key in keys):
        return [done[key] for key in keys], total
    return None, total


# ---- the page's boxes -> lines and a table ------------------------------------------------------
def _headings(row: list[Box]) -> list[Box]:
    """The header row's boxes, a box holding two headings (``序号姓名``) cut in two."""
    out = []
    for box in row:
        compact = unicodedata.normalize("NFKC", "".join(box.text.split()))
        words = _HEADING_RE.findall(compact)
        if len(words) > 1 and "".join(words) == compact:
            out += split_words(Box(compact, box.x0, box.y0, box.x1, box.y1, box.score), words)
        else:
            out.append(box)
    return out


def _is_header(row: list[Box]) -> bool:
    return any(column_role(header_key(b.text)) in ("name", "sign") for b in _headings(row))


def _bare_label(text: str) -> bool:
    """``时间：`` or ``时间`` alone: a label whose value OCR read as the next box."""
    found = label_of(text)
    if found is not None:
        return not found[1]
    return any(header_key(text) in words for words in LABELS.values())


def _with_colon(text: str) -> str:
    """``时间2018年5月19日`` (the colon not read) -> ``时间：2018年5月19日``; only for a date
    label before a digit and for labels of four characters or more."""
    if label_of(text):
        return text
    for kind, words in LABELS.items():
        for word in sorted(words, key=len, reverse=True):
            rest = text[len(word):]
            if not text.startswith(word) or not rest.strip():
                continue
            if (kind == "date" and any(ch.isdigit() for ch in rest)) or len(word) >= 4:
                return f"{word}：{rest.strip()}"
    return text


def _lines(rows: list[list[Box]]) -> list[str]:
    """The lines of rows outside the table, a label joined to the value read beside it."""
    out: list[str] = []
    for row in rows:
        parts: list[str] = []
        for box in row:
            if parts and _bare_label(parts[-1]):
                colon = "" if parts[-1].endswith((":", "：")) else "："
                parts[-1] += colon + box.text
            else:
                parts.append(box.text)
        out += [_with_colon(part) for part in parts]
    return out


def _table(label: str, headings: list[Box], body: list[list[Box]]) -> tuple[Table, list[str]]:
    """The table under ``headings`` and the labelled lines found among its rows."""
    lines = [box.text for row in body for box in row if label_of(box.text)]
    body = [[box for box in row if not label_of(box.text)] for row in body]
    edges = column_edges(headings, headings + [box for row in body for box in row])
    table = Table(label, [[h.text for h in headings]])
    for row in body:
        cells: list[list[Box]] = [[] for _ in headings]
        for box in row:
            for col, piece in split_by_edges(box, edges):
                cells[col].append(piece)
        for col, pieces in enumerate(cells):
            if pieces:
                table.scores[(len(table.rows), col)] = min(p.score for p in pieces)
        table.rows.append([" ".join(p.text for p in pieces) for pieces in cells])
    return table, lines


def sheet_blocks(pages: list[dict]) -> list[str | Table]:
    """The lines and tables of a scanned sheet's pages (see the module docstring)."""
    blocks: list[str | Table] = []
    headings: list[Box] | None = None
    for number, page in enumerate(pages, 1):
        rows = group_rows([b for b in (trim(b, _EDGE_JUNK) for b in page_boxes(page)) if b])
        at = next((index for index, row in enumerate(rows) if _is_header(row)), None)
        if at is not None:
            headings = _headings(rows[at])
            blocks += _lines(rows[:at])
            body = rows[at + 1:]
        elif headings is not None:
            body = rows  # the table goes on from the previous page
        else:
            blocks += _lines(rows)
            continue
        table, lines = _table(f"扫描件第 {number} 页", headings, body)
        blocks.append(table)
        blocks += lines
    return blocks


READER = OcrSheetReader()
for _ext in SCAN_EXTS:
    SCAN_READERS.setdefault(_ext, READER)
