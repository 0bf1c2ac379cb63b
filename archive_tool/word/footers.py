"""Which footers of a Word document show, what they say, and whether they carry its name.

The archive convention (seed 004) wants the name ``NN：主题`` in the footer. For every section
of a document the footers that show are: the default one, the first-page one where the section
has ``w:titlePg``, the even-page one where settings.xml has ``w:evenAndOddHeaders``; a section
without a reference of a kind inherits the previous section's. This module is the one reading of
that rule: extraction (and so lint's FOOTER_MISSING) and ``footer fix`` both use it, so the
footer lint reads is exactly the footer ``footer fix`` completes.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from ..naming import parse_name, split_ext
from .package import Package
from .text import Tags, shown_text

FOOTER_LABELS = {"default": "默认页脚", "first": "首页页脚", "even": "偶数页页脚"}
_BROKEN = "<broken>"
_NONE = "<none>"


@dataclass(frozen=True)
class Slot:
    """One footer that shows: in which section, of which kind, held by which part."""

    #: the w:sectPr element (None: the body has no section properties at all)
    section: object
    kind: str
    #: the footer part, None when there is none of this kind (nor one inherited)
    part: str | None
    #: True when the section refers to a footer part the package does not hold
    broken: bool = False


def sections(body, tags: Tags) -> list:
    """The section properties of a body: the body's own and those ending a paragraph."""
    return [s for s in body.iter(tags.sectpr)
            if s.getparent() is body
            or (s.getparent().tag == tags.ppr and s.getparent().getparent().tag == tags.p)]


def slots(pkg: Package, main: str, body, tags: Tags) -> list[Slot]:
    """Every footer that shows, section by section; a footer missing (or broken) in a section
    is named once: the sections after it inherit what fixing it gives."""
    rels = pkg.rels(main)
    settings_name = pkg.by_type(rels, "/settings")
    settings = pkg.xml(settings_name) if settings_name else None
    even_odd = settings is not None and tags.on(settings.find(tags.even_odd))
    inherited: dict[str, str] = {}
    out: list[Slot] = []
    seen: set[str] = set()
    for sect in sections(body, tags) or [None]:
        own: dict[str, str] = {}
        for ref in (sect.iterchildren(tags.footer_ref) if sect is not None else ()):
            rel = rels.get(ref.get(tags.rid, ""))
            ok = rel is not None and pkg.member(rel[1]) is not None
            own[ref.get(tags.type, "default")] = rel[1] if ok else _BROKEN
        inherited.update(own)
        kinds = ["default"]
        if sect is not None and tags.on(sect.find(tags.title_pg)):
            kinds.append("first")
        if even_odd:
            kinds.append("even")
        for kind in kinds:
            part = inherited.get(kind)
            if part in (None, _BROKEN):
                out.append(Slot(sect, kind, None, part == _BROKEN))
                inherited[kind] = _NONE
            elif part != _NONE and part not in seen:
                seen.add(part)
                out.append(Slot(sect, kind, part))
    return out


def footer_text(pkg: Package, part: str, tags: Tags, editable: bool = False):
    """(parsed footer part, its visible text); (None, "") when the part cannot be read."""
    root = pkg.xml(part, editable=editable)
    return (root, shown_text(root, tags)) if root is not None else (None, "")


def footer_texts(pkg: Package, main: str, body, tags: Tags) -> tuple[str, ...]:
    """The visible text of each footer part that shows (each part once)."""
    out = []
    for slot in slots(pkg, main, body, tags):
        if slot.part is not None:
            root, text = footer_text(pkg, slot.part, tags)
            if root is not None:
                out.append(text)
    return tuple(out)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def carries_name(footers: Iterable[str], filename: str) -> bool:
    """True when a footer shows the document's name: the file name without its extension, or
    its theme (``02：会议纪要.docx`` -> ``02：会议纪要`` or ``会议纪要``), compared with
    spaces removed and full-width forms folded."""
    wanted = {_squash(split_ext(filename)[0]), _squash(parse_name(filename).theme)} - {""}
    return any(w in _squash(text) for text in footers for w in wanted)
