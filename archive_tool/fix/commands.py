"""The commands lint's fixes tell people to run, ready to paste.

A path in a command works from where lint was run: relative to the current folder when the file
lies below it, else absolute (JSON ``path`` fields stay relative to the archive root). Every
word is quoted for sh, bash and zsh alike: left as it is when nothing in it is special to those
shells, else put in single quotes. What cannot be known is a Chinese placeholder that
``caption set`` refuses with a message saying what to put there, so a pasted command never writes
a half-made caption.
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from ..captions import DATE_PLACEHOLDER, ORGANIZER_PLACEHOLDER, THEME_PLACEHOLDER

#: words made of ASCII characters no POSIX shell (nor zsh) gives a meaning to inside a word,
#: and of non-ASCII characters (white space and unprintable ones are refused apart)
_SAFE_WORD = re.compile(r"[A-Za-z0-9@%+=:,./_\-\u0080-\U0010ffff]+")
_SPACE = re.compile(r"\s")


def shell_quote(word: str) -> str:
    """``word`` as one shell word: as is when safe (ASCII letters, digits, ``@%+=:,./_-`` and
    any non-ASCII character but white space, none of which sh, bash or zsh interpret), else in
    single quotes, a single quote inside written ``'"'"'`` (as :func:`shlex.quote` does)."""
    if (_SAFE_WORD.fullmatch(word) and not word.startswith(("=", "~")) and word.isprintable()
            and not _SPACE.search(word)):
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"


def _here(cwd: str | os.PathLike | None) -> str | None:
    """Where the command will run (the current folder by default); None when it is gone."""
    try:
        return os.path.abspath(cwd if cwd is not None else os.getcwd())
    except OSError:  # the current folder was deleted
        return None


def _below(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _as_seen(full: str, here: str | None) -> str:
    """``full`` relative to ``here`` when it lies below it (never the file system's root),
    else absolute; a relative path starting with "-" gets "./" so it is no option."""
    if here is None or here == os.path.dirname(here) or not _below(full, here):
        return full
    out = os.path.relpath(full, here)
    return "./" + out if out.startswith("-") else out


def command_path(root: Path, rel: str, cwd: str | os.PathLike | None = None) -> str:
    """The path of ``rel`` (relative to the archive ``root``) for a command run in ``cwd`` (the
    current folder by default): relative when it lies below ``cwd``, else absolute."""
    return _as_seen(os.path.join(os.path.abspath(root), *rel.split("/")), _here(cwd))


class CommandPaths:
    """:func:`command_path` for many files of one archive: each folder worked out once."""

    def __init__(self, root: Path, cwd: str | os.PathLike | None = None):
        self.root = os.path.abspath(root)
        self.here = _here(cwd)
        self._folders: dict[str, str] = {}

    def _folder(self, folder: str) -> str:
        """The folder as commands give it: '' when it is ``here``, else as :func:`_as_seen`."""
        full = os.path.join(self.root, *folder.split("/")) if folder else self.root
        here = self.here
        if here is not None and full == here and here != os.path.dirname(here):
            return ""
        return _as_seen(full, here)

    def __call__(self, rel: str) -> str:
        folder, _, name = rel.rpartition("/")
        seen = self._folders.get(folder)
        if seen is None:
            seen = self._folders[folder] = self._folder(folder)
        if not seen:
            return "./" + name if name.startswith("-") else name
        return os.path.join(seen, name)


def caption_set(path: str, when: date | None, organizer: str, theme: str) -> str:
    """``archive-tool caption set PATH --time … --organizer … --theme …``; unknown parts are the
    placeholders ``caption set`` refuses."""
    return (f"archive-tool caption set {shell_quote(path)}"
            f" --time {when.isoformat() if when else DATE_PLACEHOLDER}"
            f" --organizer {shell_quote(organizer or ORGANIZER_PLACEHOLDER)}"
            f" --theme {shell_quote(theme or THEME_PLACEHOLDER)}")


def footer_fix(path: str) -> str:
    return f"archive-tool footer fix {shell_quote(path)}"


def undo(root: Path, cwd: str | os.PathLike | None = None) -> str:
    """``archive-tool undo`` as it works from ``cwd`` (the current folder by default): without a
    path inside the archive, else with the archive's path (relative when it lies below)."""
    full, here = os.path.abspath(root), _here(cwd)
    if here is not None and (here == full or _below(here, full)):
        return "archive-tool undo"
    return f"archive-tool undo {shell_quote(_as_seen(full, here))}"
