"""Text, footers, character counts and dates from .docx/.docm, .pdf and .txt/.md/.csv files.

>>> got = extract(Path("I-1 思想政治建设/01：说明报告.docx"))      # doctest: +SKIP
>>> got.char_count, got.footers, got.created                       # doctest: +SKIP

:func:`extract` raises :class:`UnreadableFile` (reason ``corrupt``, ``encrypted``,
``truncated``, ``empty``, ``too_large`` or ``legacy``) for a file that cannot be read, with a
Chinese message naming the file and the fix, and ``ValueError`` for an extension it does not
read (legacy formats such as .doc/.wps are the caller's business: rule FILE_LEGACY_FORMAT).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import FileOperationError, os_reason
from .count import count_chars, squeeze_cjk_spaces
from .docx import read_docx
from ..errors import REASONS, UnreadableFile
from .model import Extracted
from .pdf import read_pdf
from .text import read_text

__all__ = ["SUPPORTED", "REASONS", "Extracted", "UnreadableFile", "extract", "count_chars",
           "squeeze_cjk_spaces"]

_READERS = {
    ".docx": read_docx, ".docm": read_docx,
    ".pdf": read_pdf,
    ".txt": read_text, ".md": read_text, ".csv": read_text,
}
#: the extensions :func:`extract` reads (lower case, with the dot)
SUPPORTED = frozenset(_READERS)


def extract(path: str | os.PathLike[str]) -> Extracted:
    """Read one document by its extension (case-insensitive).

    Raises :class:`UnreadableFile` for a corrupt, encrypted, truncated, empty, oversized or
    mislabelled file, :class:`~archive_tool.errors.FileOperationError` when the file cannot be
    opened at all (gone, no permission), ``ValueError`` for an extension not in
    :data:`SUPPORTED`.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"unsupported extension {path.suffix!r}: "
                         f"expected one of {sorted(SUPPORTED)}")
    try:
        return reader(path)
    except OSError as exc:
        raise FileOperationError(f"无法读取「{path.name}」：{os_reason(exc)}",
                                 "确认文件存在且有读取权限后重试") from exc
