"""Templates and ``archive-tool new``: shipped docx, filled placeholders, numbering, lint, PDF."""
import io
import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from archive_tool.cli import main
from archive_tool.config import load_config
from archive_tool.documents import KINDS, find_indicator, new_document, report_lengths
from archive_tool.templates import template_bytes
from archive_tool.errors import UsageError
from archive_tool.extract import extract
from archive_tool.undo import UndoLog

from ..conftest import needs_soffice, new_archive, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEAF = "I-1 思想政治建设/II-1 加强学习"
TREE = {
    "id": "demo-2018", "title": "演示", "window": {"start": "2018-01-01", "end": "2018-12-31"},
    "indicators": [
        {"id": "I-1", "name": "思想政治建设", "children": [
            {"id": "II-1", "name": "加强学习", "requirements": [
                {"text": "组织干部职工学习党的十九大精神。",
                 "note": "说明报告，400字左右；提供4张现场照片，每张图片需注明活动时间、主办单位、活动主题"},
                {"text": "严格落实“三会一课”制度。"}]},
            {"id": "II-2", "name": "理论宣讲"}]},
        {"id": "I-2", "name": "精神文明建设", "children": [
            {"id": "II-3", "name": "志愿服务"}]},
    ],
}


@pytest.fixture
def archive(tmp_path):
    return load_config(new_archive(tmp_path, TREE))


def parts(path_or_bytes) -> dict[str, bytes]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(source) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def xml_text(data: bytes) -> list[str]:
    return [t.text or "" for t in etree.fromstring(data).iter(f"{W}t")]


# ---- the templates ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(KINDS))
def test_template_is_a4_with_east_asian_fonts_and_right_aligned_name_footer(kind):
    members = parts(template_bytes(kind))
    doc = etree.fromstring(members["word/document.xml"])
    size = doc.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4 in twips
    fonts = {f.get(f"{W}eastAsia") for f in doc.iter(f"{W}rFonts")}
    assert {"仿宋", "宋体"} <= fonts
    styles = etree.fromstring(members["word/styles.xml"])
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    assert normal.find(f".//{W}rFonts").get(f"{W}eastAsia") == "仿宋"
    ref = doc.find(f".//{W}sectPr/{W}footerReference")
    assert ref.get(f"{W}type") == "default"
    footer = etree.fromstring(members["word/footer1.xml"])
    paragraphs = footer.findall(f"{W}p")
    assert len(paragraphs) == 1
    assert paragraphs[0].find(f"{W}pPr/{W}jc").get(f"{W}val") == "right"
    assert xml_text(members["word/footer1.xml"]) == ["{{name}}"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_placeholder_is_whole_inside_one_run(kind):
    members = parts(template_bytes(kind))
    for name in ("word/document.xml", "word/footer1.xml"):
        for text in xml_text(members[name]):
            if "{" in text or "}" in text:
                assert re.fullmatch(r"\{\{\w+\}\}", text), (name, text)


def test_shipped_templates_are_what_the_script_makes(tmp_path):
    from archive_tool.templates import make

    written = make.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{k}.docx" for k in KINDS)
    for path in written:
        assert path.read_bytes() == template_bytes(path.stem), \
            f"{path.name} is stale: run python -m archive_tool.templates.make and commit the result"


# ---- new -------------------------------------------------------------------------------------
def test_new_report_fills_name_title_unit_indicator_requirement_and_length(archive):
    path = new_document(archive, "report", "II-1", "党的十九大精神学习情况")
    assert path == archive.root / LEAF / "01：党的十九大精神学习情况说明报告.docx"
    got = extract(path)
    assert got.footers == ("01：党的十九大精神学习情况说明报告",)
    assert got.title == "01：党的十九大精神学习情况说明报告"
    text = got.text
    lo, hi = report_lengths(archive.tree.get("II-1"))[0]
    for wanted in ("党的十九大精神学习情况", "单位：临沂市环境保护局",
                   "指标：I-1 思想政治建设 / II-1 加强学习", "1. 组织干部职工学习党的十九大精神。",
                   "2. 严格落实“三会一课”制度。", f"{lo}–{hi} 字"):
        assert wanted in text
    for name, data in parts(path).items():
        assert b"{{" not in data, name
    # the two requirements stay on separate lines: one run, w:t w:br w:t
    doc = etree.fromstring(parts(path)["word/document.xml"])
    run = next(r for r in doc.iter(f"{W}r") if "1. 组织" in "".join(xml_text(etree.tostring(r))))
    assert run.find(f"{W}br") is not None


def test_new_record_and_signin(archive):
    record = new_document(archive, "record", "II-3", "六五环境日宣传")
    signin = new_document(archive, "signin", "II-3", "六五环境日宣传")
    assert [record.name, signin.name] == ["01：六五环境日宣传活动记录.docx", "02：六五环境日宣传签到表.docx"]
    record_text = extract(record).text
    for label in ("活动时间", "活动地点", "主办单位", "参加人员", "活动主题", "活动内容", "照片1"):
        assert label in record_text
    assert "六五环境日宣传活动记录" in record_text and "临沂市环境保护局" in record_text
    signin_text = extract(signin).text
    assert "六五环境日宣传签到表" in signin_text and "签名" in signin_text
    assert extract(signin).footers == ("02：六五环境日宣传签到表",)


def test_new_numbers_after_the_highest_number_of_the_folder(archive):
    """Numbers give the order documents came in: a gap (a file moved away) is not refilled."""
    folder = archive.root / LEAF
    for name in ("01：学习计划.docx", "03：学习照片.jpg", "~$临时.docx", "说明.txt"):
        (folder / name).write_bytes(b"x")
    assert new_document(archive, "report", "II-1", "学习情况").name == "04：学习情况说明报告.docx"
    assert new_document(archive, "report", "II-1", "学习情况").name == "05：学习情况说明报告.docx"


def test_new_drops_a_number_typed_into_the_theme(archive):
    (archive.root / LEAF / "01：学习计划.docx").write_bytes(b"x")
    path = new_document(archive, "record", "II-1", "05：读书会")
    assert path.name == "02：读书会活动记录.docx"
    lines = extract(path).text.splitlines()
    assert lines[0] == "读书会活动记录"  # the title names the kind
    assert lines[lines.index("活动主题") + 1] == "读书会"  # the 活动主题 is the theme as given


def test_new_refuses_a_name_too_long_for_windows_paths(archive):
    with pytest.raises(UsageError) as info:
        new_document(archive, "report", "II-1", "关于" * 20)
    assert "太长" in info.value.message and "以内" in info.value.hint
    assert not list((archive.root / LEAF).iterdir())


def test_new_accepts_the_folder_name_of_an_indicator(archive):
    assert find_indicator(archive.tree, "II-3 志愿服务").id == "II-3"


def test_new_cleans_the_theme_for_windows(archive):
    path = new_document(archive, "report", "II-1", "  学习/交流:经验  ")
    assert path.name == "01：学习／交流：经验说明报告.docx"
    path = new_document(archive, "report", "II-1", "交流:心得")
    assert path.name == "02：交流：心得.docx"  # 心得 already says report (evidence.kind_of)


def test_new_finds_a_renamed_or_moved_folder_by_its_id(archive):
    os.rename(archive.root / LEAF, archive.root / "I-1 思想政治建设" / "II-1 学习")
    path = new_document(archive, "record", "II-1", "读书会")
    assert path.parent == archive.root / "I-1 思想政治建设" / "II-1 学习"
    os.rename(path.parent, archive.root / "II-1 学习（移出）")
    path = new_document(archive, "record", "II-1", "读书会")
    assert path.parent == archive.root / "II-1 学习（移出）"
    assert path.name == "02：读书会活动记录.docx"


def test_new_creates_a_missing_folder_at_its_planned_place(archive):
    shutil.rmtree(archive.root / "I-2 精神文明建设")
    path = new_document(archive, "signin", "II-3", "志愿者培训")
    assert path == archive.root / "I-2 精神文明建设" / "II-3 志愿服务" / "01：志愿者培训签到表.docx"


def test_new_accepts_an_indicator_name_and_any_case(archive):
    assert find_indicator(archive.tree, "ii-1").id == "II-1"
    assert find_indicator(archive.tree, "志愿服务").id == "II-3"


def test_unknown_indicator_is_refused_with_the_closest_matches(archive):
    with pytest.raises(UsageError) as info:
        new_document(archive, "report", "II-9", "学习")
    assert "II-9" in info.value.message
    assert "II-1 加强学习" in info.value.hint
    with pytest.raises(UsageError) as info:
        new_document(archive, "report", "志愿", "学习")
    assert "II-3 志愿服务" in info.value.hint


def test_non_leaf_indicator_is_refused_with_its_leaves(archive):
    with pytest.raises(UsageError) as info:
        new_document(archive, "report", "I-1", "学习")
    assert "不是末级指标" in info.value.message
    assert "II-1 加强学习" in info.value.hint and "II-2 理论宣讲" in info.value.hint
    assert "II-3" not in info.value.hint
    assert not list((archive.root / LEAF).iterdir())


def test_empty_theme_and_unknown_kind_are_refused(archive):
    with pytest.raises(UsageError):
        new_document(archive, "report", "II-1", "  ")
    with pytest.raises(UsageError):
        new_document(archive, "minutes", "II-1", "学习")


def test_undo_removes_a_new_document(archive):
    path = new_document(archive, "report", "II-1", "学习情况")
    UndoLog(archive.root).undo_last()
    assert not path.exists()


def test_new_documents_pass_lint(archive):
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    made = [new_document(archive, "report", "II-1", "党的十九大精神学习情况"),
            new_document(archive, "record", "II-1", "读书会"),
            new_document(archive, "signin", "II-3", "志愿者培训")]
    report = lint(scan(archive.root))
    rels = {p.relative_to(archive.root).as_posix() for p in made}
    assert {ev.path for ev in report.result.evidence} >= rels
    kinds = {ev.path: ev.kind for ev in report.result.evidence}
    assert [kinds[p.relative_to(archive.root).as_posix()] for p in made] == \
        ["report", "record", "record"]
    # an unwritten 说明报告 is too short for its rule: the only finding, until it is written
    assert [(f.rule, f.path) for f in report.findings if f.path in rels] == \
        [("REPORT_LENGTH", made[0].relative_to(archive.root).as_posix())]


def test_template_hints_are_not_counted_as_the_report(archive):
    """The quoted requirement and the body hint are not the report: an unedited report from the
    template is far too short, whatever the length of the requirement it quotes."""
    import docx

    from archive_tool.lint import lint
    from archive_tool.scan import scan

    path = new_document(archive, "report", "II-1", "学习情况")
    got = extract(path)
    assert "材料要求：" in got.text and "完成后删除本段提示" in got.text
    # title, 单位：…, 指标：…, the signature and the date line: under 60 characters
    assert got.char_count < 60
    written = docx.Document(path)
    written.add_paragraph("我局组织干部职工认真学习党的十九大精神。" * 20)  # 20 x 20 characters
    written.save(path)
    assert extract(path).char_count == got.char_count + 400
    report = lint(scan(archive.root))
    assert not [f for f in report.findings if f.rule == "REPORT_LENGTH"]


# ---- the command -----------------------------------------------------------------------------
def test_cli_new_prints_the_path(archive, monkeypatch):
    runner = CliRunner()
    result = runner.invoke(main, ["new", "report", "II-1", "学习情况", "--root",
                                  str(archive.root)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{archive.root / LEAF / '01：学习情况说明报告.docx'}\n"
    monkeypatch.chdir(archive.root / LEAF)
    result = runner.invoke(main, ["new", "signin", "II-1", "学习会"])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()).name == "02：学习会签到表.docx"


def test_cli_new_unknown_and_non_leaf_indicators_exit_2(archive):
    runner = CliRunner()
    result = runner.invoke(main, ["new", "record", "II-7", "x", "--root", str(archive.root)])
    assert result.exit_code == 2
    assert "没有指标「II-7」" in result.output and "相近的指标" in result.output
    result = runner.invoke(main, ["new", "record", "I-2", "x", "--root", str(archive.root)])
    assert result.exit_code == 2
    assert "II-3 志愿服务" in result.output


def test_cli_new_outside_an_archive_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["new", "report", "II-1", "x", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "archive-tool init" in result.output


def test_help_texts_have_examples():
    runner = CliRunner()
    for args in (["new", "--help"], ["footer", "fix", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "示例" in result.output


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@needs_soffice
@pytest.mark.parametrize("kind", list(KINDS))
def test_libreoffice_pdf_shows_the_footer_name(archive, tmp_path, kind):
    path = new_document(archive, kind, "II-1", "党的十九大精神学习情况")
    text = pdf_text(path, tmp_path)
    assert squash(path.stem) in squash(text)
