"""Writing captions without re-encoding: the image data stays byte-identical, every other piece of
metadata stays, and the caption reads back from the places Windows and other tools look."""
from __future__ import annotations

import io
import os
import stat
import struct
from datetime import date

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin, TiffImagePlugin

from archive_tool.captions import RawCaption, read_caption, read_exif_datetime, write_caption
from archive_tool.captions import jpeg, png
from archive_tool.captions.text import decode_utf16le, tiff_ascii_bytes
from archive_tool.errors import FileOperationError, UsageError

D = date(2018, 3, 5)
TEXT = "活动时间：2018年3月5日；主办单位：临沂市环境保护局；活动主题：学雷锋志愿服务"
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKERNOTE = b"Nikon\x00\x02\x10\x00\x00MM\x00\x2a\x00\x00\x00\x08" + bytes(range(40))
THUMB_TAGS = (0x0201, 0x0202)


def _photo() -> Image.Image:
    gradient = Image.linear_gradient("L").resize((96, 64))
    return Image.merge("RGB", (gradient, gradient.rotate(90, expand=False),
                               Image.radial_gradient("L").resize((96, 64))))


def _with_thumbnail(tiff: bytes) -> bytes:
    """Add IFD1 (a JPEG thumbnail) to a TIFF block written by Pillow, as cameras do."""
    endian = "<" if tiff[:2] == b"II" else ">"
    (ifd0,) = struct.unpack(endian + "I", tiff[4:8])
    (count,) = struct.unpack(endian + "H", tiff[ifd0:ifd0 + 2])
    next_pos = ifd0 + 2 + 12 * count
    buf = io.BytesIO()
    _photo().resize((16, 12)).save(buf, "JPEG")
    thumb = buf.getvalue()
    ifd1_pos = len(tiff) + (len(tiff) & 1)
    thumb_pos = ifd1_pos + 2 + 2 * 12 + 4
    ifd1 = struct.pack(endian + "H", 2)
    ifd1 += struct.pack(endian + "HHII", 0x0201, 4, 1, thumb_pos)
    ifd1 += struct.pack(endian + "HHII", 0x0202, 4, 1, len(thumb))
    ifd1 += struct.pack(endian + "I", 0)
    out = bytearray(tiff + b"\x00" * (ifd1_pos - len(tiff)) + ifd1 + thumb)
    out[next_pos:next_pos + 4] = struct.pack(endian + "I", ifd1_pos)
    return bytes(out)


def camera_jpeg(path):
    """A JPEG like a camera's: EXIF with DateTimeOriginal, GPS, a MakerNote and a thumbnail, an ICC
    profile (APP2) and a comment (COM)."""
    exif = Image.Exif()
    exif[0x010F] = "NIKON CORPORATION"
    exif[0x0110] = "NIKON D750"
    exif.get_ifd(EXIF_IFD)[0x9003] = "2018:03:05 09:41:27"
    exif.get_ifd(EXIF_IFD)[0x927C] = MAKERNOTE
    exif.get_ifd(GPS_IFD)[1] = "N"
    exif.get_ifd(GPS_IFD)[2] = tuple(TiffImagePlugin.IFDRational(v, 1) for v in (35, 3, 0))
    tiff = _with_thumbnail(exif.tobytes()[6:])
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _photo().save(path, "JPEG", quality=87, exif=b"Exif\x00\x00" + tiff, icc_profile=icc,
                  comment=b"camera comment")
    return path


def _tiff_of(path) -> bytes:
    segments, _ = jpeg.split(path.read_bytes())
    return jpeg.exif_payload(segments)


def _thumbnail(path) -> bytes:
    with Image.open(path) as img:
        exif = img.getexif()
        ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
    start, length = ifd1[0x0201], ifd1[0x0202]
    return _tiff_of(path)[start:start + length]


# ---- JPEG ----------------------------------------------------------------------------------
def test_jpeg_image_data_and_other_metadata_untouched(tmp_path):
    path = camera_jpeg(tmp_path / "DSC_0001.jpg")
    before = path.read_bytes()
    with Image.open(path) as img:
        pixels, icc = img.tobytes(), img.info["icc_profile"]
    thumbnail = _thumbnail(path)
    assert thumbnail.startswith(b"\xff\xd8")

    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert (result.path, result.method, result.text, result.places) == (
        path, "jpeg", TEXT, ("xmp", "exif"))
    after = path.read_bytes()

    # from SOS to EOI (and beyond) every byte is the same; so are all non-APP segments
    old_segments, old_sos = jpeg.split(before)
    new_segments, new_sos = jpeg.split(after)
    assert after[new_sos:] == before[old_sos:]
    assert [s.raw for s in new_segments if not 0xE0 <= s.marker <= 0xEF] == \
           [s.raw for s in old_segments if not 0xE0 <= s.marker <= 0xEF]
    # APP0 (JFIF) first, the new EXIF and XMP next, then the ICC profile and the rest in order
    kinds = [("exif" if s.is_exif else "xmp" if s.is_xmp else hex(s.marker)) for s in new_segments]
    assert kinds[:4] == ["0xe0", "exif", "xmp", "0xe2"]
    assert [s.raw for s in new_segments if s.marker == 0xE2] == \
           [s.raw for s in old_segments if s.marker == 0xE2]
    with Image.open(path) as img:
        assert img.tobytes() == pixels
        assert img.info["icc_profile"] == icc
        assert img.info["comment"] == b"camera comment"
        exif = img.getexif()
        assert exif[0x010F] == "NIKON CORPORATION"
        assert exif.get_ifd(EXIF_IFD)[0x9003] == "2018:03:05 09:41:27"
        assert exif.get_ifd(EXIF_IFD)[0x927C] == MAKERNOTE
        assert exif.get_ifd(GPS_IFD)[1] == "N"
        assert decode_utf16le(exif[0x9C9C]) == TEXT  # Windows: 备注
        assert decode_utf16le(exif[0x9C9B]) == TEXT  # Windows: 标题
        assert tiff_ascii_bytes(exif[0x010E]).decode("utf-8") == TEXT
    # the thumbnail (IFD1) and the MakerNote stay at their offsets: nothing in the block moved
    assert _thumbnail(path) == thumbnail
    old_tiff, new_tiff = _tiff_of_bytes(before), _tiff_of(path)
    at = old_tiff.index(MAKERNOTE)
    assert new_tiff[at:at + len(MAKERNOTE)] == MAKERNOTE
    assert read_caption(path) == RawCaption(TEXT, "xmp:dc:description")
    assert read_exif_datetime(path).isoformat() == "2018-03-05T09:41:27"


def _tiff_of_bytes(data: bytes) -> bytes:
    segments, _ = jpeg.split(data)
    return jpeg.exif_payload(segments)


def test_jpeg_caption_readable_from_exif_alone(tmp_path):
    """Tools that ignore XMP see the caption in XPComment."""
    path = camera_jpeg(tmp_path / "a.jpg")
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    data = path.read_bytes()
    segments, sos = jpeg.split(data)
    without_xmp = jpeg.SOI + b"".join(s.raw for s in segments if not s.is_xmp) + data[sos:]
    path.write_bytes(without_xmp)
    assert read_caption(path) == RawCaption(TEXT, "exif:XPComment")


def test_rewriting_is_idempotent_and_does_not_grow(tmp_path):
    path = camera_jpeg(tmp_path / "a.jpg")
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    first = path.read_bytes()
    write_caption(path, "2018.3.6", "临沂市环境保护局", "学雷锋志愿服务")
    write_caption(path, "2018-03-05", "临沂市环境保护局", "学雷锋志愿服务")
    assert path.read_bytes() == first


def test_jpeg_without_exif_gets_one(tmp_path):
    path = tmp_path / "plain.jpg"
    _photo().save(path, "JPEG")
    before = path.read_bytes()
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    after = path.read_bytes()
    segments, sos = jpeg.split(after)
    assert [("exif" if s.is_exif else "xmp" if s.is_xmp else hex(s.marker))
            for s in segments][:3] == ["0xe0", "exif", "xmp"]
    assert after[sos:] == before[jpeg.split(before)[1]:]
    assert read_caption(path).text == TEXT


def test_existing_xmp_properties_are_kept(tmp_path):
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
              'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:CreateDate="2018-03-05T09:41:27">'
              '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">旧说明</rdf:li></rdf:Alt>'
              '</dc:description><dc:creator><rdf:Seq><rdf:li>张三</rdf:li></rdf:Seq></dc:creator>'
              '</rdf:Description></rdf:RDF></x:xmpmeta>').encode("utf-8")
    path = tmp_path / "a.jpg"
    _photo().save(path, "JPEG", xmp=packet)
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    with Image.open(path) as img:
        new_packet = img.info["xmp"].decode("utf-8")
    assert 'xmp:CreateDate="2018-03-05T09:41:27"' in new_packet
    assert "<rdf:li>张三</rdf:li>" in new_packet
    assert "旧说明" not in new_packet and new_packet.count("<dc:description>") == 1
    assert read_caption(path) == RawCaption(TEXT, "xmp:dc:description")


def test_damaged_exif_is_left_alone_and_xmp_carries_the_caption(tmp_path):
    path = tmp_path / "a.jpg"
    _photo().save(path, "JPEG")
    data = path.read_bytes()
    broken = b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xf0garbage"
    segment = b"\xff\xe1" + struct.pack(">H", len(broken) + 2) + broken
    path.write_bytes(data[:20] + segment + data[20:])
    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert result.places == ("xmp",)
    assert segment in path.read_bytes()
    assert read_caption(path).text == TEXT


def test_junk_between_segments_is_tolerated_and_kept(tmp_path):
    """Some writers leave bytes between segments; Pillow skips them, so do reading and writing."""
    path = tmp_path / "a.jpg"
    _photo().save(path, "JPEG")
    data = path.read_bytes()
    app0_end = 4 + struct.unpack(">H", data[4:6])[0]
    path.write_bytes(data[:app0_end] + b"\x00\x00junk" + data[app0_end:])
    assert read_caption(path) is None
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    after = path.read_bytes()
    assert b"\x00\x00junk\xff\xdb" in after
    assert read_caption(path).text == TEXT


def test_truncated_jpeg_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "a.jpg"
    _photo().save(path, "JPEG")
    cut = path.read_bytes()[:300]  # ends inside the header segments
    path.write_bytes(cut)
    with pytest.raises(FileOperationError):
        write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert path.read_bytes() == cut


# ---- PNG -----------------------------------------------------------------------------------
def test_png_chunks_copied_and_pixels_identical(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Snipaste")
    info.add_text("Description", "旧说明")
    path = tmp_path / "截图.png"
    _photo().save(path, "PNG", pnginfo=info, dpi=(144, 144))
    before = path.read_bytes()
    with Image.open(path) as img:
        pixels = img.tobytes()
    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert (result.method, result.places) == ("png", ("xmp", "png:Description"))
    after = path.read_bytes()
    old, new = png.chunks(before), png.chunks(after)
    assert [raw for t, raw in new if t == b"IDAT"] == [raw for t, raw in old if t == b"IDAT"]
    def others(chunks):
        return [raw for t, raw in chunks if t not in png.TEXT_TYPES
                or png.text_keyword(raw) not in ("Description", png.XMP_KEY)]
    assert others(new) == others(old)  # every other chunk verbatim, in order
    assert [png.text_keyword(raw) for t, raw in new if t in png.TEXT_TYPES].count(
        "Description") == 1
    types = [t for t, _ in new]
    assert types.index(b"iTXt") < types.index(b"IDAT")
    with Image.open(path) as img:
        img.verify()  # chunk CRCs
    with Image.open(path) as img:
        assert img.tobytes() == pixels
        assert img.info["Software"] == "Snipaste"
        assert img.info["Description"] == TEXT
    assert read_caption(path) == RawCaption(TEXT, "xmp:dc:description")
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert path.read_bytes() == after


# ---- other formats, files, errors ----------------------------------------------------------
@pytest.mark.parametrize("fmt,ext", [("GIF", ".gif"), ("BMP", ".bmp"), ("WEBP", ".webp"),
                                     ("TIFF", ".tif")])
def test_other_formats_get_a_sidecar(tmp_path, fmt, ext):
    path = tmp_path / f"01：学习会{ext}"
    _photo().save(path, fmt)
    before = path.read_bytes()
    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert result.method == "sidecar" and result.path == tmp_path / f"01：学习会{ext}.txt"
    assert path.read_bytes() == before
    assert result.path.read_bytes() == ("\ufeff" + TEXT + "\r\n").encode("utf-8")
    assert read_caption(path) == RawCaption(TEXT, f"sidecar:01：学习会{ext}.txt")


def test_mode_kept_no_temp_files_and_hook_sees_the_original(tmp_path):
    path = camera_jpeg(tmp_path / "a.jpg")
    os.chmod(path, 0o640)
    original = path.read_bytes()
    seen = []
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务",
                  before_write=lambda p: seen.append((p, p.read_bytes() == original)))
    assert seen == [(path, True)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jpg"]


def test_symbolic_link_is_written_through(tmp_path):
    target = camera_jpeg(tmp_path / "original.jpg")
    link = tmp_path / "link.jpg"
    link.symlink_to(target)
    result = write_caption(link, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert result.path == target and link.is_symlink()
    assert read_caption(link).text == TEXT


@pytest.mark.parametrize("when,organizer,theme", [("2018-13-01", "局", "主题"),
                                                  ("下周", "局", "主题"),
                                                  (D, " ", "主题"), (D, "局", "")])
def test_bad_values_are_usage_errors(tmp_path, when, organizer, theme):
    path = camera_jpeg(tmp_path / "a.jpg")
    before = path.read_bytes()
    with pytest.raises(UsageError):
        write_caption(path, when, organizer, theme)
    assert path.read_bytes() == before


# ---- the caption read back after other programs ---------------------------------------------
def _explorer_edit(path, text):
    """What Windows Explorer's 详细信息 › 备注 does to a JPEG: rewrite XPComment, nothing else."""
    from archive_tool.captions import exif

    data = path.read_bytes()
    segments, _ = jpeg.split(data)
    tiff = exif.set_ifd0_tags(jpeg.exif_payload(segments), {exif.XP_COMMENT: exif.xp_value(text)})
    path.write_bytes(jpeg.replace_metadata(data, tiff, jpeg.xmp_payload(segments)))


def test_an_explorer_edit_after_caption_set_wins_over_the_xmp(tmp_path):
    path = camera_jpeg(tmp_path / "a.jpg")
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    with Image.open(path) as img:  # XPSubject is written too (Explorer's 主题)
        assert decode_utf16le(img.getexif()[0x9C9F]) == TEXT
    corrected = "活动时间：2018年3月6日；主办单位：临沂市环境保护局；活动主题：学雷锋志愿服务"
    _explorer_edit(path, corrected)
    assert read_caption(path) == RawCaption(corrected, "exif:XPComment")
    # a later caption set marks its own XMP again: it wins
    write_caption(path, date(2018, 3, 7), "临沂市环境保护局", "学雷锋志愿服务")
    assert read_caption(path).source == "xmp:dc:description"
    assert "2018年3月7日" in read_caption(path).text


def test_xmp_edited_by_another_program_still_comes_first(tmp_path):
    from archive_tool.captions import xmp

    path = camera_jpeg(tmp_path / "a.jpg")
    write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    data = path.read_bytes()
    segments, _ = jpeg.split(data)
    packet = jpeg.xmp_payload(segments).replace("学雷锋志愿服务".encode(), "植树活动".encode(), 1)
    path.write_bytes(jpeg.replace_metadata(data, None, packet))
    assert xmp.written_mark(packet) is not None  # the mark is kept, the text no longer matches
    assert read_caption(path).source == "xmp:dc:description"
    assert "植树活动" in read_caption(path).text


def test_exif_too_large_is_said_and_its_stale_caption_not_read(tmp_path):
    exif = Image.Exif()
    exif[0x9C9C] = "旧说明".encode("utf-16-le") + b"\x00\x00"
    exif.get_ifd(EXIF_IFD)[0x927C] = b"\x00" * 65300  # the block nearly full
    path = tmp_path / "a.jpg"
    _photo().save(path, "JPEG", exif=exif)
    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert result.places == ("xmp",)
    assert len(result.warnings) == 1 and "64 KB" in result.warnings[0]
    assert read_caption(path) == RawCaption(TEXT, "xmp:dc:description")


@pytest.mark.parametrize("utf8", [True, False])
def test_a_stale_iptc_caption_is_replaced_or_removed(tmp_path, utf8):
    from PIL import IptcImagePlugin

    from .test_captions_read import iptc_app13, make_jpeg

    old = "旧的 IPTC 说明"
    path = make_jpeg(tmp_path / "a.jpg", app13=iptc_app13(
        old.encode("utf-8" if utf8 else "gb18030"), utf8))
    before = path.read_bytes()
    result = write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务")
    assert "iptc" in result.places
    with Image.open(path) as img:
        info = IptcImagePlugin.getiptcinfo(img)
    if utf8:
        assert info[(2, 120)] == TEXT.encode("utf-8")
    else:
        assert (2, 120) not in info
    assert info[(2, 0)] == b"\x00\x04"  # the other datasets are kept
    assert path.read_bytes()[jpeg.split(path.read_bytes())[1]:] == \
        before[jpeg.split(before)[1]:]  # image data untouched


@pytest.mark.parametrize("name", ["a.jpg", "a.gif"])
def test_a_read_only_file_is_refused(tmp_path, name):
    path = tmp_path / name
    _photo().save(path)
    if name.endswith(".gif"):  # the sidecar is what would be written
        sidecar = tmp_path / "a.gif.txt"
        sidecar.write_text("旧说明", encoding="utf-8")
        os.chmod(sidecar, 0o444)
    else:
        os.chmod(path, 0o444)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(FileOperationError, match="只读"):
        write_caption(path, D, "临沂市环境保护局", "学雷锋志愿服务",
                      before_write=lambda p: pytest.fail("nothing to back up"))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
