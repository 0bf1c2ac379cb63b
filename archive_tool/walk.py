"""The one walk of an archive: files and folders below a path, ignored names and links left
out, what could not be listed kept with why, and each image's caption sidecars."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import captions
from .errors import os_reason
from .evidence import AV_EXTS, IMAGE_EXTS
from .ignore import is_ignored
from .leftovers import is_leftover
from .naming import split_ext, undecodable

SIDECAR_EXTS = captions.SIDECAR_EXTS
#: files whose caption may sit in a sidecar: photos, audio and video
CAPTIONED = IMAGE_EXTS | AV_EXTS


@dataclass
class Walked:
    files: list[tuple[str, os.stat_result]] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    #: folders that could not be listed: (rel path, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: temporary files left by an interrupted write (full paths)
    leftovers: list[str] = field(default_factory=list)
    #: symbolic links met and not followed
    symlinks: int = 0


def walk(root: Path, start: Path) -> Walked:
    """Files (rel path, stat) and folders (rel path) below ``start``, skipping ignored names.

    For a file, the files of its folder (not below): its caption sidecars and the numbers its
    neighbours hold are part of what lint says about it."""
    walked = Walked()
    files, folders = walked.files, walked.folders
    single = start.is_file() and not start.is_symlink()
    first = start.parent if single else start
    prefix = first.relative_to(root).as_posix()
    stack = [(str(first), "" if prefix == "." else prefix + "/")]  # (folder, its rel + "/")
    while stack:
        current, base = stack.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue  # deleted while the scan ran
        except OSError as exc:  # no permission, a path too long for the system …
            walked.unreadable.append((base.rstrip("/") or ".", os_reason(exc)))
            continue
        for entry in entries:
            if is_ignored(entry.name):
                if is_leftover(entry.name):
                    walked.leftovers.append(entry.path)
                continue
            if entry.is_symlink():
                walked.symlinks += 1
                continue
            rel = base + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not single:
                        folders.append(rel)
                        stack.append((entry.path, rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    files.append((rel, entry.stat(follow_symlinks=False)))
            except OSError:
                continue
    files.sort()
    folders.sort()
    return walked


def sidecars_of(files: list[tuple[str, os.stat_result]]
              ) -> dict[str, list[tuple[str, os.stat_result]]]:
    """image (or audio/video) path -> its caption sidecars (path, stat) in the order the reader
    tries them.

    One matcher for scan and reader (:func:`captions.match_sidecars`): names are compared
    case-insensitively, so ``01：学习会.JPG.TXT`` is the caption of ``01：学习会.JPG``."""
    by_folder: dict[str, dict[str, os.stat_result]] = {}
    for rel, st in files:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, {})[name] = st
    out: dict[str, list[tuple[str, os.stat_result]]] = {}
    for folder, entries in by_folder.items():
        # a name that is not UTF-8 is reported as such, never taken as or given a sidecar
        candidates = [n for n in entries if split_ext(n)[1].lower() in SIDECAR_EXTS
                      and not undecodable(n)]
        if not candidates:
            continue
        match = captions.SidecarMatcher(candidates)
        for name in entries:
            if split_ext(name)[1].lower() not in CAPTIONED or undecodable(join(folder, name)):
                continue
            found = match(name)
            if found:
                out[join(folder, name)] = [(join(folder, n), entries[n]) for n in found]
    return out


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
