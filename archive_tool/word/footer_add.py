"""Put the document's name in the footers of a Word file that lack it (``footer fix``).

Which footers show and whether they carry the name is :mod:`.footers`, the same reading lint
makes. What changes, at the zip-part level (python-docx is not used: it would re-serialise the
body):

- A footer part that shows but lacks the name gets one more paragraph, right-aligned, holding the
  name. Only that footer part is rewritten; ``word/document.xml`` stays byte-identical. This is
  the common case: Word creates footer parts as soon as anyone touches a footer.
- A footer that does not exist at all (no ``w:footerReference`` of that kind in the section
  nor in any earlier one) gets a new part ``word/footerN.xml`` with the name, an Override in
  ``[Content_Types].xml`` and a relationship in ``word/_rels/document.xml.rels``. The reference
  must live in ``document.xml``'s ``w:sectPr``, so there the change is a byte-level insertion of
  one ``<w:footerReference w:type="…" r:id="…"/>`` right after the ``<w:sectPr …>`` start tag of
  the first section that needs it (later sections inherit it); a self-closing ``<w:sectPr/>``
  becomes ``<w:sectPr>…</w:sectPr>``, and a body without any ``w:sectPr`` gets
  ``<w:sectPr>…</w:sectPr>`` right before ``</w:body>``. Every other byte stays as it was.

Every other zip member is copied with the same content, name, order, date and compression
method (:func:`.package.rewrite`).
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ..errors import FileOperationError
from ..naming import split_ext
from .footers import FOOTER_LABELS, Slot, carries_name, footer_text, slots
from .package import (CONTENT_TYPES, PKG_RELS, Package, open_package, parse_xml, rewrite,
                      serialize)
from .text import Tags, main_document

FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
#: regions of an XML text where a "<w:sectPr" is not a tag
_NOT_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_SECTPR_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?sectPr)(?=[\s/>])")
_BODY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?body\s*>")
_RESAVE = "用 Word 打开后另存为 .docx，再运行 archive-tool footer fix。"


@dataclass
class FooterChanges:
    """What adding the name changes in one file (nothing is written yet)."""

    path: Path
    name: str
    #: footer parts that get a paragraph with the name
    edited: list[str] = field(default_factory=list)
    #: footer parts created (and referenced from document.xml), as "word/footer3.xml（首页页脚）"
    added: list[str] = field(default_factory=list)
    #: member name -> new bytes; new member name -> bytes
    changed: dict[str, bytes] = field(default_factory=dict)
    new_parts: dict[str, bytes] = field(default_factory=dict)

    def write(self, out: BinaryIO) -> None:
        """The changed file, written to ``out``."""
        rewrite(self.path, out, lambda info, data: self.changed.get(info.filename, data),
                self.new_parts)


def _paragraph_xml(tags: Tags, name: str) -> bytes:
    jc = "end" if tags.strict else "right"
    return (f'<w:p xmlns:w="{tags.w}"><w:pPr><w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr>'
            f'<w:rFonts w:eastAsia="宋体"/></w:rPr><w:t xml:space="preserve">{escape(name)}'
            f'</w:t></w:r></w:p>').encode("utf-8")


def _append_name(footer, tags: Tags, name: str) -> None:
    """Append the name paragraph to a footer. A trailing empty paragraph (what Word leaves in a
    footer someone opened and closed) is replaced, its paragraph style kept, so the name does
    not sit one blank line above the bottom."""
    paragraph = etree.fromstring(_paragraph_xml(tags, name))
    last = footer[-1] if len(footer) else None
    if last is not None and last.tag == tags.p and all(c.tag == tags.ppr for c in last):
        style = last.find(f"{tags.ppr}/{tags.q('pStyle')}")
        if style is not None:
            paragraph.find(tags.ppr).insert(0, style)
        footer.remove(last)
    footer.append(paragraph)


def _footer_part(tags: Tags, name: str) -> bytes:
    paragraph = _paragraph_xml(tags, name).decode("utf-8").replace(f' xmlns:w="{tags.w}"', "")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:ftr xmlns:w="{tags.w}" xmlns:r="{tags.r}">{paragraph}</w:ftr>').encode("utf-8")


def _prefix(el, ns: str, fallback: str) -> tuple[str, str]:
    """A prefix bound to ``ns`` where ``el`` sits, and the declaration to add when there is none."""
    for prefix, uri in el.nsmap.items():
        if uri == ns and prefix:
            return prefix, ""
    return fallback, f' xmlns:{fallback}="{ns}"'


def plan_footer(path: Path) -> FooterChanges | None:
    """What adding the name to ``path``'s footers changes; None when every footer that shows
    carries it. UnreadableFile for a file that cannot be read, FileOperationError for one whose
    footers cannot be changed safely."""
    name = unicodedata.normalize("NFC", split_ext(path.name)[0])
    with open_package(path) as pkg:
        doc = main_document(pkg, editable=True)
        main, tags = doc.main, doc.tags
        changes = FooterChanges(path, name)
        missing: list[Slot] = []
        for slot in slots(pkg, main, doc.body, tags):
            if slot.broken:
                raise FileOperationError(f"「{path.name}」的页脚引用已损坏（指向不存在的部件）",
                                         _RESAVE)
            if slot.part is None:
                missing.append(slot)
                continue
            footer, text = footer_text(pkg, slot.part, tags, editable=True)
            if footer is None or carries_name([text], path.name):
                continue
            _append_name(footer, tags, name)
            changes.changed[pkg.member(slot.part).filename] = serialize(footer)
            changes.edited.append(slot.part)
        if missing:
            _add_footers(pkg, changes, main, pkg.read(main), doc.body,
                         list(doc.root.iter(tags.sectpr)), missing, tags)
    return changes if changes.edited or changes.added else None


def _add_footers(pkg: Package, changes: FooterChanges, main: str, doc_bytes: bytes, body,
                 all_sects: list, missing: list[Slot], tags: Tags) -> None:
    """New footer parts, their relationships and content types, and the byte-level insertion of
    their references into document.xml."""
    unsafe = FileOperationError(f"「{pkg.path.name}」的正文结构无法安全修改", _RESAVE)
    starts = _sectpr_starts(doc_bytes)
    ends = list(_BODY_END.finditer(doc_bytes))
    ct_root = pkg.xml("[Content_Types].xml", editable=True)
    if len(starts) != len(all_sects) or not ends or ct_root is None:
        raise unsafe
    rels_name = pkg.rels_name(main)
    rels_root = pkg.xml(rels_name, editable=True)
    if rels_root is None:
        rels_root = etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    refs = _new_parts(pkg, changes, main, rels_root, ct_root, missing, tags, all_sects, body)
    inserts: list[tuple[int, int, bytes]] = []  # (position, bytes replaced, new bytes)
    for index, items in refs.items():
        text = b"".join(items)
        if index < 0:
            wp, wdecl = _prefix(body, tags.w, "w")
            tag = f"{wp}:sectPr".encode()
            inserts.append((ends[-1].start(), 0,
                            b"<" + tag + wdecl.encode() + b">" + text + b"</" + tag + b">"))
            continue
        _, end, qname = starts[index]
        if doc_bytes[end - 2:end] == b"/>":
            inserts.append((end - 2, 2, b">" + text + b"</" + qname + b">"))
        else:
            inserts.append((end, 0, text))
    new = doc_bytes
    for pos, length, text in sorted(inserts, key=lambda i: i[0], reverse=True):
        new = new[:pos] + text + new[pos + length:]
    parse_xml(new)  # the result must still be well-formed
    for part, data in ((main, new), (rels_name, serialize(rels_root)),
                       ("[Content_Types].xml", serialize(ct_root))):
        member = pkg.member(part)
        if member is None:
            changes.new_parts[part] = data
        else:
            changes.changed[member.filename] = data


def _new_parts(pkg: Package, changes: FooterChanges, main: str, rels_root, ct_root,
               missing: list[Slot], tags: Tags, all_sects: list, body) -> dict[int, list[bytes]]:
    """Create one footer part per missing footer; the references to insert, per section (its
    index in ``all_sects``; -1 for a body without section properties)."""
    folder = posixpath.dirname(main)
    ids = {rel.get("Id") for rel in rels_root}
    refs: dict[int, list[bytes]] = {}
    number = serial = 1
    for slot in missing:
        while (pkg.member(posixpath.join(folder, f"footer{number}.xml")) is not None
               or posixpath.join(folder, f"footer{number}.xml") in changes.new_parts):
            number += 1
        part = posixpath.join(folder, f"footer{number}.xml")
        while f"rId{serial}" in ids:
            serial += 1
        rid = f"rId{serial}"
        ids.add(rid)
        changes.new_parts[part] = _footer_part(tags, changes.name)
        etree.SubElement(rels_root, f"{{{PKG_RELS}}}Relationship", Id=rid,
                         Type=tags.r + "/footer", Target=posixpath.relpath(part, folder))
        etree.SubElement(ct_root, f"{{{CONTENT_TYPES}}}Override",
                         PartName="/" + part, ContentType=FOOTER_TYPE)
        scope = slot.section if slot.section is not None else body
        (wp, wdecl), (rp, rdecl) = _prefix(scope, tags.w, "w"), _prefix(scope, tags.r, "r")
        index = all_sects.index(slot.section) if slot.section is not None else -1
        refs.setdefault(index, []).append(
            f"<{wp}:footerReference{wdecl}{rdecl} {wp}:type={quoteattr(slot.kind)} "
            f"{rp}:id={quoteattr(rid)}/>".encode("utf-8"))
        changes.added.append(f"{part}（{FOOTER_LABELS[slot.kind]}）")
    return refs


def _sectpr_starts(data: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, qualified name) of every sectPr start tag, in document order; ``end`` is
    just after the tag's ``>``."""
    skip = [m.span() for m in _NOT_MARKUP.finditer(data)]
    found = []
    for match in _SECTPR_START.finditer(data):
        if any(a <= match.start() < b for a, b in skip):
            continue
        pos, quote = match.end(), None
        while pos < len(data):
            ch = data[pos:pos + 1]
            if quote:
                quote = None if ch == quote else quote
            elif ch in (b'"', b"'"):
                quote = ch
            elif ch == b">":
                break
            pos += 1
        found.append((match.start(), pos + 1, match.group(1)))
    return found
