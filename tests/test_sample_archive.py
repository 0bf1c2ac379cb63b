"""sample_archive/: lint lists exactly the planted problems; the gap report shows every status."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_tool.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_archive"


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample_archive",
                                                  REPO / "scripts" / "make_sample_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sample(tmp_path):
    """A copy of the committed sample (tests never write caches into the repository)."""
    dest = tmp_path / "sample_archive"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("state.sqlite*", "index",
                                                                 "undo*", "watch.log*"))
    return dest


def test_lint_lists_exactly_the_planted_problems(sample):
    res = CliRunner().invoke(main, ["lint", str(sample), "--format", "json"])
    assert res.exit_code == 1, res.output
    found = sorted((f["rule"], f["path"]) for f in json.loads(res.stdout)["findings"])
    assert found == sorted(_generator().PLANTED)


def test_every_finding_has_a_fix(sample):
    res = CliRunner().invoke(main, ["lint", str(sample), "--format", "json"])
    assert all(f["fix"] for f in json.loads(res.stdout)["findings"])


def test_the_gap_report_shows_every_status(sample):
    res = CliRunner().invoke(main, ["check", str(sample), "--as-of", "2018-10-15",
                                    "--format", "json"])
    assert res.exit_code == 1, res.output
    statuses = set()

    def visit(items):
        for item in items:
            if not item["children"]:
                statuses.add(item["status"])
            visit(item["children"])

    visit(json.loads(res.stdout)["indicators"])
    assert statuses == {"complete", "missing", "in_progress"}


def test_the_gap_report_looks_ahead_to_the_inspection_day(sample):
    """With an inspection day every period still short is what the inspectors will find; the
    fourth quarter, which ends after it, is judged on that day."""
    res = CliRunner().invoke(main, ["check", str(sample), "--as-of", "2018-10-15",
                                    "--inspection", "2018-11-30", "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["inspection"] == "2018-11-30"
    summary = data["summary"]
    assert summary["short"] == summary["assessed"] - summary["complete"]
    periods = [p for top in data["indicators"] for leaf in top["children"]
               for rule in leaf["rules"] for p in rule["periods"]]
    assert max(p["end"] for p in periods) == "2018-11-30"  # December is never inspected
    assert {p["end"] for p in periods if p["ends"] == "inspection"} == {"2018-11-30"}
    assert {p["label"] for p in periods if p["ends"] == "inspection"} >= {"2018Q4", "全期"}


def test_the_generator_reproduces_the_committed_sample(tmp_path):
    """The committed files are what the script makes (file names, sidecar texts, the tree copy).

    Only files are compared: git keeps no empty folders, so the indicator folders that hold no
    evidence exist after the generator (or ``archive-tool init``) runs, not in a clone.
    """
    dest = tmp_path / "regenerated"
    _generator().build(dest)

    def files(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if p.is_file() and ".archive" not in p.relative_to(root).parts)

    assert files(dest) == files(SAMPLE)
    for sidecar in (p for p in files(SAMPLE) if p.endswith(".txt")):
        assert (dest / sidecar).read_bytes() == (SAMPLE / sidecar).read_bytes(), sidecar
    for name in ("tree.yaml", "points.yaml", "points-ledger.jsonl"):
        assert (dest / ".archive" / name).read_text("utf-8") == \
            (SAMPLE / ".archive" / name).read_text("utf-8"), name


def test_the_points_report_shows_a_real_ranking(sample):
    res = CliRunner().invoke(main, ["points", "report", str(sample), "--quarter", "2018Q2",
                                    "--format", "json"])
    assert res.exit_code == 1, res.output  # one name on a sheet is not on the roster
    data = json.loads(res.stdout)
    assert data["honoured"] == ["人事科", "政策法规科", "机关党委"]
    ranking = {d["department"]: d for d in data["ranking"]}
    assert ranking["机关党委"]["points_rank"] == ranking["办公室"]["points_rank"] == 2
    assert ranking["规划与财务科"]["rank"] == 23 and ranking["规划与财务科"]["net"] == -2.5
    assert [(i["rule"], i["path"].rsplit("/", 1)[-1]) for i in data["issues"]] == [
        ("NAME_NOT_ON_ROSTER", "12：5月学雷锋志愿服务签到表.docx")]
