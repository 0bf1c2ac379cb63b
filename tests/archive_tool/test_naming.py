"""File names NN：主题: parse and format (pure functions), and the name lint proposes."""
import unicodedata

import pytest

from archive_tool.naming import format_name, next_free, parse_name

from ..conftest import L1


@pytest.mark.parametrize("name, seq, theme, colon, problem", [
    ("03：六五环境日宣传.jpg", 3, "六五环境日宣传", "full", None),
    ("03:六五环境日宣传.jpg", 3, "六五环境日宣传", "ascii", None),
    ("０３：六五环境日宣传.jpg", 3, "六五环境日宣传", "full", None),
    ("3：六五.jpg", 3, "六五", "full", "not_two_digits"),
    ("003：六五.jpg", 3, "六五", "full", "not_two_digits"),
    ("100：第一百份.docx", 100, "第一百份", "full", None),
    ("03、六五.jpg", 3, "六五", None, "no_colon"),
    ("03 六五.jpg", 3, "六五", None, "no_colon"),
    ("03-六五.jpg", 3, "六五", None, "no_colon"),
    ("六五环境日.jpg", None, "六五环境日", None, "no_number"),
    ("03：.jpg", 3, "", "full", "empty_theme"),
    ("01：2018年（上半年）总结.docx", 1, "2018年（上半年）总结", "full", None),
])
def test_parse(name, seq, theme, colon, problem):
    parsed = parse_name(name)
    assert (parsed.seq, parsed.theme, parsed.colon, parsed.problem) == (seq, theme, colon, problem)


def test_full_width_punctuation_in_theme_is_kept():
    assert parse_name("02：学习（第一期）.docx").theme == "学习（第一期）"


def test_nfd_name_is_understood_and_suggested_in_nfc():
    name = unicodedata.normalize("NFD", "05：Café 活动.jpg")
    parsed = parse_name(name)
    assert parsed.seq == 5 and parsed.theme == "Café 活动"
    assert parsed.canonical == "05：Café 活动.jpg"


def test_format_replaces_windows_illegal_characters():
    assert format_name(4, 'a/b:c*d?e"f<g>h|i', ".docx") == "04：a／b：c＊d？e＂f＜g＞h｜i.docx"


@pytest.mark.parametrize("name, taken, expected", [
    ("03：六五环境日宣传.txt", set(), None),
    ("03:六五环境日宣传.txt", set(), "03：六五环境日宣传.txt"),
    ("3：六五.txt", set(), "03：六五.txt"),
    ("六五环境日.txt", {1, 2, 4}, "03：六五环境日.txt"),
    ("03、六五.txt", set(), "03：六五.txt"),
])
def test_the_name_lint_proposes(demo_archive, name, taken, expected):
    """What lint --fix renames to (the canonical name, the next free number)."""
    from archive_tool import Archive

    folder = demo_archive / L1
    for seq in taken:
        (folder / f"{seq:02d}：其他材料.txt").write_text("材料", encoding="utf-8")
    (folder / name).write_text("材料", encoding="utf-8")
    report = Archive.open(demo_archive).lint()
    proposed = {f.rename_to for f in report.about(f"{L1}/{name}") if f.rename_to}
    assert proposed == ({expected} if expected else set())


def test_next_free():
    assert next_free({1, 2, 3}) == 4 and next_free(set()) == 1 and next_free({2}) == 1
