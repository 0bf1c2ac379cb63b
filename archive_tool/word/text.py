"""The text of a Word part as it shows: paragraphs in reading order.

One rule for every reader of text: the body's text and character count, the footers that lint
checks and those ``footer fix`` completes. Text that does not show is left out: properties,
deleted and moved-away text (``w:del``, ``w:moveFrom``), field instructions, the Fallback copy
of a text box (its Choice is read). Text that ``Paragraph.text`` of python-docx misses is read:
``w:fldSimple`` results, text boxes, content controls.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnreadableFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFF = ("0", "false", "off")


class Tags:
    """Qualified tag names for one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, w: str, r: str):
        self.w, self.r = w, r
        self.strict = w == W_STRICT
        q = self.q
        self.p, self.t, self.tab, self.br, self.cr = q("p"), q("t"), q("tab"), q("br"), q("cr")
        self.nbh, self.txbx = q("noBreakHyphen"), q("txbxContent")
        self.body, self.ppr, self.sectpr = q("body"), q("pPr"), q("sectPr")
        self.footer_ref, self.title_pg = q("footerReference"), q("titlePg")
        self.even_odd, self.val, self.type = q("evenAndOddHeaders"), q("val"), q("type")
        self.rid = f"{{{r}}}id"
        #: subtrees that hold no visible text: properties, deleted and moved-away text, the
        #: Fallback copy of a text box (its Choice is read), field instructions
        self.skip = frozenset({
            q("pPr"), q("rPr"), q("tblPr"), q("tblGrid"), q("trPr"), q("tcPr"), q("sectPr"),
            q("sdtPr"), q("sdtEndPr"), q("del"), q("moveFrom"), q("delText"), q("instrText"),
            q("delInstrText"), q("fldData"), f"{{{_MC}}}Fallback",
        })

    def q(self, name: str) -> str:
        return f"{{{self.w}}}{name}"

    def on(self, el) -> bool:
        """A w:ST_OnOff element: present and not switched off."""
        return el is not None and el.get(self.val, "true").lower() not in _OFF


TRANSITIONAL = Tags(W, R)
STRICT = Tags(W_STRICT, R_STRICT)


def tags_of(root) -> Tags:
    """The namespace a part is written in (a strict document's parts are all strict)."""
    return STRICT if root.tag.startswith(f"{{{W_STRICT}}}") else TRANSITIONAL


class TextWalker:
    """Collects paragraph texts in reading order from a body, cell, footer or text box."""

    def __init__(self, tags: Tags):
        self.tags = tags

    def blocks(self, parent, out: list[str]) -> None:
        tags = self.tags
        for child in parent:
            tag = child.tag
            if tag == tags.p:
                self.paragraph(child, out)
            elif tag not in tags.skip and isinstance(tag, str):
                # tables, rows, cells (a merged cell is one w:tc), content controls, custom XML
                self.blocks(child, out)

    def paragraph(self, p, out: list[str]) -> None:
        buf: list[str] = []
        boxes: list = []
        self._runs(p, buf, boxes)
        out.append("".join(buf))
        for box in boxes:
            self.blocks(box, out)

    def _runs(self, el, buf: list[str], boxes: list) -> None:
        tags = self.tags
        for child in el:
            tag = child.tag
            if tag == tags.t:
                if child.text:
                    buf.append(child.text)
            elif tag == tags.tab:
                buf.append("\t")
            elif tag == tags.br or tag == tags.cr:
                buf.append("\n")
            elif tag == tags.nbh:
                buf.append("-")
            elif tag == tags.txbx:
                boxes.append(child)
            elif tag not in tags.skip and isinstance(tag, str) and len(child):
                # runs, hyperlinks, fldSimple, smartTag, ins, sdt, drawings around text boxes
                self._runs(child, buf, boxes)


def paragraphs(root, tags: Tags) -> list[str]:
    """The paragraph texts of a part (or an element of one), in reading order."""
    out: list[str] = []
    TextWalker(tags).blocks(root, out)
    return out


def shown_text(root, tags: Tags) -> str:
    """The visible text of a part: its non-blank paragraphs, one a line."""
    return "\n".join(line for line in paragraphs(root, tags) if line.strip()).strip()


@dataclass(frozen=True)
class Document:
    """The main document part of a package: its name, parsed root, namespace and body."""

    main: str
    root: object
    tags: Tags
    body: object


def main_document(pkg, editable: bool = False) -> Document:
    """The main document of an opened package (:class:`.package.Package`); UnreadableFile when
    it has none or no body."""
    main = pkg.main()
    root = pkg.xml(main, editable=editable)
    if root is None:
        raise UnreadableFile(pkg.path, "corrupt", "不是 Word 文档（缺少 word/document.xml）")
    tags = tags_of(root)
    body = root.find(tags.body)
    if body is None:
        raise UnreadableFile(pkg.path, "corrupt", "文件已损坏（正文缺失）")
    return Document(main, root, tags, body)
