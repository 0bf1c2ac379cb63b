"""Caption sidecars: which files beside an image hold its caption. Pure: no disk access.

``<image name>.txt``, ``<stem>.txt``, ``<image name>.xmp``, ``<stem>.xmp``, tried in that order,
the names compared as Windows and macOS compare them (case-insensitive, NFC). This is the one
matcher: the scan, the reader, ``lint --fix`` (which renames a photo with its sidecars) and
``caption set`` (which writes into an existing sidecar) all use it.
"""
from __future__ import annotations

import os
import unicodedata
from typing import Iterable

from ..evidence import AV_EXTS, IMAGE_EXTS
from ..naming import split_ext, undecodable


#: extensions of caption sidecars, in the order they are tried
SIDECAR_EXTS = (".txt", ".xmp")
#: files whose caption may sit in a sidecar: photos, audio and video
CAPTIONED = IMAGE_EXTS | AV_EXTS


def name_key(name: str) -> str:
    """File names compared as Windows and macOS compare them: NFC, case-insensitive."""
    return unicodedata.normalize("NFC", name).casefold()


def sidecar_names(image_name: str) -> list[str]:
    """The names a caption sidecar of ``image_name`` may have, in the order they are tried:
    ``<name>.txt``, ``<stem>.txt``, ``<name>.xmp``, ``<stem>.xmp``."""
    dot = image_name.rfind(".")
    stem = image_name[:dot] if dot > 0 else image_name
    names: list[str] = []
    for ext in SIDECAR_EXTS:
        for base in (image_name, stem):
            if base + ext not in names:
                names.append(base + ext)
    return names


def is_sidecar_of(name: str, image_name: str) -> bool:
    """True when a file called ``name`` beside ``image_name`` is one of its caption sidecars."""
    key = name_key(name)
    return name != image_name and any(name_key(c) == key for c in sidecar_names(image_name))


class SidecarMatcher:
    """The sidecar names of one folder, indexed once for the images of that folder."""

    def __init__(self, names: Iterable[str]):
        self.by_key: dict[str, list[str]] = {}
        for name in names:
            self.by_key.setdefault(name_key(name), []).append(name)

    def __call__(self, image_name: str) -> list[str]:
        found: list[str] = []
        for candidate in sidecar_names(image_name):
            for name in sorted(self.by_key.get(name_key(candidate), ())):
                if name != image_name and name not in found:
                    found.append(name)
        return found


def match_sidecars(image_name: str, names: Iterable[str]) -> list[str]:
    """The names among ``names`` (the files of the image's folder) that are caption sidecars of
    ``image_name``, in the order they are tried. Case and Unicode normalisation are ignored, so
    ``01：学习会.JPG.TXT`` belongs to ``01：学习会.JPG`` (Windows shares do not tell them apart).
    This is the one matcher: the scan and the reader both use it (:class:`SidecarMatcher` for a
    whole folder)."""
    return SidecarMatcher(names)(image_name)


def sidecars_of(files: list[tuple[str, os.stat_result]]
                ) -> dict[str, list[tuple[str, os.stat_result]]]:
    """image (or audio/video) path -> its caption sidecars (path, stat) in the order the reader
    tries them, for the files a walk found (posix paths relative to the archive root).

    A name that is not UTF-8 is reported as such, never taken as or given a sidecar."""
    by_folder: dict[str, dict[str, os.stat_result]] = {}
    for rel, st in files:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, {})[name] = st
    out: dict[str, list[tuple[str, os.stat_result]]] = {}
    for folder, entries in by_folder.items():
        candidates = [n for n in entries if split_ext(n)[1].lower() in SIDECAR_EXTS
                      and not undecodable(n)]
        if not candidates:
            continue
        match = SidecarMatcher(candidates)
        # what a sidecar's name is without its extension: an image's name or its stem (a few
        # sidecars, many images: an image that is neither is passed over at once)
        bases = {name_key(n[:n.rfind(".")]) for n in candidates}
        for name in entries:
            if split_ext(name)[1].lower() not in CAPTIONED:
                continue
            key = name_key(name)  # the stem's key is the key's part before its (ASCII) ext
            if key not in bases and key[:key.rfind(".")] not in bases:
                continue
            rel = f"{folder}/{name}" if folder else name
            if undecodable(rel):
                continue
            found = match(name)
            if found:
                out[rel] = [(f"{folder}/{n}" if folder else n, entries[n]) for n in found]
    return out
