"""The stored ledger: hand entries, rows imported from the 综合组's xlsx, append-only corrections,
a line torn by a crash, the writers' lock."""
from __future__ import annotations

import json
import os
import time
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.errors import FileOperationError
from archive_tool.points import ledger as ledger_module
from archive_tool.points import load_points
from archive_tool.points.ledger import LedgerFile, collect, hand_entry

from .points_fixtures import leaf, points_archive


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def root(tmp_path):
    return points_archive(tmp_path)


def stored(root):
    path = root / ".archive" / "points-ledger.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def add(root, *args):
    res = run("points", "add", *args, "--root", root, "--format", "json", "--by", "刘妍")
    return res.exit_code, (json.loads(res.stdout) if res.exit_code == 0 else res.output)


def test_hand_entries_by_rank_level_and_count(root):
    assert add(root, "D3c", "--person", "郭富永", "--date", "2018-05-20")[1]["points"] == -5
    code, entry = add(root, "D3c", "--person", "汤浩", "--date", "2018-05-20")
    assert entry["points"] == -4 and entry["rank"] == "一般职工" and entry["department"] == "大气科"
    assert add(root, "D3c", "--person", "汤浩", "--rank", "科级以上领导干部")[1]["points"] == -5
    assert add(root, "A4", "--dept", "办公室", "--level", "二等奖")[1]["points"] == 2
    assert add(root, "A1-person", "--dept", "人事科", "--count", "3")[1]["points"] == 1.5
    assert [e["id"] for e in stored(root)] == ["L1", "L2", "L3", "L4", "L5"]
    assert stored(root)[0]["recorded_by"] == "刘妍" and stored(root)[0]["points"] == "-5"


@pytest.mark.parametrize("args, message", [
    (("D4a", "--person", "汤浩"), "没有职级「一般职工」"),
    (("A4", "--dept", "办公室"), "需要写明等级"),
    (("A2", "--person", "李明"), "用 --dept 写明"),
    (("A2", "--person", "张三"), "「张三」不在人员名册中"),
    (("A2", "--dept", "后勤科"), "科室单位「后勤科」不在名单中"),
    (("A2", "--person", "王峰", "--dept", "人事科"), "不是「人事科」"),
    (("A2",), "需要写明科室单位或人员"),
    (("Z9", "--dept", "办公室"), "积分规则「linyi-2018」中没有「Z9」"),
    (("A2", "--dept", "办公室", "--evidence", "/etc/hostname"), "不是档案"),
])
def test_hand_entries_refused(root, args, message):
    code, output = add(root, *args)
    assert code == 2 and message in output
    assert not (root / ".archive" / "points-ledger.jsonl").exists()


def test_namesakes_are_told_apart_by_department_and_evidence_is_relative(root):
    photo = leaf(root, "II-8") / "01：获奖证书.jpg"
    photo.write_bytes(b"jpeg")
    code, entry = add(root, "A2", "--person", "李明", "--dept", "大气科", "--evidence", photo)
    assert code == 0 and entry["department"] == "大气科"
    assert entry["evidence"] == photo.relative_to(root).as_posix()


def test_corrections_append_and_never_rewrite(root):
    add(root, "A2", "--dept", "办公室", "--date", "2018-06-01")
    before = (root / ".archive" / "points-ledger.jsonl").read_bytes()
    res = run("points", "correct", "l1", "--note", "记错", "--root", root)
    assert res.exit_code == 0 and "已更正 L2" in res.output
    after = (root / ".archive" / "points-ledger.jsonl").read_bytes()
    assert after.startswith(before)
    fix = stored(root)[1]
    assert fix["reverses"] == "L1" and fix["points"] == "-10" and fix["date"] == "2018-06-01"


def test_a_line_torn_by_a_crash_is_reported_and_the_next_entry_starts_a_new_line(root):
    add(root, "A2", "--dept", "办公室", "--date", "2018-06-01")
    path = root / ".archive" / "points-ledger.jsonl"
    with open(path, "ab") as fh:
        fh.write(b'{"id": "L2", "date": "2018-06-')
    add(root, "A3", "--dept", "人事科", "--date", "2018-06-02")
    setup = load_points(root)
    led = collect(setup, [])
    assert [e.id for e in led.entries] == ["L1", "L2"]
    assert [i.rule for i in led.issues] == ["LEDGER_LINE_BAD"]
    assert led.issues[0].message.startswith("第 2 行无法读取")
    res = run("points", "report", root, "--quarter", "2018Q2")
    assert res.exit_code == 1 and "LEDGER_LINE_BAD" in res.output


def test_a_held_lock_is_waited_for_and_a_stale_one_removed(root, monkeypatch):
    setup = load_points(root)
    ledger = LedgerFile(setup.ledger_path)
    entry = hand_entry(setup, "A2", department="办公室", day=date(2018, 6, 1))
    ledger.lock_path.write_text("")
    monkeypatch.setattr(ledger_module, "LOCK_WAIT", 0.2)
    with pytest.raises(FileOperationError, match="正被另一个程序写入"):
        ledger.append([entry])
    old = time.time() - 3600
    os.utime(ledger.lock_path, (old, old))
    assert [e.id for e in ledger.append([entry])] == ["L1"]
    assert not ledger.lock_path.exists()


def ledger_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2018年积分台账"
    ws.append(["序号", "日期", "科室（单位）", "姓名", "项目编号", "加扣分项目", "分值", "事由", "记录人"])
    for number, row in enumerate(rows, 1):
        ws.append([number, *row])
    wb.save(path)
    return path


ROWS = [
    (date(2018, 4, 20), "机关党委", None, "A2", None, 10, "市文明办认可道德讲堂", "曲丽娟"),
    ("2018年5月8日", None, "汤浩", "D3c", None, 4, "党内警告", "刘妍"),  # positive: a deduction
    ("2018-06-02", "办公室", None, None, "迎检材料整理", 2, "综合组加分", "刘妍"),
    ("2018-06-03", "规财科", None, None, None, 1, "", ""),  # not in the list
    ("六月", "办公室", None, "A3", None, None, "", ""),  # no date
]


def test_importing_the_xlsx_ledger_twice_adds_once(root, tmp_path):
    path = ledger_xlsx(tmp_path / "积分台账.xlsx", ROWS)
    res = run("points", "import", path, "--root", root, "--format", "json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    got = [(e["department"], e["person"], e["rule"], e["points"]) for e in data["added"]]
    assert got == [("机关党委", "", "A2", 10), ("大气科", "汤浩", "D3c", -4),
                   ("办公室", "", "", 2)]
    assert data["added"][2]["note"] == "综合组加分；迎检材料整理"
    skipped = sorted(i["message"].split("：", 1)[1][:8] for i in data["issues"])
    assert skipped == ["日期「六月」无法", "科室单位「规财科"]
    res = run("points", "import", path, "--root", root)
    assert "已导入 0 条，3 条以前已导入" in res.output
    ledger_xlsx(path, ROWS[1:3])
    res = run("points", "import", path, "--root", root, "--format", "json")
    assert res.exit_code == 0
    (removed,) = json.loads(res.stdout)["issues"]
    assert removed["rule"] == "IMPORT_ROW_REMOVED" and "points correct L1" in removed["fix"]


def test_an_entry_of_a_department_no_longer_listed(root):
    add(root, "A2", "--dept", "总工办", "--date", "2018-06-01")
    points = root / ".archive" / "points.yaml"
    text = points.read_text("utf-8").replace("  - {name: 总工办, size: 3}\n", "")
    points.write_text(text.replace("  - {name: 朱凤东, department: 总工办, rank: 科级以上}\n", ""),
                      encoding="utf-8")
    led = collect(load_points(root), [])
    assert not led.entries and led.issues[0].rule == "DEPT_UNKNOWN"
