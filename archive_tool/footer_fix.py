"""``archive-tool footer fix``: put the document name in the footer of existing .docx files.

The archive convention (seed 004) wants the name ``NN：主题`` in the footer, right-aligned. For
every section of a document, the footers that show are checked: the default one, the first-page
one where the section has ``w:titlePg``, the even-page one where settings.xml has
``w:evenAndOddHeaders``; a section without a reference of a kind inherits the previous section's.

What changes, at the zip-part level (python-docx is not used: it would re-serialise the body):

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
method. The file is written to a temporary file beside it and swapped in with ``os.replace``,
inside an undo transaction (``archive-tool undo`` restores the original bytes).
"""
from __future__ import annotations

import os
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .atomic import write_atomic
from .errors import ArchiveError, FileOperationError, UsageError, os_reason
from .extract import extract
from .naming import parse_name, split_ext
from .places import inside_archive

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
DOCX_EXTS = (".docx", ".docm")
LEGACY_EXTS = (".doc", ".wps", ".dot", ".wpt", ".rtf")
_OFF = ("0", "false", "off")
#: regions of an XML text where a "<w:sectPr" is not a tag
_NOT_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_KIND_LABELS = {"default": "默认页脚", "first": "首页页脚", "even": "偶数页页脚"}
_SECTPR_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?sectPr)(?=[\s/>])")
_BODY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?body\s*>")


@dataclass(frozen=True)
class FooterFixed:
    """A file whose footers now carry its name."""

    path: Path
    name: str
    #: footer parts that got a paragraph with the name
    edited: tuple[str, ...] = ()
    #: footer parts created (and referenced from document.xml), as "word/footer3.xml (first)"
    added: tuple[str, ...] = ()


@dataclass
class FooterFixResult:
    fixed: list[FooterFixed] = field(default_factory=list)
    #: files whose footers already carried the name: not touched
    unchanged: list[Path] = field(default_factory=list)
    #: files that could not be fixed, with the error saying why and what to do
    failed: list[tuple[Path, ArchiveError]] = field(default_factory=list)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _on(el, w: str) -> bool:
    return el is not None and el.get(f"{{{w}}}val", "true").lower() not in _OFF


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Package:
    """The parts of a docx, read once; the changes to make, collected."""

    def __init__(self, path: Path, zf: zipfile.ZipFile):
        self.path, self.zf = path, zf
        self.names = {info.filename for info in zf.infolist()}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}

    def read(self, name: str) -> bytes | None:
        return self.zf.read(name) if name in self.names else None

    def xml(self, name: str):
        data = self.read(name)
        return None if data is None else etree.fromstring(data, _parser())

    def rels_name(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", name + ".rels")

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target part name) of a part, external targets left out."""
        root = self.xml(self.rels_name(part))
        folder = posixpath.dirname(part)
        out: dict[str, tuple[str, str]] = {}
        for rel in (root.iter(f"{{{PKG_RELS}}}Relationship") if root is not None else ()):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            target = (target.lstrip("/") if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out


def _text(root) -> str:
    return "".join(t.text or "" for t in root.iter() if isinstance(t.tag, str)
                   and t.tag.endswith("}t"))


def _paragraph_xml(w: str, name: str, strict: bool) -> bytes:
    jc = "end" if strict else "right"
    return (f'<w:p xmlns:w="{w}"><w:pPr><w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr>'
            f'<w:rFonts w:eastAsia="宋体"/></w:rPr><w:t xml:space="preserve">{escape(name)}'
            f'</w:t></w:r></w:p>').encode("utf-8")


def _append_name(footer, w: str, name: str, strict: bool) -> None:
    """Append the name paragraph to a footer. A trailing empty paragraph (what Word leaves in a
    footer someone opened and closed) is replaced, its paragraph style kept, so the name does
    not sit one blank line above the bottom."""
    paragraph = etree.fromstring(_paragraph_xml(w, name, strict))
    last = footer[-1] if len(footer) else None
    if (last is not None and last.tag == f"{{{w}}}p"
            and all(child.tag == f"{{{w}}}pPr" for child in last)):
        style = last.find(f"{{{w}}}pPr/{{{w}}}pStyle")
        if style is not None:
            paragraph.find(f"{{{w}}}pPr").insert(0, style)
        footer.remove(last)
    footer.append(paragraph)


def _footer_part(w: str, r: str, name: str, strict: bool) -> bytes:
    paragraph = _paragraph_xml(w, name, strict).decode("utf-8").replace(f' xmlns:w="{w}"', "")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:ftr xmlns:w="{w}" xmlns:r="{r}">{paragraph}</w:ftr>').encode("utf-8")


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _prefix(el, ns: str) -> tuple[str, str]:
    """A prefix bound to ``ns`` where ``el`` sits, and the declaration to add when there is none."""
    for prefix, uri in el.nsmap.items():
        if uri == ns and prefix:
            return prefix, ""
    fallback = "w" if ns in (W, W_STRICT) else "r"
    return fallback, f' xmlns:{fallback}="{ns}"'


def _wanted(path: Path) -> tuple[str, set[str]]:
    """The name to write (the file stem) and the squashed texts a footer may carry instead."""
    stem = unicodedata.normalize("NFC", split_ext(path.name)[0])
    theme = parse_name(path.name).theme
    return stem, {_squash(stem), _squash(theme)} - {""}


def _plan(path: Path) -> tuple[_Package, FooterFixed] | None:
    """Compute the changed parts of one file (nothing written); None when nothing is missing."""
    ext = path.suffix.lower()
    if ext in LEGACY_EXTS:
        raise UsageError(f"「{path.name}」是旧格式（{ext}），无法添加页脚",
                         "用 Word 或 WPS 打开，另存为 .docx 后再运行 archive-tool footer fix。")
    if ext not in DOCX_EXTS:
        raise UsageError(f"「{path.name}」不是 Word 文档（.docx），无法添加页脚",
                         "只能处理 .docx 文件；其他文件请在原程序中添加页脚。")
    if not path.is_file():
        if path.exists():
            raise FileOperationError(f"不是普通文件（可能是命名管道、设备或文件夹）：{path}",
                                     "只能处理普通的 .docx 文件。")
        raise FileOperationError(f"文件不存在：{path}", "检查文件路径是否正确。")
    extract(path)  # refuses corrupt, encrypted, truncated, legacy and zip-bomb files
    name, wanted = _wanted(path)
    with zipfile.ZipFile(path) as zf:
        pkg = _Package(path, zf)
        root_rels = pkg.rels("")
        main = next((t for k, t in root_rels.values() if k.endswith("/officeDocument")),
                    "word/document.xml")
        doc_bytes = pkg.read(main)
        doc = etree.fromstring(doc_bytes, _parser())
        strict = doc.tag.startswith(f"{{{W_STRICT}}}")
        w, r = (W_STRICT, R_STRICT) if strict else (W, R)
        q = lambda tag: f"{{{w}}}{tag}"  # noqa: E731
        body = doc.find(q("body"))
        rels = pkg.rels(main)
        settings_name = next((t for k, t in rels.values() if k.endswith("/settings")), None)
        settings = pkg.xml(settings_name) if settings_name else None
        even_odd = settings is not None and _on(settings.find(q("evenAndOddHeaders")), w)
        all_sects = list(doc.iter(q("sectPr")))
        sections = [s for s in all_sects if s.getparent() is body or (
            s.getparent().tag == q("pPr") and s.getparent().getparent().tag == q("p"))]
        inherited: dict[str, str] = {}
        check: list[str] = []
        missing: list[tuple[object, str]] = []  # (sectPr element or None for no sectPr, kind)
        for sect in sections or [None]:
            own: dict[str, str | None] = {}
            for ref in (sect.iterchildren(q("footerReference")) if sect is not None else ()):
                target = rels.get(ref.get(f"{{{r}}}id", ""))
                kind = ref.get(q("type"), "default")
                own[kind] = target[1] if target and target[1] in pkg.names else None
                if own[kind]:
                    inherited[kind] = own[kind]
            kinds = ["default"]
            if sect is not None and _on(sect.find(q("titlePg")), w):
                kinds.append("first")
            if even_odd:
                kinds.append("even")
            for kind in kinds:
                if kind in own and own[kind] is None:
                    raise FileOperationError(
                        f"「{path.name}」的页脚引用已损坏（指向不存在的部件）",
                        "用 Word 打开后另存为 .docx，再运行 archive-tool footer fix。")
                part = inherited.get(kind)
                if part is None:
                    missing.append((sect, kind))
                    inherited[kind] = f"<new {kind}>"
                elif not part.startswith("<new") and part not in check:
                    check.append(part)
        edited = []
        for part in check:
            footer = pkg.xml(part)
            if footer is None or any(t in _squash(_text(footer)) for t in wanted):
                continue
            _append_name(footer, w, name, strict)
            pkg.changed[part] = _serialize(footer)
            edited.append(part)
        added = []
        if missing:
            added = _add_footers(pkg, main, doc_bytes, body, all_sects, missing, w, r, name,
                                 strict)
        if not edited and not added:
            return None
        return pkg, FooterFixed(path, name, tuple(edited), tuple(added))


def _add_footers(pkg: _Package, main: str, doc_bytes: bytes, body, all_sects: list,
                 missing: list, w: str, r: str, name: str, strict: bool) -> list[str]:
    """New footer parts, their relationships and content types, and the byte-level insertion of
    their references into document.xml."""
    unsafe = FileOperationError(f"「{pkg.path.name}」的正文结构无法安全修改",
                                "用 Word 打开后另存为 .docx，再运行 archive-tool footer fix。")
    starts = _sectpr_starts(doc_bytes)
    ends = list(_BODY_END.finditer(doc_bytes))
    if len(starts) != len(all_sects) or not ends:
        raise unsafe
    ct_root = pkg.xml("[Content_Types].xml")
    if ct_root is None:
        raise unsafe
    folder = posixpath.dirname(main)
    rels_name = pkg.rels_name(main)
    rels_root = pkg.xml(rels_name)
    if rels_root is None:
        rels_root = etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    ids = {rel.get("Id") for rel in rels_root}
    rel_type = (R_STRICT if strict else R) + "/footer"
    refs: dict[int, list[bytes]] = {}  # index in all_sects (-1: the body has no sectPr) -> refs
    number = serial = 1
    added = []
    for sect, kind in missing:
        while posixpath.join(folder, f"footer{number}.xml") in pkg.names | set(pkg.added):
            number += 1
        part = posixpath.join(folder, f"footer{number}.xml")
        while f"rId{serial}" in ids:
            serial += 1
        rid = f"rId{serial}"
        ids.add(rid)
        pkg.added[part] = _footer_part(w, r, name, strict)
        etree.SubElement(rels_root, f"{{{PKG_RELS}}}Relationship",
                         Id=rid, Type=rel_type, Target=posixpath.relpath(part, folder))
        etree.SubElement(ct_root, f"{{{CONTENT_TYPES}}}Override",
                         PartName="/" + part, ContentType=FOOTER_TYPE)
        scope = sect if sect is not None else body
        (wp, wdecl), (rp, rdecl) = _prefix(scope, w), _prefix(scope, r)
        refs.setdefault(all_sects.index(sect) if sect is not None else -1, []).append(
            f"<{wp}:footerReference{wdecl}{rdecl} {wp}:type={quoteattr(kind)} "
            f"{rp}:id={quoteattr(rid)}/>".encode("utf-8"))
        added.append(f"{part}（{_KIND_LABELS[kind]}）")
    inserts: list[tuple[int, int, bytes]] = []  # (position, bytes replaced, new bytes)
    for index, items in refs.items():
        text = b"".join(items)
        if index < 0:
            wp, wdecl = _prefix(body, w)
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
    etree.fromstring(new, _parser())  # the result must still be well-formed
    pkg.changed[main] = new
    pkg.changed[rels_name] = _serialize(rels_root)
    pkg.changed["[Content_Types].xml"] = _serialize(ct_root)
    return added


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


def _write(path: Path, pkg_changed: dict[str, bytes], pkg_added: dict[str, bytes],
           on_ready=None) -> None:
    """Rewrite the zip: changed members replaced, others copied with the same content, name,
    order, date and compression method; new members appended. Atomic (a synced temp file
    renamed over the file); ``on_ready(sha256)`` is called right before the rename."""

    def fill(fp) -> None:
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(fp, "w") as zout:
            for info in zin.infolist():
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr, copy.create_system = info.external_attr, info.create_system
                copy.comment = info.comment
                data = pkg_changed.get(info.filename)
                zout.writestr(copy, data if data is not None else zin.read(info))
            now = datetime.now().timetuple()[:6]
            for name, data in pkg_added.items():
                zout.writestr(zipfile.ZipInfo(name, now), data, zipfile.ZIP_DEFLATED)
            zout.comment = zin.comment

    try:
        write_atomic(path, fill, on_ready=on_ready)
    except OSError as exc:
        raise FileOperationError(f"无法写入「{path.name}」：{os_reason(exc)}",
                                 "关闭正在打开此文件的 Word/WPS，确认有写权限后重试。") from exc


def fix_footer(root: str | os.PathLike, paths) -> FooterFixResult:
    """Add the document name to the footers of ``paths`` (files inside the archive at ``root``)
    that lack it. One undo transaction ("footer fix") covers every file changed; a file that
    cannot be fixed is reported in ``failed`` and the others are still done."""
    from .undo import UndoLog

    log = UndoLog(root)
    result = FooterFixResult()
    plans: list[tuple[_Package, FooterFixed]] = []
    for raw in paths:
        path = Path(os.path.abspath(raw))
        try:
            path = inside_archive(log.root, path)  # never through a link out of the archive
            log.relative(path)
            planned = _plan(path)
        except ArchiveError as exc:
            result.failed.append((path, exc))
            continue
        except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            result.failed.append((path, FileOperationError(
                f"「{path.name}」的内容无法解析（{type(exc).__name__}）",
                "用 Word 打开后另存为 .docx，再运行 archive-tool footer fix。")))
            continue
        if planned is None:
            result.unchanged.append(path)
        else:
            plans.append(planned)
    if not plans:
        return result
    with log.transaction("footer fix") as tx:
        for pkg, fixed in plans:
            tx.record_modify(fixed.path)
            try:
                _write(fixed.path, pkg.changed, pkg.added,
                       lambda digest, p=fixed.path: tx.record_written(p, digest))
            except FileOperationError as exc:
                result.failed.append((fixed.path, exc))
                continue
            result.fixed.append(fixed)
    return result
