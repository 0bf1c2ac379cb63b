"""Evidence records and findings: what scan produces and lint, index, check and watch consume.

An :class:`Evidence` is plain data about one file, built by :mod:`archive_tool.scan` (from the
metadata cache when the file is unchanged). Nothing downstream opens the file again; the text is
kept in the cache and loaded only when asked for (:meth:`Evidence.text`).

Findings travel one way: lint returns them (:class:`archive_tool.lint.LintReport`), and whoever
needs them (check, the watcher, a front end) is handed that report. An Evidence record never
carries findings, so nothing can read a stale or partial copy of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from indicator_tree.kinds import FILE_KINDS, FILE_LABELS  # noqa: F401 - the face hands them on
from indicator_tree.rules.nouns import named_kind

#: documents whose footer must show their name (FOOTER_MISSING: Word, and WPS/Word 97 read
#: through LibreOffice)
FOOTED_EXTS = frozenset({".docx", ".docm", ".doc", ".wps"})
IMAGE_EXTS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp",
                        ".heic", ".heif"})
DOC_EXTS = frozenset({".docx", ".docm", ".pdf", ".txt", ".md", ".xlsx", ".pptx", ".csv"})
LEGACY_EXTS = frozenset({".doc", ".wps", ".et", ".xls", ".ppt", ".dps"})
AV_EXTS = frozenset({".mp3", ".wav", ".m4a", ".amr", ".mp4", ".mov", ".avi", ".wmv", ".mkv",
                     ".flv", ".3gp"})
#: files read for text (extract) and images read for captions
TEXT_EXTS = frozenset({".docx", ".docm", ".pdf", ".txt", ".md", ".csv"})

#: Evidence.error of a file whose path is not valid UTF-8 (rule NAME_UNDECODABLE)
UNDECODABLE_NAME = "undecodable_name"


def kind_of(ext: str, theme: str) -> str:
    """Kind from the extension and the material nouns of the theme: the rule parser's
    vocabulary (:func:`indicator_tree.rules.nouns.named_kind`; the README's "Kinds of evidence").

    Audio and video are ``av`` by their extension. An image is a clipping when its theme names
    one (样报, 截图, 报道, 电视 …), a record when it names a paper form (签到表, 台账, 纪要), else
    a photo. A document is what its last material noun names (工作总结 a report, 台账 a record,
    关于报送工作总结的通知 a document, 电视问政节目录制会议纪要 minutes), else a document.
    Words such as 电视电话会议 (a teleconference) name no material.
    """
    ext = ext.lower()
    if ext in AV_EXTS:
        return "av"
    if ext not in IMAGE_EXTS and ext not in DOC_EXTS and ext not in LEGACY_EXTS:
        return "other"
    image = ext in IMAGE_EXTS
    return named_kind(theme, image) or ("photo" if image else "document")


def report_noun(theme: str) -> str:
    """What a report calls itself in messages: 说明报告 when its name says so, else 报告."""
    return "说明报告" if "说明报告" in theme else "报告"


@dataclass(frozen=True, slots=True)
class Caption:
    """A photo caption: where it was found and its three parts."""

    text: str
    source: str
    time: date | None = None
    time_text: str = ""
    organizer: str = ""
    theme: str = ""
    #: the length of the caption as found when it was longer than what is read of it
    #: (:data:`archive_tool.captions.parse.MAX_CAPTION`); None when it was read whole
    cut_from: int | None = None

    def lacks(self, part: str) -> bool:
        """Whether ``part`` (time, organizer, theme) is missing: no date, or no text."""
        return not getattr(self, part)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(part for part in ("time", "organizer", "theme") if self.lacks(part))

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Finding:
    """One problem with one file (or folder): rule id, path, message and a concrete fix."""

    rule: str
    path: str
    severity: str  # "error" | "warning"
    message: str
    fix: str
    #: for fixable findings: the name to rename to (same folder)
    rename_to: str | None = None

    def to_dict(self) -> dict:
        return {"rule": self.rule, "path": self.path, "severity": self.severity,
                "message": self.message, "fix": self.fix}


@dataclass(slots=True)
class Evidence:
    """One file of the archive as scan sees it. Paths are posix, relative to the archive root."""

    path: str
    size: int
    mtime_ns: int
    ext: str
    kind: str
    #: the indicator the nearest id-prefixed folder binds to (None outside any indicator folder)
    indicator_id: str | None = None
    #: True when that indicator is a leaf of the tree (evidence belongs in leaf folders)
    in_leaf: bool = False
    #: ids of the folders on the way whose id matches no indicator
    unknown_dirs: tuple[str, ...] = ()
    #: the activity folder inside the leaf that holds the file ('' when none): one activity
    activity: str = ""
    seq: int | None = None
    theme: str = ""
    #: ParsedName.problem, or None for a good name
    name_problem: str | None = None
    ascii_colon: bool = False
    date: date | None = None
    #: which source gave ``date``: caption, name, exif, folder, docx, pdf, camera
    #: (:mod:`archive_tool.dating`)
    date_source: str | None = None
    caption: Caption | None = None
    exif_date: date | None = None
    footers: tuple[str, ...] = ()
    title: str = ""
    char_count: int | None = None
    has_text_layer: bool | None = None
    #: pages of a PDF, or of a docx as its properties say (None when not known)
    pages: int | None = None
    #: None, or the reason the file could not be read (corrupt, encrypted, empty, too_large …)
    error: str | None = None
    #: what is wrong with the file, without its name ("PDF 不完整（可能复制或下载中断）")
    error_message: str = ""
    #: what to do about it, from the reader that failed ("请从原始来源重新复制或重新导出 PDF")
    error_hint: str = ""
    content_hash: str = ""
    #: what was left unread because the file exceeds a limit of the reader, in words
    #: ("PDF 有 3000 页，只读取了前 2000 页的文字"); rule FILE_OVER_LIMIT
    limits: tuple[str, ...] = ()
    #: audio and video: the duration in seconds (None when not known)
    duration: float | None = None
    #: images: (width, height) in pixels, None when not known (PHOTO_TOO_SMALL)
    pixels: tuple[int, int] | None = None
    #: images: the perceptual hashes "phash:dhash" in hex, '' when none (PHOTO_REUSED); None
    #: while still to compute (a scan leaves them to lint: :mod:`archive_tool.photo_hashes`)
    phash: str | None = ""
    #: a document that opens but holds nothing: no text, no pictures (FILE_EMPTY)
    empty: bool = False
    #: scans: their text recognition (:class:`archive_tool.extract.ocr.OcrInfo`), else None
    ocr: object | None = None
    #: Word and WPS documents: whether a footer shows the document's name (FOOTER_MISSING),
    #: judged when the record was built; None for other files
    footer_named: bool | None = None
    _text_loader: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    _ocr_loader: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        path = self.path
        return path[path.rfind("/") + 1:]

    @property
    def folder(self) -> str:
        path = self.path
        cut = path.rfind("/")
        return path[:cut] if cut >= 0 else ""

    def text(self) -> str:
        """The extracted text (documents) or caption (photos), loaded on first use."""
        if self._text_loader is None:
            return self.caption.text if self.caption else ""
        return self._text_loader() or self.recognised_text()

    @property
    def ocr_status(self) -> str | None:
        """How far the text recognition of a scan got (:mod:`archive_tool.extract.ocr`: pending,
        done, failed, unavailable); None for a file that is no scan."""
        return self.ocr.status if self.ocr is not None else None

    def recognised_text(self) -> str:
        """The text OCR read on a scan ('' when none or not yet), loaded on use."""
        return self._ocr_loader() if self._ocr_loader is not None else ""
