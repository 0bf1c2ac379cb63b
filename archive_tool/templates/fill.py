"""Filling a template: every ``{{key}}`` replaced, part by part with lxml, so nothing else of the
template changes; the core properties dated now (the package copied by
:func:`archive_tool.word.package.rewrite`)."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

from lxml import etree

from ..word.package import parse_xml, rewrite, serialize

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DCTERMS = "http://purl.org/dc/terms/"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _replace(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _fill_part(data: bytes, values: dict[str, str], now: str | None) -> bytes:
    root = parse_xml(data, editable=True)
    w_t, w_br = f"{{{_W}}}t", f"{{{_W}}}br"
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if now and el.tag in (f"{{{_DCTERMS}}}created", f"{{{_DCTERMS}}}modified"):
            el.text = now
        if el.tag == f"{{{_CP}}}revision":
            el.text = "1"
        if not el.text or "{{" not in el.text:
            continue
        text = _replace(el.text, values)
        if el.tag != w_t:
            el.text = " ".join(text.split("\n"))
            continue
        # a multi-line value: w:t, w:br, w:t … inside the same run
        first, *rest = text.split("\n")
        el.text = first
        el.set(_XML_SPACE, "preserve")
        anchor = el
        for line in rest:
            br = etree.Element(w_br)
            t = etree.Element(w_t)
            t.text = line
            t.set(_XML_SPACE, "preserve")
            anchor.addnext(br)
            br.addnext(t)
            anchor = t
    return serialize(root)


def fill_template(template: bytes, values: dict[str, str]) -> bytes:
    """The template with every ``{{key}}`` replaced and the core properties dated now."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fill(info, data: bytes) -> bytes:
        core = info.filename == "docProps/core.xml"
        if info.filename.endswith(".xml") and (b"{{" in data or core):
            return _fill_part(data, values, now if core else None)
        return data

    out = io.BytesIO()
    rewrite(io.BytesIO(template), out, fill, stamp=datetime.now().timetuple()[:6], deflate=True)
    return out.getvalue()
