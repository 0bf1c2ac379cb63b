"""How an archive sits on disk, in one place: its own folder, the folders of the indicators
(ids, names, path budgets), the names every walk leaves out, and the one walk.

Folder names. Every indicator gets a folder ``<id> <name>``, nested by level; the id before the
first space binds a folder to its indicator (:func:`folder_id`). Staff open the archive from
Windows on a share such as ``\\\\fileserver\\文明单位创建\\2018年档案\\`` (26 characters). We
assume a share root of up to :data:`SHARE_ROOT_BUDGET` (60) characters including its trailing
separator and evidence file names of up to :data:`EVIDENCE_NAME_BUDGET` (40) characters, and
give the folder levels of the tree what remains of Windows' MAX_PATH (260 including the
terminating NUL): 159 characters for every folder name plus its separator, shared evenly by the
levels of the tree, and never more than :data:`MAX_FOLDER_LEN` (50) per folder, which keeps
names readable in Explorer and each name under the 255-byte limit of a Linux file server (a CJK
character takes 3 bytes in UTF-8). Lengths count UTF-16 code units, as Windows does.

The walk (:func:`walk`, and :func:`listing` for one folder) is the only code that lists the
archive's folders; scan, init (:func:`folder_counts`), the watcher, ``new`` and the caption
sidecar matcher all use it, so they agree on what is part of the archive:

- ignored names (:data:`IGNORED_PATTERNS`: Office and WPS lock files, temporary files, OS
  clutter, ``.archive`` itself) are left out; our own temporary files are noted as leftovers;
- symbolic links are never followed (counted, not listed);
- a folder holding an archive of its own (a ``.archive/`` folder: another year's archive, an
  old archive copied under ``其他材料/``) is not walked: its files are not this archive's
  evidence, and init never adopts its folders. It is noted in :attr:`Walked.nested`;
- a folder that cannot be listed is noted with why; the walk goes on.
"""
from __future__ import annotations

import fnmatch
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indicator_tree import Indicator, Tree

from .errors import os_reason
from .leftovers import is_leftover
from .naming import safe_component, width

ARCHIVE_DIR = ".archive"
#: glob patterns matched against a single file or folder name
IGNORED_PATTERNS = ("~$*", ".~lock*#", "*.tmp", "Thumbs.db", "desktop.ini", ".DS_Store", "._*",
                    ARCHIVE_DIR)
_IGNORED_RE = re.compile("|".join(fnmatch.translate(p) for p in IGNORED_PATTERNS),
                         re.IGNORECASE)

MAX_PATH = 260
SHARE_ROOT_BUDGET = 60
EVIDENCE_NAME_BUDGET = 40
MAX_FOLDER_LEN = 50
#: what the folders of the deepest chain may use, separators included (one per folder)
FOLDER_BUDGET = MAX_PATH - 1 - SHARE_ROOT_BUDGET - EVIDENCE_NAME_BUDGET


# ---- names ------------------------------------------------------------------------------------
def is_ignored(name: str) -> bool:
    """True for Office/WPS lock files, temp files, OS clutter and the ``.archive`` folder."""
    return bool(_IGNORED_RE.match(name))


def is_ignored_path(rel_path: str) -> bool:
    """True when any component of a posix relative path is ignored."""
    return any(is_ignored(part) for part in rel_path.split("/") if part)


def join(folder: str, name: str) -> str:
    """A posix path relative to the root: ``name`` inside ``folder`` ('' for the root)."""
    return f"{folder}/{name}" if folder else name


def folder_id(name: str) -> str | None:
    """The id of a folder name: the text before the first space, NFKC-folded."""
    name = unicodedata.normalize("NFKC", name).strip()
    head = name.partition(" ")[0]
    return head or None


def _cut(text: str, units: int) -> str:
    out, used = [], 0
    for ch in text:
        used += width(ch)
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def folder_name(indicator: Indicator, max_len: int) -> str:
    """``<id> <name>`` made safe; the name is cut to end with "…" when longer than ``max_len``."""
    ind_id = safe_component(indicator.id)
    name = safe_component(indicator.name) if indicator.name.strip() else ""
    full = f"{ind_id} {name}" if name else ind_id
    if width(full) <= max_len:
        return full
    room = max_len - width(ind_id) - 1 - 1  # the space and the ellipsis
    kept = _cut(name, room).rstrip(". ") if room > 0 else ""
    return f"{ind_id} {kept}…" if kept else ind_id


def level_limits(tree: Tree) -> tuple[int, ...]:
    """The longest folder name allowed at each level (index 0 is level I)."""
    def depth(ind: Indicator) -> int:
        return 1 + max((depth(c) for c in ind.children), default=0)
    levels = max((depth(i) for i in tree.indicators), default=0)
    share = (FOLDER_BUDGET - levels) // max(levels, 1)
    return tuple(min(MAX_FOLDER_LEN, share) for _ in range(levels))


def target_paths(tree: Tree) -> dict[str, str]:
    """Indicator id -> its folder, relative and POSIX-style, parents before children."""
    limits = level_limits(tree)
    out: dict[str, str] = {}

    def visit(ind: Indicator, parent: str, depth: int) -> None:
        out[ind.id] = join(parent, folder_name(ind, limits[depth]))
        for child in ind.children:
            visit(child, out[ind.id], depth + 1)

    for top in tree.indicators:
        visit(top, "", 0)
    return out


def longest_path(tree: Tree) -> int:
    """Width of the deepest evidence path under the assumed share root and file name budget."""
    return max((SHARE_ROOT_BUDGET + width(p) + 1 + EVIDENCE_NAME_BUDGET
                for p in target_paths(tree).values()), default=SHARE_ROOT_BUDGET)


# ---- the walk ---------------------------------------------------------------------------------
def holds_archive(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds an archive of its own (a ``.archive/`` folder)."""
    return os.path.isdir(os.path.join(folder, ARCHIVE_DIR)) and not os.path.islink(
        os.path.join(folder, ARCHIVE_DIR))


@dataclass
class Walked:
    """What a walk found below its start: every path relative to the archive root."""

    files: list[tuple[str, os.stat_result]] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    #: folders that could not be listed: (rel path, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: temporary files left by an interrupted write (full paths)
    leftovers: list[str] = field(default_factory=list)
    #: symbolic links met and not followed
    symlinks: int = 0
    #: folders holding an archive of their own, not walked
    nested: list[str] = field(default_factory=list)


def _inside_nested(root: Path, start: Path) -> str | None:
    """The folder between ``root`` (excluded) and ``start`` (included) that holds an archive of
    its own, or None: what lies inside it is never this archive's."""
    rel = start.relative_to(root)
    for depth in range(1, len(rel.parts) + 1):
        folder = root.joinpath(*rel.parts[:depth])
        if holds_archive(folder):
            return "/".join(rel.parts[:depth])
    return None


def walk(root: Path, start: Path | None = None) -> Walked:
    """Files (rel path, stat) and folders (rel path) below ``start`` (the root by default).

    For a file, the files of its folder (not below): its caption sidecars and the numbers its
    neighbours hold are part of what lint says about it."""
    walked = Walked()
    start = root if start is None else start
    single = start.is_file() and not start.is_symlink()
    first = start.parent if single else start
    if first != root:
        nested = _inside_nested(root, first)
        if nested is not None:
            walked.nested.append(nested)
            return walked
    prefix = first.relative_to(root).as_posix()
    stack = [(str(first), "" if prefix == "." else prefix + "/")]  # (folder, its rel + "/")
    while stack:
        current, base = stack.pop()
        below = current != str(first)  # a folder found by the walk, not where it started
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue  # deleted while the walk ran
        except OSError as exc:  # no permission, a path too long for the system …
            walked.folders.extend([base.rstrip("/")] if below else [])
            walked.unreadable.append((base.rstrip("/") or ".", os_reason(exc)))
            continue
        if below and any(e.name == ARCHIVE_DIR and e.is_dir(follow_symlinks=False)
                         for e in entries):
            walked.nested.append(base.rstrip("/"))
            continue
        walked.folders.extend([base.rstrip("/")] if below else [])
        _take(entries, base, single, walked, stack)
    walked.files.sort()
    walked.folders.sort()
    walked.nested.sort()
    return walked


def _take(entries: list[os.DirEntry], base: str, single: bool, walked: Walked,
          stack: list[tuple[str, str]]) -> None:
    """Sort one folder's entries into the walk: files, folders to visit, what is left out."""
    for entry in entries:
        if is_ignored(entry.name):
            if is_leftover(entry.name):
                walked.leftovers.append(entry.path)
            continue
        if entry.is_symlink():
            walked.symlinks += 1
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if not single:
                    stack.append((entry.path, base + entry.name + "/"))
            elif entry.is_file(follow_symlinks=False):
                walked.files.append((base + entry.name, entry.stat(follow_symlinks=False)))
        except OSError:
            continue


@dataclass
class Listing:
    """One folder's entries as the walk sees them (names only)."""

    files: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)


def listing(folder: str | os.PathLike) -> Listing:
    """The regular files and folders directly in ``folder``, sorted by name, with the walk's
    policy: ignored names, symbolic links and folders holding an archive of their own are left
    out. A folder that cannot be listed lists nothing."""
    out = Listing()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        if is_ignored(entry.name) or entry.is_symlink():
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if not holds_archive(entry.path):
                    out.folders.append(entry.name)
            elif entry.is_file(follow_symlinks=False):
                out.files.append(entry.name)
        except OSError:
            continue
    return out


def folder_counts(root: str | Path) -> tuple[dict[str, int], list[str]]:
    """Every folder below ``root`` (relative POSIX path) -> the number of files directly in it,
    and the folders holding an archive of their own that were not walked."""
    walked = walk(Path(root))
    counts = dict.fromkeys(walked.folders, 0)
    for rel, _ in walked.files:
        folder = rel.rpartition("/")[0]
        if folder:
            counts[folder] += 1
    return counts, walked.nested
