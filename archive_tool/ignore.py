"""Files and folders the tool always ignores (DESIGN.md): one place, used by scan, scaffold, watch."""
from __future__ import annotations

import fnmatch
import re

ARCHIVE_DIR = ".archive"
#: glob patterns matched against a single file or folder name
IGNORED_PATTERNS = ("~$*", ".~lock*#", "*.tmp", "Thumbs.db", "desktop.ini", ".DS_Store", "._*",
                    ARCHIVE_DIR)
_IGNORED_RE = re.compile("|".join(fnmatch.translate(p) for p in IGNORED_PATTERNS),
                         re.IGNORECASE)


def is_ignored(name: str) -> bool:
    """True for Office/WPS lock files, temp files, OS clutter and the ``.archive`` folder."""
    return bool(_IGNORED_RE.match(name))


def is_ignored_path(rel_path: str) -> bool:
    """True when any component of a posix relative path is ignored."""
    return any(is_ignored(part) for part in rel_path.split("/") if part)
