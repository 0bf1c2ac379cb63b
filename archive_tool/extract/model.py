"""What extraction returns (:class:`Extracted`); how it fails is
:class:`archive_tool.errors.UnreadableFile`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Extracted:
    """The text and metadata of one document.

    ``footers`` holds the text of every footer part that shows in a docx (default, first-page,
    even-page; each part once), empty for other formats. ``char_count`` follows
    :func:`archive_tool.extract.count_chars`. ``created`` is the creation date, else the
    modification date, timezone-aware when the file says its offset (docx core properties are
    UTC); None when neither is a real date (template defaults and epochs:
    :mod:`archive_tool.extract.dates`).
    """

    text: str
    footers: tuple[str, ...] = ()
    char_count: int = 0
    has_text_layer: bool = False
    title: str = ""
    created: datetime | None = None
    pages: int | None = None
    #: what was left unread because the file exceeds a limit of the reader, in words
    limits: tuple[str, ...] = ()
