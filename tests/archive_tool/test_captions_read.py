"""Reading captions from every place, in the documented order, from real files made by Pillow
(IPTC, which Pillow cannot write, is built as an APP13 Photoshop 3.0 / 8BIM resource here)."""
from __future__ import annotations

import io
import struct
import time
import zlib
from datetime import datetime

import pytest
from PIL import Image, PngImagePlugin

from archive_tool.captions import (CaptionReadError, RawCaption, match_sidecars, read_caption,
                                   read_exif_datetime, read_metadata)
from archive_tool.captions import xmp as xmp_module

CAPTION = "时间：2018年3月5日；主办单位：临沂市环境保护局；主题：学雷锋志愿服务"
EXIF_IFD = 0x8769


def _image() -> Image.Image:
    return Image.linear_gradient("L").convert("RGB").resize((64, 48))


def make_jpeg(path, exif: Image.Exif | None = None, xmp: bytes | None = None,
              app13: bytes | None = None):
    buf = io.BytesIO()
    kwargs = {}
    if exif is not None:
        kwargs["exif"] = exif
    if xmp is not None:
        kwargs["xmp"] = xmp
    _image().save(buf, "JPEG", **kwargs)
    data = buf.getvalue()
    if app13 is not None:  # after SOI and APP0 (JFIF)
        app0_end = 2 + 2 + struct.unpack(">H", data[4:6])[0]
        segment = b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13
        data = data[:app0_end] + segment + data[app0_end:]
    path.write_bytes(data)
    return path


def exif_with(**tags) -> Image.Exif:
    exif = Image.Exif()
    for key, value in tags.items():
        tag = int(key[1:], 16)
        if tag == 0x9286:
            exif.get_ifd(EXIF_IFD)[tag] = value
        else:
            exif[tag] = value
    return exif


def xp(text: str) -> bytes:
    return text.encode("utf-16-le") + b"\x00\x00"


def xmp_packet(description: str = "", title: str = "") -> bytes:
    values = {}
    if description:
        values["description"] = description
    if title:
        values["title"] = title
    return xmp_module.set_properties(None, values)


def iptc_app13(caption: bytes, utf8: bool) -> bytes:
    """An APP13 payload: Photoshop 3.0, one 8BIM resource 0x0404 holding IPTC datasets."""
    def dataset(record: int, number: int, value: bytes) -> bytes:
        return bytes([0x1C, record, number]) + struct.pack(">H", len(value)) + value
    iptc = b""
    if utf8:
        iptc += dataset(1, 90, b"\x1b%G")
    iptc += dataset(2, 0, b"\x00\x04") + dataset(2, 120, caption)
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = (b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"  # resource id, empty name
                + struct.pack(">I", len(iptc)) + iptc)
    return b"Photoshop 3.0\x00" + resource


# ---- each place ----------------------------------------------------------------------------
def test_xmp_description_then_title(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg", xmp=xmp_packet(CAPTION, "标题"))
    assert read_caption(path) == RawCaption(CAPTION, "xmp:dc:description")
    path = make_jpeg(tmp_path / "b.jpg", xmp=xmp_packet(title="只有标题"))
    assert read_caption(path) == RawCaption("只有标题", "xmp:dc:title")


@pytest.mark.parametrize("tag,name", [("x9C9C", "XPComment"), ("x9C9B", "XPTitle"),
                                      ("x9C9F", "XPSubject")])
def test_windows_xp_tags(tmp_path, tag, name):
    path = make_jpeg(tmp_path / "a.jpg", exif_with(**{tag: xp(CAPTION)}))
    assert read_caption(path) == RawCaption(CAPTION, f"exif:{name}")


def test_xp_tags_in_their_order(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg", exif_with(x9C9F=xp("主题"), x9C9B=xp("标题"),
                                                   x9C9C=xp("备注")))
    assert read_caption(path).source == "exif:XPComment"
    path = make_jpeg(tmp_path / "b.jpg", exif_with(x9C9F=xp("主题"), x9C9B=xp("标题")))
    assert read_caption(path) == RawCaption("标题", "exif:XPTitle")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_image_description_utf8_and_gb18030(tmp_path, encoding):
    path = make_jpeg(tmp_path / "a.jpg", exif_with(x010E=CAPTION.encode(encoding)))
    assert read_caption(path) == RawCaption(CAPTION, "exif:ImageDescription")


@pytest.mark.parametrize("value", [
    b"UNICODE\x00" + CAPTION.encode("utf-16-le"),
    b"ASCII\x00\x00\x00" + CAPTION.encode("utf-8"),
    b"ASCII\x00\x00\x00" + CAPTION.encode("gb18030"),
    b"\x00" * 8 + CAPTION.encode("utf-8"),
])
def test_user_comment_with_charset_prefix(tmp_path, value):
    path = make_jpeg(tmp_path / "a.jpg", exif_with(x9286=value))
    assert read_caption(path) == RawCaption(CAPTION, "exif:UserComment")


def test_camera_placeholder_is_no_caption(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg", exif_with(x010E=b"OLYMPUS DIGITAL CAMERA         "))
    assert read_caption(path) is None


@pytest.mark.parametrize("utf8,encoding", [(True, "utf-8"), (False, "gb18030"),
                                           (False, "utf-8")])
def test_iptc_caption_abstract(tmp_path, utf8, encoding):
    path = make_jpeg(tmp_path / "a.jpg", app13=iptc_app13(CAPTION.encode(encoding), utf8))
    assert read_caption(path) == RawCaption(CAPTION, "iptc:Caption-Abstract")


@pytest.mark.parametrize("key", ["Description", "Comment", "Title", "说明"])
def test_png_text_chunks(tmp_path, key):
    info = PngImagePlugin.PngInfo()
    # keywords are Latin-1 by the specification (Pillow refuses others); tools that write "说明"
    # put its UTF-8 bytes there
    info.add_itxt(key.encode("utf-8"), CAPTION)
    path = tmp_path / "a.png"
    _image().save(path, pnginfo=info)
    assert read_caption(path) == RawCaption(CAPTION, f"png:{key}")


def test_png_text_after_idat_is_read_without_decoding(tmp_path):
    """Pillow sees text after IDAT only when it decodes the image; the chunk walk finds it."""
    buf = io.BytesIO()
    _image().save(buf, "PNG")
    data = buf.getvalue()
    iend = data.rindex(b"IEND") - 4
    text = b"Description\x00" + CAPTION.encode("gb18030")  # tEXt as Chinese Windows tools write
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(
        ">I", zlib.crc32(b"tEXt" + text))
    path = tmp_path / "a.png"
    path.write_bytes(data[:iend] + chunk + data[iend:])
    assert read_caption(path) == RawCaption(CAPTION, "png:Description")


def test_png_xmp_itxt(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(CAPTION).decode("utf-8"))
    info.add_itxt("Description", "较低优先级")
    path = tmp_path / "a.png"
    _image().save(path, pnginfo=info)
    assert read_caption(path) == RawCaption(CAPTION, "xmp:dc:description")


@pytest.mark.parametrize("name", ["a.jpg.txt", "a.txt"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_sidecar_txt(tmp_path, name, encoding):
    path = make_jpeg(tmp_path / "a.jpg")
    (tmp_path / name).write_bytes((CAPTION + "\r\n").encode(encoding))
    assert read_caption(path) == RawCaption(CAPTION, f"sidecar:{name}")


def test_sidecar_xmp(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg")
    (tmp_path / "a.jpg.xmp").write_bytes(xmp_packet(CAPTION))
    assert read_caption(path) == RawCaption(CAPTION, "sidecar:a.jpg.xmp")


def test_sidecar_of_a_format_pillow_cannot_open(tmp_path):
    heic = tmp_path / "IMG_0001.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    assert read_caption(heic) is None
    (tmp_path / "IMG_0001.heic.txt").write_text(CAPTION, encoding="utf-8")
    assert read_caption(heic) == RawCaption(CAPTION, "sidecar:IMG_0001.heic.txt")
    assert read_exif_datetime(heic) is None


# ---- priority ------------------------------------------------------------------------------
def test_documented_priority(tmp_path):
    """Each place shadows the ones after it: remove the winner, the next one shows."""
    exif = exif_with(x9C9C=xp("XP备注"), x9C9B=xp("XP标题"), x9C9F=xp("XP主题"),
                     x010E="图像描述".encode("utf-8"),
                     x9286=b"UNICODE\x00" + "用户注释".encode("utf-16-le"))
    app13 = iptc_app13("IPTC说明".encode("utf-8"), True)
    path = make_jpeg(tmp_path / "a.jpg", exif, xmp_packet("XMP描述", "XMP标题"), app13)
    (tmp_path / "a.jpg.txt").write_text("旁注", encoding="utf-8")
    expected = [("XMP描述", "xmp:dc:description"), ("XMP标题", "xmp:dc:title"),
                ("XP备注", "exif:XPComment"), ("XP标题", "exif:XPTitle"),
                ("XP主题", "exif:XPSubject"), ("图像描述", "exif:ImageDescription"),
                ("用户注释", "exif:UserComment"), ("IPTC说明", "iptc:Caption-Abstract"),
                ("旁注", "sidecar:a.jpg.txt")]
    xmp_values = {"description": "XMP描述", "title": "XMP标题"}
    for text, source in expected:
        assert read_caption(path) == RawCaption(text, source)
        if source.startswith("xmp:"):
            xmp_values.pop(source.rsplit(":", 1)[1])
        elif source.startswith("exif:"):
            tag = {"XPComment": 0x9C9C, "XPTitle": 0x9C9B, "XPSubject": 0x9C9F,
                   "ImageDescription": 0x010E}.get(source[5:])
            if tag is None:
                del exif.get_ifd(EXIF_IFD)[0x9286]
            else:
                del exif[tag]
        elif source.startswith("iptc:"):
            app13 = None
        else:
            (tmp_path / "a.jpg.txt").unlink()
        make_jpeg(path, exif, xmp_packet(**xmp_values) if xmp_values else None, app13)
    assert read_caption(path) is None


def test_exif_datetime_original_then_datetime(tmp_path):
    exif = exif_with(x0132="2019:01:01 08:00:00")
    exif.get_ifd(EXIF_IFD)[0x9003] = "2018:03:05 10:20:30"
    path = make_jpeg(tmp_path / "a.jpg", exif)
    assert read_exif_datetime(path) == datetime(2018, 3, 5, 10, 20, 30)
    path = make_jpeg(tmp_path / "b.jpg", exif_with(x0132="2019:01:01 08:00:00"))
    assert read_exif_datetime(path) == datetime(2019, 1, 1, 8, 0, 0)
    path = make_jpeg(tmp_path / "c.jpg", exif_with(x0132="0000:00:00 00:00:00"))
    assert read_exif_datetime(path) is None
    assert read_metadata(tmp_path / "a.jpg").exif_datetime == datetime(2018, 3, 5, 10, 20, 30)


# ---- files that cannot be read -------------------------------------------------------------
def _bomb_png(path):
    def chunk(ctype, data):
        return struct.pack(">I", len(data)) + ctype + data + struct.pack(
            ">I", zlib.crc32(ctype + data))
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("case,reason", [("empty", "empty"), ("garbage", "corrupt"),
                                         ("truncated", "truncated"), ("header_only", "corrupt"),
                                         ("bomb", "too_large"), ("png_truncated", "truncated")])
def test_unreadable_images_raise_caption_read_error_quickly(tmp_path, case, reason):
    good = make_jpeg(tmp_path / "good.jpg", exif_with(x9C9C=xp(CAPTION))).read_bytes()
    path = tmp_path / f"{case}.jpg"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "garbage":
        path.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10)
    elif case == "truncated":  # cut inside the entropy-coded data, as an interrupted copy does
        sos = good.index(b"\xff\xda")
        path.write_bytes(good[:(sos + len(good)) // 2])
    elif case == "header_only":
        path.write_bytes(good[:20])
    elif case == "bomb":
        path = _bomb_png(tmp_path / "bomb.png")
    else:
        buf = io.BytesIO()
        _image().save(buf, "PNG")
        path = tmp_path / "cut.png"
        path.write_bytes(buf.getvalue()[:-30])
    for reader in (read_caption, read_exif_datetime):
        started = time.perf_counter()
        with pytest.raises(CaptionReadError) as info:
            reader(path)
        assert time.perf_counter() - started < 1.0
        assert info.value.reason == reason
        assert info.value.message and info.value.hint


def test_hostile_xmp_is_ignored(tmp_path):
    deep = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</x:xmpmeta>"
    entities = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
                b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>&a;</x:xmpmeta>")
    for i, packet in enumerate((deep, entities)):
        path = make_jpeg(tmp_path / f"{i}.jpg", exif_with(x9C9C=xp(CAPTION)), xmp=packet)
        assert read_caption(path) == RawCaption(CAPTION, "exif:XPComment")


def test_corrupt_exif_block_hides_only_the_exif_sources(tmp_path):
    path = make_jpeg(tmp_path / "a.jpg")
    data = path.read_bytes()
    broken = b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xf0garbage"
    segment = b"\xff\xe1" + struct.pack(">H", len(broken) + 2) + broken
    path.write_bytes(data[:2] + segment + data[2:])
    (tmp_path / "a.jpg.txt").write_text(CAPTION, encoding="utf-8")
    assert read_caption(path) == RawCaption(CAPTION, "sidecar:a.jpg.txt")
    assert read_exif_datetime(path) is None


@pytest.mark.parametrize("image,sidecar", [("a.JPG", "a.JPG.TXT"), ("a.JPG", "a.jpg.txt"),
                                           ("a.jpg", "A.TXT"), ("a.jpg", "a.jpg.XMP")])
def test_sidecar_names_are_matched_whatever_their_case(tmp_path, image, sidecar):
    path = make_jpeg(tmp_path / image)
    data = xmp_packet(CAPTION) if sidecar.lower().endswith(".xmp") else CAPTION.encode("utf-8")
    (tmp_path / sidecar).write_bytes(data)
    assert read_caption(path) == RawCaption(CAPTION, f"sidecar:{sidecar}")
    assert match_sidecars(image, ["b.txt", sidecar, image]) == [sidecar]


@pytest.mark.parametrize("items,expected", [
    ([("x-default", "Volunteer day"), ("zh-CN", CAPTION)], CAPTION),
    ([("x-default", "Volunteer day"), ("zh-TW", "時間：2018年3月5日"), ("zh-CN", CAPTION)], CAPTION),
    ([("en-US", "Volunteer day"), ("x-default", CAPTION)], CAPTION),
    ([("en-US", "Volunteer"), ("de", CAPTION)], CAPTION),
])
def test_a_language_alternative_prefers_chinese(tmp_path, items, expected):
    lis = "".join(f'<rdf:li xml:lang="{lang}">{text}</rdf:li>' for lang, text in items)
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
              '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
              f'{lis}</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>')
    path = make_jpeg(tmp_path / "a.jpg", xmp=packet.encode("utf-8"))
    assert read_caption(path) == RawCaption(expected, "xmp:dc:description")
