"""Parsing captions into time, organizer and theme; dates in every form people write them."""
from __future__ import annotations

from datetime import date

import pytest

from archive_tool.captions import (Caption, find_date, format_caption, parse_caption,
                                   parse_date)

D = date(2018, 3, 5)


@pytest.mark.parametrize("text", [
    "2018年3月5日", "2018.3.5", "2018-03-05", "2018/3/5", "二〇一八年三月五日", "二零一八年三月五日",
    "２０１８年３月５日", "２０１８－０３－０５", "2018年03月05号", "20180305", "2018 年 3 月 5 日",
])
def test_date_forms(text):
    assert find_date(text) == D
    assert parse_date(text) == D


@pytest.mark.parametrize("text,expected", [
    ("二〇一八年十二月二十一日", date(2018, 12, 21)),
    ("二〇一九年十月三十一日", date(2019, 10, 31)),
    ("IMG_20190601_101010", date(2019, 6, 1)),
    ("2018年2月30日", None),  # impossible
    ("2018年3月", None),  # no day
    ("文件版本 2018.3", None),
    ("第1.2018.3.5号", None),
    ("", None),
])
def test_find_date_edge_cases(text, expected):
    assert find_date(text) == expected


def test_parse_date_wants_the_whole_text():
    assert parse_date(" 2018-3-5 ") == D
    assert parse_date("2018-3-5 学雷锋") is None
    assert parse_date("明天") is None


def test_labelled_caption():
    cap = parse_caption("时间：2018年3月5日；主办单位：临沂市环境保护局；主题：学雷锋志愿服务",
                        source="exif:XPComment")
    assert cap == Caption(text="时间：2018年3月5日；主办单位：临沂市环境保护局；主题：学雷锋志愿服务",
                          source="exif:XPComment", time=D, time_text="2018年3月5日",
                          organizer="临沂市环境保护局", theme="学雷锋志愿服务")
    assert cap.complete and cap.missing == ()


@pytest.mark.parametrize("text", [
    "活动时间:2018.3.5, 主办:临沂市环境保护局, 活动主题:学雷锋志愿服务",
    "日期：2018-03-05\n主办单位：临沂市环境保护局\n内容：学雷锋志愿服务",
    "活动主题：学雷锋志愿服务、承办单位：临沂市环境保护局、活动时间：2018/3/5",
    "时间︓2018年3月5日，组织单位：临沂市环境保护局，活动：学雷锋志愿服务",
    "说明：2018年3月5日 临沂市环境保护局 学雷锋志愿服务",
    "时间：2018年3月5日上午9:30；主办：临沂市环境保护局；地点：人民广场；主题：学雷锋志愿服务",
    "时间：２０１８年３月５日　主办单位：临沂市环境保护局　主题：学雷锋志愿服务",
])
def test_label_variants(text):
    cap = parse_caption(text)
    assert (cap.time, cap.organizer, cap.theme) == (D, "临沂市环境保护局", "学雷锋志愿服务")


def test_traditional_chinese_caption():
    cap = parse_caption("時間：2018年3月5日；主辦單位：臨沂市環境保護局；主題：學雷鋒志願服務")
    assert (cap.time, cap.organizer, cap.theme) == (D, "臨沂市環境保護局", "學雷鋒志願服務")
    cap = parse_caption("活動時間：二〇一八年三月五日，活動：學雷鋒志願服務")
    assert (cap.time, cap.organizer, cap.theme) == (D, "", "學雷鋒志願服務")
    assert cap.missing == ("organizer",)


def test_unlabelled_caption():
    cap = parse_caption("2020年6月5日 舟山市生态环境局 六五环境日主题宣传")
    assert (cap.time, cap.time_text) == (date(2020, 6, 5), "2020年6月5日")
    assert (cap.organizer, cap.theme) == ("舟山市生态环境局", "六五环境日主题宣传")
    assert cap.complete


@pytest.mark.parametrize("text,organizer,theme", [
    ("2018年3月5日，临沂市环境保护局在人民广场开展学雷锋志愿服务活动。", "临沂市环境保护局",
     "在人民广场开展学雷锋志愿服务活动"),
    ("二〇一八年三月五日 中共临沂市委宣传部 学习十九大精神报告会", "中共临沂市委宣传部",
     "学习十九大精神报告会"),
    ("2018.3.5 临沂市人民政府办公室组织志愿者到社区开展服务", "临沂市人民政府办公室",
     "组织志愿者到社区开展服务"),
    ("由兰山区金雀山街道沂州路社区居委会主办 重阳节敬老活动 2018/3/5",
     "兰山区金雀山街道沂州路社区居委会", "重阳节敬老活动"),
    ("2018-03-05 临沂市环保局（办公室） 志愿服务座谈会", "临沂市环保局（办公室）", "志愿服务座谈会"),
    ("2018年3月5日 学雷锋志愿服务 罗庄区盛庄街道办事处", "罗庄区盛庄街道办事处", "学雷锋志愿服务"),
])
def test_unlabelled_organizer_heuristic(text, organizer, theme):
    cap = parse_caption(text)
    assert (cap.time, cap.organizer, cap.theme) == (D, organizer, theme)


@pytest.mark.parametrize("theme", ["学雷锋志愿服务", "垃圾分类进社区", "文明城市创建推进会",
                                   "关爱留守儿童走进福利院", "送温暖到农村", "在三楼会议室召开座谈会"])
def test_themes_are_not_taken_for_organizers(theme):
    cap = parse_caption(f"2018年3月5日 {theme}")
    assert cap.organizer == ""
    assert cap.theme == theme
    assert cap.missing == ("organizer",)


def test_known_organizers_win_and_keep_their_spelling():
    cap = parse_caption("２０１８年３月５日 市文明办联合开展学雷锋志愿服务",
                        organizers=("临沂市环境保护局", "市文明办"))
    assert (cap.time, cap.organizer) == (D, "市文明办")
    assert cap.theme == "联合开展学雷锋志愿服务"
    # the earliest known name in the text wins
    cap = parse_caption("机关党委、市文明办 学雷锋", organizers=("市文明办", "机关党委"))
    assert cap.organizer == "机关党委"


def test_missing_parts_and_time_text_kept():
    cap = parse_caption("学雷锋志愿服务")
    assert cap.missing == ("time", "organizer")
    assert not cap.complete
    cap = parse_caption("时间：三月初；主办单位：临沂市环境保护局；主题：植树")
    assert cap.time is None and cap.time_text == "三月初"
    assert cap.missing == ("time",)
    cap = parse_caption("2018年3月 临沂市环境保护局 植树")
    assert (cap.time, cap.time_text, cap.theme) == (None, "2018年3月", "植树")


def test_canonical_caption_round_trips():
    text = format_caption(D, "临沂市环境保护局", "学雷锋志愿服务")
    assert text == "活动时间：2018年3月5日；主办单位：临沂市环境保护局；活动主题：学雷锋志愿服务"
    cap = parse_caption(text)
    assert (cap.time, cap.organizer, cap.theme) == (D, "临沂市环境保护局", "学雷锋志愿服务")


def test_a_month_alone_is_no_caption_time_but_dates_a_name():
    from archive_tool.captions import find_month

    assert parse_caption("时间：2018年3月；主办单位：临沂市环境保护局；主题：学雷锋").time is None
    assert find_date("2018年3月党组会议纪要") is None
    assert find_month("2018年3月党组会议纪要") == date(2018, 3, 1)
    assert find_month("2018年13月") is None and find_month("2018年3月5日") is None


W2018 = (date(2018, 1, 1), date(2018, 12, 31))


@pytest.mark.parametrize("text", ["3月5日 临沂市环境保护局 学雷锋",
                                  "时间：3月5日；主办单位：临沂市环境保护局；主题：学雷锋",
                                  "三月五日上午 临沂市环境保护局 学雷锋"])
def test_a_date_without_its_year_takes_the_window_year_and_stays_out_of_the_theme(text):
    known = ["临沂市环境保护局"]
    with_window = parse_caption(text, known, window=W2018)
    assert (with_window.time, with_window.organizer, with_window.theme) == \
        (D, "临沂市环境保护局", "学雷锋")
    alone = parse_caption(text, known)
    assert alone.time is None and alone.time_text.startswith(("3月5日", "三月五日"))
    assert alone.theme == "学雷锋" and alone.missing == ("time",)
    # a window of several years cannot tell which 3月5日
    assert parse_caption(text, known, window=(date(2017, 1, 1), date(2018, 12, 31))).time is None
    assert parse_caption(text, known, window=(date(2017, 7, 1), date(2018, 6, 30))).time == D


@pytest.mark.parametrize("text,theme", [
    ("临沂市环境保护局于2018年3月5日开展学雷锋志愿服务活动", "开展学雷锋志愿服务活动"),
    ("临沂市环境保护局在2018年3月5日举行学雷锋活动", "举行学雷锋活动"),
])
def test_a_linking_word_left_between_organizer_and_date_is_not_theme(text, theme):
    caption = parse_caption(text, ["临沂市环境保护局"])
    assert (caption.time, caption.theme) == (D, theme)
