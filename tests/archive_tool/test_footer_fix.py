"""``footer fix``: the name goes into every footer that shows; the body part stays as it was."""
import io
import re
import unicodedata
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_SECTION

from archive_tool.cli import main
from archive_tool.extract import extract
from archive_tool.fix import fix_footer
from archive_tool.undo import UndoLog

from ..conftest import L1, needs_soffice, pdf_text

NAME = "01：创建领导小组文件"


@pytest.fixture
def folder(demo_archive):
    return demo_archive / L1


def root_of(folder):
    return folder.parent.parent


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def infos(path) -> list[tuple]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.compress_type, i.date_time) for i in zf.infolist()]


def save(document, path):
    document.save(path)
    return path


def body(document, *texts):
    for text in texts:
        document.add_paragraph(text)


def several_sections(path, footer=True):
    """Three sections; with ``footer`` each has its own footer holding a page-number text."""
    d = docx.Document()
    body(d, "第一节正文")
    for number in (2, 3):
        d.add_section(WD_SECTION.NEW_PAGE)
        body(d, f"第{number}节正文")
    if footer:
        for number, section in enumerate(d.sections, 1):
            section.footer.is_linked_to_previous = False
            section.footer.paragraphs[0].text = f"第 {number} 节页脚"
    return save(d, path)


def first_page_different(path, first_footer=True):
    d = docx.Document()
    body(d, "正文")
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.footer.paragraphs[0].text = "页码"
    if first_footer:
        section.first_page_footer.paragraphs[0].text = "首页页脚"
    return save(d, path)


def footers_hold_name(path, name=NAME):
    texts = extract(path).footers
    return texts and all(name in "".join(t.split()) for t in texts)


def test_several_sections_each_footer_gets_the_name_body_byte_identical(folder):
    path = several_sections(folder / f"{NAME}.docx")
    before, before_bytes = members(path), path.read_bytes()
    result = fix_footer(root_of(folder), [path])
    assert [f.path for f in result.fixed] == [path] and not result.failed
    assert len(result.fixed[0].edited) == 3 and result.fixed[0].added == ()
    after = members(path)
    assert after["word/document.xml"] == before["word/document.xml"]
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"word/footer1.xml", "word/footer2.xml", "word/footer3.xml"}
    assert set(after) == set(before)
    assert len(extract(path).footers) == 3 and footers_hold_name(path)
    assert all(f"第 {n} 节页脚" in extract(path).footers[n - 1] for n in (1, 2, 3))
    # the name paragraph is right-aligned
    assert b'<w:jc w:val="right"/>' in after["word/footer2.xml"]
    UndoLog(root_of(folder)).undo_last()
    assert path.read_bytes() == before_bytes


def test_members_keep_order_compression_and_dates(folder):
    path = several_sections(folder / f"{NAME}.docx")
    before = infos(path)
    fix_footer(root_of(folder), [path])
    assert infos(path) == before


def test_different_first_page_footer_both_get_the_name(folder):
    path = first_page_different(folder / f"{NAME}.docx")
    before, before_bytes = members(path), path.read_bytes()
    result = fix_footer(root_of(folder), [path])
    assert len(result.fixed[0].edited) == 2
    after = members(path)
    assert after["word/document.xml"] == before["word/document.xml"]
    texts = extract(path).footers
    assert len(texts) == 2 and footers_hold_name(path)
    assert any("首页页脚" in t for t in texts) and any("页码" in t for t in texts)
    UndoLog(root_of(folder)).undo_last()
    assert path.read_bytes() == before_bytes


def test_title_page_without_a_first_footer_gets_one(folder):
    path = first_page_different(folder / f"{NAME}.docx", first_footer=False)
    before = members(path)
    assert len(extract(path).footers) == 1
    result = fix_footer(root_of(folder), [path])
    fixed = result.fixed[0]
    assert len(fixed.edited) == 1 and len(fixed.added) == 1 and "首页页脚" in fixed.added[0]
    assert len(extract(path).footers) == 2 and footers_hold_name(path)
    assert_only_references_inserted(before["word/document.xml"],
                                    members(path)["word/document.xml"], 1)


def assert_only_references_inserted(before: bytes, after: bytes, count: int):
    """document.xml differs only by ``count`` inserted footerReference elements."""
    inserted = re.findall(rb'<w:footerReference w:type="\w+" r:id="rId\d+"/>', after)
    assert len(inserted) - len(re.findall(rb"<w:footerReference", before)) == count
    stripped = after
    for ref in set(inserted):
        if ref not in before:
            stripped = stripped.replace(ref, b"")
    assert stripped == before


def test_no_footer_at_all_adds_one_part_and_only_the_references(folder):
    path = several_sections(folder / f"{NAME}.docx", footer=False)
    before, before_bytes = members(path), path.read_bytes()
    assert extract(path).footers == ()
    result = fix_footer(root_of(folder), [path])
    fixed = result.fixed[0]
    assert fixed.edited == () and len(fixed.added) == 1
    after = members(path)
    # one reference, in the first section; the later ones inherit it
    assert_only_references_inserted(before["word/document.xml"], after["word/document.xml"], 1)
    assert extract(path).footers == (NAME,)
    new = set(after) - set(before)
    assert new == {"word/footer1.xml"}
    assert b"word/footer1.xml" in after["[Content_Types].xml"]
    assert b"footer1.xml" in after["word/_rels/document.xml.rels"]
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
    UndoLog(root_of(folder)).undo_last()
    assert path.read_bytes() == before_bytes


def test_even_and_odd_pages(folder):
    d = docx.Document()
    body(d, "正文")
    d.settings.odd_and_even_pages_header_footer = True
    d.sections[0].footer.paragraphs[0].text = "奇数页"
    path = save(d, folder / f"{NAME}.docx")
    result = fix_footer(root_of(folder), [path])
    fixed = result.fixed[0]
    assert len(fixed.edited) == 1 and len(fixed.added) == 1 and "偶数页" in fixed.added[0]
    assert len(extract(path).footers) == 2 and footers_hold_name(path)


def rewrite(path, member, change):
    data = members(path)
    data[member] = change(data[member])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    path.write_bytes(buf.getvalue())


_FINAL_SECTPR = re.compile(rb"<w:sectPr\b[^>]*>(?:(?!</w:sectPr>).)*</w:sectPr>(?=</w:body>)", re.S)


def one_section(path):
    d = docx.Document()
    body(d, "正文")
    return save(d, path)


def test_self_closing_sectpr_becomes_an_element_holding_the_reference(folder):
    path = one_section(folder / "01：甲.docx")
    rewrite(path, "word/document.xml", lambda x: _FINAL_SECTPR.sub(b"<w:sectPr/>", x))
    before = members(path)["word/document.xml"]
    result = fix_footer(root_of(folder), [path])
    assert len(result.fixed) == 1, result.failed
    assert extract(path).footers == ("01：甲",)
    after = members(path)["word/document.xml"]
    ref = re.search(rb'<w:footerReference w:type="default" r:id="rId\d+"/>', after).group()
    assert after == before.replace(b"<w:sectPr/>", b"<w:sectPr>" + ref + b"</w:sectPr>")


def test_body_without_sectpr_gets_one_before_the_body_end(folder):
    path = one_section(folder / "02：乙.docx")
    rewrite(path, "word/document.xml", lambda x: _FINAL_SECTPR.sub(b"", x))
    before = members(path)["word/document.xml"]
    assert b"sectPr" not in before
    result = fix_footer(root_of(folder), [path])
    assert len(result.fixed) == 1, result.failed
    assert extract(path).footers == ("02：乙",)
    after = members(path)["word/document.xml"]
    ref = re.search(rb'<w:footerReference w:type="default" r:id="rId\d+"/>', after).group()
    assert after == before.replace(b"</w:body>", b"<w:sectPr>" + ref + b"</w:sectPr></w:body>")


def test_footer_holding_the_name_or_the_theme_is_left_alone(folder):
    d = docx.Document()
    body(d, "正文")
    d.sections[0].footer.paragraphs[0].text = "０１：创建领导小组 文件"  # full-width digits, a space
    path = save(d, folder / f"{NAME}.docx")
    d.sections[0].footer.paragraphs[0].text = "创建领导小组文件"
    theme = save(d, folder / "02：创建领导小组文件.docx")
    before = path.read_bytes(), theme.read_bytes()
    result = fix_footer(root_of(folder), [path, theme])
    assert result.unchanged == [path, theme] and not result.fixed
    assert (path.read_bytes(), theme.read_bytes()) == before
    assert not (root_of(folder) / ".archive" / "undo.log").exists()


def test_a_shared_footer_is_edited_once(folder):
    d = docx.Document()
    body(d, "正文")
    d.sections[0].footer.paragraphs[0].text = "页码"
    d.add_section(WD_SECTION.NEW_PAGE)  # linked to the previous footer: the same part
    path = save(d, folder / f"{NAME}.docx")
    result = fix_footer(root_of(folder), [path])
    assert result.fixed[0].edited == ("word/footer1.xml",)
    footer = members(path)["word/footer1.xml"].decode("utf-8")
    assert footer.count(NAME) == 1


def test_legacy_and_other_files_are_refused_the_rest_done(folder):
    legacy = folder / "02：旧文件.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    pdf = folder / "03：扫描件.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    broken = folder / "04：坏文件.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    good = several_sections(folder / f"{NAME}.docx")
    result = fix_footer(root_of(folder), [legacy, pdf, broken, good])
    assert [f.path for f in result.fixed] == [good]
    failed = {p.name: e for p, e in result.failed}
    assert set(failed) == {legacy.name, pdf.name, broken.name}
    assert "另存为 .docx" in failed[legacy.name].hint
    assert legacy.read_bytes().startswith(b"\xd0\xcf")


def test_files_outside_the_archive_are_refused(folder, tmp_path):
    outside = several_sections(tmp_path / f"{NAME}.docx")
    before = outside.read_bytes()
    result = fix_footer(root_of(folder), [outside])
    assert [p for p, _ in result.failed] == [outside]
    assert outside.read_bytes() == before


def test_a_link_leading_out_of_the_archive_is_not_followed(folder, tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    outside = several_sections(elsewhere / f"{NAME}.docx")
    before = outside.read_bytes()
    (folder / "05：链接").symlink_to(elsewhere, target_is_directory=True)
    result = fix_footer(root_of(folder), [folder / "05：链接" / outside.name])
    ((_, error),) = result.failed
    assert "符号链接" in error.message and not result.fixed
    assert outside.read_bytes() == before


def test_cli_footer_fix(folder):
    good = several_sections(folder / f"{NAME}.docx")
    done = first_page_different(folder / "02：已有.docx")
    fix_footer(root_of(folder), [done])
    runner = CliRunner()
    result = runner.invoke(main, ["footer", "fix", str(good), str(done)])
    assert result.exit_code == 0, result.output
    assert f"已插入页脚：{good}（3 处页脚）" in result.output
    assert f"已有页脚，未修改：{done}" in result.output
    assert "archive-tool undo" in result.output
    legacy = folder / "03：旧.wps"
    legacy.write_bytes(b"x")
    result = runner.invoke(main, ["footer", "fix", str(legacy)])
    assert result.exit_code == 2
    assert "旧格式" in result.output and "另存为 .docx" in result.output


def test_lint_footer_missing_names_the_command_and_is_gone_after(folder):
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    path = several_sections(folder / f"{NAME}.docx", footer=False)
    root = root_of(folder)
    findings = [f for f in lint(scan(root)).findings if f.rule == "FOOTER_MISSING"]
    assert len(findings) == 1 and "archive-tool footer fix" in findings[0].fix
    fix_footer(root, [path])
    assert [f for f in lint(scan(root)).findings if f.rule == "FOOTER_MISSING"] == []


@pytest.mark.parametrize("hidden", ["moveFrom", "del"])
def test_a_name_that_does_not_show_is_missing_for_lint_and_footer_fix_alike(folder, hidden):
    """The name in a footer's moved-away (or deleted) run of tracked changes does not show:
    lint says FOOTER_MISSING and footer fix adds it (it used to answer "已有页脚，未修改")."""
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    d = docx.Document()
    body(d, "正文")
    d.sections[0].footer.paragraphs[0].text = "页码"
    path = save(d, folder / f"{NAME}.docx")
    parts = members(path)
    tag = "w:delText" if hidden == "del" else "w:t"
    tracked = (f'<w:{hidden} w:id="1" w:author="张三" w:date="2018-03-01T00:00:00Z"><w:r>'
               f'<{tag}>{NAME}</{tag}></w:r></w:{hidden}>').encode("utf-8")
    footer = parts["word/footer1.xml"].replace(b"</w:p>", tracked + b"</w:p>", 1)
    assert footer != parts["word/footer1.xml"]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in {**parts, "word/footer1.xml": footer}.items():
            zf.writestr(name, data)
    root = root_of(folder)

    def missing():
        return [f.path for f in lint(scan(root)).findings if f.rule == "FOOTER_MISSING"]

    assert missing() == [path.relative_to(root).as_posix()]
    result = fix_footer(root, [path])
    assert [f.path for f in result.fixed] == [path] and result.unchanged == []
    assert missing() == []


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@needs_soffice
@pytest.mark.parametrize("make, pages", [
    (lambda path: several_sections(path, footer=False), 3),  # one page per section
    (lambda path: first_page_different(path, first_footer=False), 1),  # the title page's footer
])
def test_libreoffice_shows_an_added_footer(folder, tmp_path, make, pages):
    path = make(folder / f"{NAME}.docx")
    fix_footer(root_of(folder), [path])
    text = pdf_text(path, tmp_path)
    assert squash(text).count(squash(NAME)) == pages


def test_an_empty_footer_paragraph_is_replaced_keeping_its_style(folder):
    d = docx.Document()
    body(d, "正文")
    d.sections[0].footer.is_linked_to_previous = False  # a footer part with one empty paragraph
    path = save(d, folder / f"{NAME}.docx")
    fix_footer(root_of(folder), [path])
    footer = members(path)["word/footer1.xml"].decode("utf-8")
    assert footer.count("<w:p>") + footer.count("<w:p ") == 1
    assert '<w:pStyle w:val="Footer"/><w:jc w:val="right"/>' in footer
    assert extract(path).footers == (NAME,)
