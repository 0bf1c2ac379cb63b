"""Bounded work per file and per tree file: each bomb of issue 12 built here with the library
that makes such files (Pillow, zlib, pypdf, zipfile, PyYAML's own syntax), each command run in
a child process with a memory limit and a generous timeout (see :mod:`.limited`)."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from docx import Document
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from .limited import assert_bounded, run_limited
from .scan_fixtures import leaf, make_archive


@pytest.fixture
def root(tmp_path):
    return make_archive(tmp_path)


def _png(path, info=None, extra_chunks: bytes = b""):
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 30)).save(buf, "PNG", pnginfo=info)
    data = buf.getvalue()
    assert data.endswith(b"IEND\xaeB`\x82")
    path.write_bytes(data[:-12] + extra_chunks + data[-12:])  # extra chunks after IDAT
    return path


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + ctype + body
            + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF))


# ---- captions -----------------------------------------------------------------------------
def test_a_caption_of_a_million_and_a_half_characters_is_read_to_its_limit(root):
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Description", "活动时间：2018年3月5日；主办单位：临沂市环境保护局；主题：" + "a" * 1_500_000)
    photo = _png(leaf(root, "II-1") / "01：长说明.png", info)
    ran = run_limited("lint", root, "--format", "json")
    assert_bounded(ran)
    assert "CAPTION_TOO_LONG" in ran.stdout and "只读取了前 2000 字" in ran.stdout
    assert "CAPTION_NO_TIME" not in ran.stdout  # what was read still gives the three parts
    shown = run_limited("caption", "show", photo)
    assert shown.returncode == 0 and "只读取了前 2000 字" in shown.stdout


def test_a_caption_larger_than_the_text_budget_is_skipped_and_said(root):
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Description", "a" * 4_000_000)  # the "16 MB one never finishes"
    _png(leaf(root, "II-1") / "01：超长说明.png", info)
    ran = run_limited("lint", root, "--format", "json")
    assert_bounded(ran)
    assert "FILE_OVER_LIMIT" in ran.stdout and "PNG 文本块超过 2 MB" in ran.stdout


def test_two_thousand_compressed_text_chunks_after_the_image_data(root):
    one = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * (1 << 20), 9))
    _png(leaf(root, "II-1") / "01：文本块.png", extra_chunks=one * 2000)  # 2 GB inflated
    ran = run_limited("lint", root, "--format", "json", memory_mb=1024)
    assert_bounded(ran)
    assert "FILE_OVER_LIMIT" in ran.stdout and "其后的 1998 个文本块未读取" in ran.stdout


# ---- PDF ----------------------------------------------------------------------------------
def _pdf_bomb(path, pages=2000, megabytes=70):
    """``pages`` pages sharing one content stream that inflates to ``megabytes`` of text
    operators (a few hundred kilobytes on disk)."""
    writer = PdfWriter()
    payload = b"BT /F1 12 Tf 0 0 Td (a) Tj ET\n"
    stream = StreamObject()
    stream._data = zlib.compress(payload * (megabytes * (1 << 20) // len(payload)), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    content = writer._add_object(stream)
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    for _ in range(pages):
        page = writer.add_blank_page(200, 200)
        page[NameObject("/Contents")] = content
        page[NameObject("/Resources")] = resources
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_a_pdf_whose_pages_share_a_70_mb_stream_is_refused_as_too_large(root):
    bomb = _pdf_bomb(leaf(root, "II-1") / "01：简报.pdf")
    assert bomb.stat().st_size < 1 << 20
    ran = run_limited("lint", root, "--format", "json", timeout=120)
    assert_bounded(ran)
    assert "FILE_UNREADABLE" in ran.stdout
    assert "解压后超过 4 MB" in ran.stdout and "共 2000 页如此" in ran.stdout
    assert "已损坏" not in ran.stdout  # the true reason, not "damaged"


def test_a_pdf_with_one_oversized_page_keeps_the_text_of_the_others(root, tmp_path):
    from archive_tool.extract import extract

    from .scan_fixtures import pdf

    plain = pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=str(plain))
    bomb = PdfWriter(clone_from=str(_pdf_bomb(tmp_path / "bomb.pdf", pages=1, megabytes=8)))
    writer.add_page(bomb.pages[0])
    writer.add_page(PdfWriter(clone_from=str(plain)).pages[0])
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)
    got = extract(mixed)
    assert got.text and got.limits == ("第 2 页的内容解压后超过 4 MB，未读取",)


# ---- zip members ---------------------------------------------------------------------------
def test_a_docx_of_many_members_is_refused_before_its_directory_is_read(root, tmp_path):
    folder = leaf(root, "II-1")
    doc = Document()
    doc.add_paragraph("正文")
    doc.save(folder / "01：正常.docx")
    baseline = run_limited("lint", root, "--format", "json")
    assert_bounded(baseline)
    with zipfile.ZipFile(folder / "02：成员.docx", "w") as bomb:
        for number in range(150_000):  # zipfile would hold ~85 MB of ZipInfo for these
            bomb.writestr(f"{number:x}", b"")
    ran = run_limited("lint", root, "--format", "json")
    assert_bounded(ran)
    assert "压缩包内有 150000 个成员（上限 20000）" in ran.stdout
    assert ran.peak_mb <= baseline.peak_mb + 30, (ran.peak_mb, baseline.peak_mb)


def test_tree_import_refuses_a_table_of_many_members(tmp_path):
    table = tmp_path / "任务分解表.xlsx"
    with zipfile.ZipFile(table, "w") as bomb:
        for number in range(30_000):
            bomb.writestr(f"{number:x}", b"")
    ran = run_limited("tree", "import", table, "-o", tmp_path / "t.yaml")
    assert ran.returncode == 2 and "压缩包内有 30000 个成员（上限 20000）" in ran.stderr


# ---- tree files ----------------------------------------------------------------------------
HEAD = "id: t\ntitle: 测试\nwindow: {start: 2018-01-01, end: 2018-12-31}\nindicators:\n"


def test_a_billion_laughs_tree_is_refused_naming_the_line(tmp_path):
    text = HEAD + "  - &a {id: I-1, name: 学习}\n"
    for level in range(1, 10):  # 10**9 indicators once expanded, under 1 KB on disk
        text += (f"  - &{chr(97 + level)}\n    id: X-{level}\n    name: 层\n    children: ["
                 + ", ".join([f"*{chr(96 + level)}"] * 10) + "]\n")
    tree = tmp_path / "lol.yaml"
    tree.write_text(text, encoding="utf-8")
    assert tree.stat().st_size < 1024
    ran = run_limited("tree", "validate", tree, memory_mb=768)
    assert ran.returncode == 2, ran.stderr
    assert "lol.yaml" in ran.stderr and "展开别名后超过 100000 个节点" in ran.stderr
    assert "第 " in ran.stderr and "行" in ran.stderr


def test_four_hundred_levels_of_nesting_are_refused_not_a_recursion_error(tmp_path):
    text = HEAD + "".join("  " * i + f"  - id: A-{i}\n" + "  " * i + "    name: 层\n"
                          + "  " * i + "    children:\n" for i in range(400))
    tree = tmp_path / "deep.yaml"
    tree.write_text(text + "  " * 400 + "  - {id: Z, name: 底}\n", encoding="utf-8")
    ran = run_limited("tree", "validate", tree)
    assert ran.returncode == 2 and "嵌套超过 50 层" in ran.stderr
    assert "RecursionError" not in ran.stderr


def test_an_id_ending_in_a_dot_is_refused(tmp_path):
    from indicator_tree import TreeError, load_tree_text

    with pytest.raises(TreeError) as info:
        load_tree_text(HEAD + '  - {id: "1..", name: 学习}\n', "t.yaml")
    assert "1.." in str(info.value) and "点结尾" in str(info.value)
