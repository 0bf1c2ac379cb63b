"""XMP packets: read dc:description / dc:title, and set them while keeping everything else.

Packets come from untrusted files, so they are parsed with defusedxml (no DTDs, no entities).
minidom keeps the document's own prefixes and namespace declarations, so a packet written back
differs from the one read only in the two properties set here.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Iterator
from xml.dom import minidom
from xml.parsers.expat import ExpatError

import defusedxml
import defusedxml.minidom

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: this tool's own namespace: the mark ``caption set`` leaves (see :func:`written_mark`)
ATOOL = "http://archive-tool.invalid/ns/caption/1.0/"
DC = "http://purl.org/dc/elements/1.1/"
XML = "http://www.w3.org/XML/1998/namespace"
X = "adobe:ns:meta/"

_PACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = '\n<?xpacket end="w"?>'
_EMPTY = (f'<x:xmpmeta xmlns:x="{X}"><rdf:RDF xmlns:rdf="{RDF}">'
          f'<rdf:Description rdf:about="" xmlns:dc="{DC}"/></rdf:RDF></x:xmpmeta>')


def _parse(packet: bytes | str) -> minidom.Document | None:
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    start, end = packet.find(b"<"), packet.rfind(b">")
    if start < 0 or end < start:
        return None
    try:
        return defusedxml.minidom.parseString(packet[start:end + 1])
    except (ExpatError, defusedxml.DefusedXmlException, ValueError, LookupError):
        return None


@contextmanager
def _parsed(packet: bytes | str) -> Iterator[minidom.Document | None]:
    """The packet parsed, unlinked after use: a minidom tree is a web of reference cycles that
    only a full garbage collection would free otherwise."""
    doc = _parse(packet)
    try:
        yield doc
    finally:
        if doc is not None:
            try:
                doc.unlink()
            except RecursionError:  # a hostile packet nested thousands deep: the collector's
                pass


def _text_of(node: minidom.Node) -> str:
    return "".join(child.data for child in node.childNodes
                   if child.nodeType in (child.TEXT_NODE, child.CDATA_SECTION_NODE))


def _alt_value(element: minidom.Element) -> str:
    """The value of a language alternative: Chinese (zh-CN / zh-Hans / zh-SG first, then any
    zh-*), else x-default, else the longest (the most complete caption)."""
    items = [li for li in element.getElementsByTagNameNS(RDF, "li")]
    if not items:
        return _text_of(element).strip()

    def lang(li):
        return (li.getAttributeNS(XML, "lang") or li.getAttribute("xml:lang")).lower()

    values = [(lang(li), _text_of(li).strip()) for li in items]
    values = [(code, text) for code, text in values if text]
    for wanted in (lambda c: c in ("zh-cn", "zh-hans", "zh-sg") or c.startswith("zh-hans-"),
                   lambda c: c == "zh" or c.startswith("zh-"),
                   lambda c: c == "x-default"):
        for code, text in values:
            if wanted(code):
                return text
    return max((text for _, text in values), key=len, default="")


def read_property(packet: bytes | str, name: str) -> str:
    """The value of ``dc:<name>`` (element or attribute form), or "" when absent or unparsable."""
    try:
        return _read_property(packet, name)
    except RecursionError:  # minidom walks recursively: a hostile packet nests thousands deep
        return ""


def _read_property(packet: bytes | str, name: str) -> str:
    with _parsed(packet) as doc:
        if doc is None:
            return ""
        for element in doc.getElementsByTagNameNS(DC, name):
            value = _alt_value(element)
            if value:
                return value
        for desc in doc.getElementsByTagNameNS(RDF, "Description"):
            value = desc.getAttributeNS(DC, name).strip()
            if value:
                return value
        return ""


def caption_digest(text: str) -> str:
    """What the mark records of the caption written: a short hash of its text."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:16]


def written_mark(packet: bytes | str | None) -> tuple[str, tuple[str, ...]] | None:
    """The mark ``caption set`` left in ``packet``: (digest of the caption it wrote, the places
    it wrote it to, e.g. ``("xmp", "exif")``), or None for a packet it did not write."""
    if not packet:
        return None
    try:
        with _parsed(packet) as doc:
            if doc is None:
                return None
            for desc in doc.getElementsByTagNameNS(RDF, "Description"):
                digest = desc.getAttributeNS(ATOOL, "captionDigest")
                if digest:
                    return digest, tuple(desc.getAttributeNS(ATOOL, "places").split())
    except RecursionError:
        pass
    return None


def _dc_prefix(doc: minidom.Document, desc: minidom.Element) -> str:
    """The prefix the document already uses for Dublin Core, declaring ``dc`` if there is none."""
    node = desc
    while node is not None and node.nodeType == node.ELEMENT_NODE:
        for attr_name, value in node.attributes.items():
            if value == DC and attr_name.startswith("xmlns:"):
                return attr_name[6:]
        node = node.parentNode
    for element in doc.getElementsByTagNameNS(DC, "*"):
        if element.prefix:
            desc.setAttribute(f"xmlns:{element.prefix}", DC)
            return element.prefix
    desc.setAttribute("xmlns:dc", DC)
    return "dc"


def set_properties(packet: bytes | None, values: dict[str, str],
                   mark: tuple[str, tuple[str, ...]] | None = None) -> bytes:
    """A UTF-8 XMP packet: ``packet`` (or an empty one) with each ``dc:<name>`` in ``values`` set
    to an ``rdf:Alt`` holding one ``x-default`` item, and this tool's ``mark`` (digest, places;
    see :func:`written_mark`) set or, when None, removed. Everything else in the packet is kept;
    an unparsable packet is replaced by a new one."""
    try:
        return _set_properties(packet, values, mark)
    except RecursionError:
        return _set_properties(None, values, mark)


def _set_mark(doc: minidom.Document, desc: minidom.Element,
              mark: tuple[str, tuple[str, ...]] | None) -> None:
    for other in doc.getElementsByTagNameNS(RDF, "Description"):
        for name in ("captionDigest", "places"):
            if other.hasAttributeNS(ATOOL, name) and (other is not desc or mark is None):
                other.removeAttributeNS(ATOOL, name)
    if mark is None:
        return  # (values of an existing mark are updated in place: rewriting is idempotent)
    if not desc.hasAttribute("xmlns:atool"):
        desc.setAttribute("xmlns:atool", ATOOL)
    desc.setAttributeNS(ATOOL, "atool:captionDigest", mark[0])
    desc.setAttributeNS(ATOOL, "atool:places", " ".join(mark[1]))


def _declarations_first(element: minidom.Element) -> None:
    """Namespace declarations before other attributes, as the parser hands them back: a packet
    written and read again serialises the same (rewriting a caption is idempotent)."""
    attrs = [element.attributes.item(i) for i in range(element.attributes.length)]
    decls = [a for a in attrs if a.name == "xmlns" or a.name.startswith("xmlns:")]
    ordered = decls + [a for a in attrs if a not in decls]
    if ordered == attrs:
        return
    for attr in attrs:
        element.removeAttributeNode(attr)
    for attr in ordered:
        element.setAttributeNode(attr)


def _set_properties(packet: bytes | None, values: dict[str, str],
                    mark: tuple[str, tuple[str, ...]] | None = None) -> bytes:
    doc = _parse(packet) if packet else None
    descs = doc.getElementsByTagNameNS(RDF, "Description") if doc is not None else []
    if doc is None or not descs:
        doc = defusedxml.minidom.parseString(_EMPTY)
        descs = doc.getElementsByTagNameNS(RDF, "Description")
    desc = descs[0]
    rdf = desc.prefix or "rdf"
    for name in values:
        for element in list(doc.getElementsByTagNameNS(DC, name)):
            element.parentNode.removeChild(element)
        for other in doc.getElementsByTagNameNS(RDF, "Description"):
            if other.hasAttributeNS(DC, name):
                other.removeAttributeNS(DC, name)
    dc = _dc_prefix(doc, desc)
    for name, text in values.items():
        prop = doc.createElementNS(DC, f"{dc}:{name}")
        alt = doc.createElementNS(RDF, f"{rdf}:Alt")
        li = doc.createElementNS(RDF, f"{rdf}:li")
        li.setAttributeNS(XML, "xml:lang", "x-default")
        li.appendChild(doc.createTextNode(text))
        alt.appendChild(li)
        prop.appendChild(alt)
        desc.appendChild(prop)
    _set_mark(doc, desc, mark)
    _declarations_first(desc)
    return (_PACKET_BEGIN + doc.documentElement.toxml() + _PACKET_END).encode("utf-8")
