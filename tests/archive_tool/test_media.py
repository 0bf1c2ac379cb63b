"""Audio and video as evidence, on files made by a real encoder (ffmpeg from Debian's packages):
the recording date from the container in the archive's time zone, the duration, the caption
from the title tag or a sidecar, ``caption set`` writing the tags without touching the streams
(and undone), and av rules counting them."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner

from archive_tool.check import check
from archive_tool.cli import main
from archive_tool.export.catalog import build_catalogue
from archive_tool.lint import lint
from archive_tool.scan import scan

from ..conftest import new_archive

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None,
                                reason="ffmpeg not installed (apt-get install ffmpeg)")
TREE = """
id: av-2024
title: 音像资料
window: {start: 2024-01-01, end: 2024-12-31}
indicators:
  - id: II-9
    name: 宣传教育
    requirements:
      - 上传活动视频或录音资料，不少于3个
"""
CAPTION = "活动时间：2024年3月6日；主办单位：临沂市生态环境局；活动主题：学雷锋宣讲"


def ffmpeg(path, *args):
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args, str(path)], check=True)
    return path


def video(path, created="2024-03-04T17:30:00Z", title=None):
    meta = ["-metadata", f"creation_time={created}"]
    if title:
        meta += ["-metadata", f"title={title}"]
    return ffmpeg(path, "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-f", "lavfi",
                  "-i", "sine=frequency=440", "-t", "2", "-c:v", "libx264", "-pix_fmt",
                  "yuv420p", "-c:a", "aac", *meta)


def streams(path) -> str:
    """A hash of the decoded-free stream data (-c copy): the tags are not part of it."""
    return subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(path), "-map", "0", "-c",
                           "copy", "-f", "hash", "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def archive(tmp_path):
    root = new_archive(tmp_path, TREE, unit="临沂市生态环境局")
    folder = next(root.glob("II-9*"))
    # 17:30 UTC on 4 March is 01:30 on 5 March in Beijing: the evidence date is the 5th
    video(folder / "01：学雷锋志愿服务.mp4")
    ffmpeg(folder / "02：宣讲录音.m4a", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2",
           "-c:a", "aac", "-metadata", "creation_time=2024-06-01T02:00:00Z",
           "-metadata", f"title={CAPTION}")
    ffmpeg(folder / "03：座谈会录音.mp3", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2",
           "-c:a", "libmp3lame", "-id3v2_version", "3", "-metadata", "date=2024-07-08")
    ffmpeg(folder / "04：现场录音.wav", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1")
    (folder / "04：现场录音.wav.txt").write_text(
        "时间：2024年9月9日；主办单位：临沂市生态环境局；主题：现场录音", encoding="utf-8")
    # an AMR voice memo: the 6-byte magic and 12.2 kbit/s frames of silence (20 ms each)
    (folder / "05：录音_20241010_093000.amr").write_bytes(b"#!AMR\n" + (b"\x3c" + b"\0" * 31) * 100)
    return root


def records(root):
    return {ev.name: ev for ev in scan(root).evidence}


def test_dates_durations_and_captions_come_from_the_containers(archive):
    got = records(archive)
    mp4, m4a, mp3 = got["01：学雷锋志愿服务.mp4"], got["02：宣讲录音.m4a"], got["03：座谈会录音.mp3"]
    assert (mp4.kind, mp4.date, mp4.date_source) == ("av", date(2024, 3, 5), "media")
    assert mp4.duration == pytest.approx(2.0, abs=0.1)
    assert (m4a.date, m4a.date_source) == (date(2024, 3, 6), "caption")  # the title's 活动时间
    assert m4a.caption.organizer == "临沂市生态环境局" and m4a.caption.theme == "学雷锋宣讲"
    assert (mp3.date, mp3.date_source) == (date(2024, 7, 8), "media")  # ID3 recording date
    wav = got["04：现场录音.wav"]
    assert (wav.date, wav.date_source) == (date(2024, 9, 9), "caption")  # from its sidecar
    assert wav.caption.source == "sidecar:04：现场录音.wav.txt"
    amr = got["05：录音_20241010_093000.amr"]
    assert (amr.date, amr.date_source) == (date(2024, 10, 10), "name")
    assert amr.duration == pytest.approx(2.0, abs=0.1)
    assert not [f for f in lint(scan(archive)).findings if f.rule.startswith("CAPTION")]


def test_av_rules_count_them_and_the_catalogue_shows_durations(archive):
    from archive_tool import Archive

    result = scan(archive)
    report = check(result, lint(result), as_of=date(2024, 12, 31))
    rule = report.indicators[0].rules[0]
    assert (rule.kind, rule.found, rule.status) == ("av", 5, "complete")
    data, _ = Archive.open(archive).export.data(as_of=date(2024, 12, 31))
    entry = next(e for v in build_catalogue(data).volumes for e in v.entries
                 if e.path.endswith(".mp4"))
    assert entry.extent() == "2秒"


def test_caption_set_writes_the_tags_without_touching_the_streams_and_undo(archive):
    mp4 = next(archive.glob("II-9*")) / "01：学雷锋志愿服务.mp4"
    before_bytes, before_streams = mp4.read_bytes(), streams(mp4)
    res = CliRunner().invoke(main, ["caption", "set", str(mp4), "--time", "2024-03-05",
                                    "--theme", "学雷锋志愿服务"])
    assert res.exit_code == 0, res.output
    assert "标签" in res.stdout
    assert streams(mp4) == before_streams
    ev = records(archive)["01：学雷锋志愿服务.mp4"]
    assert ev.caption.source == "media:title" and ev.caption.complete
    assert ev.date_source == "caption"
    shown = CliRunner().invoke(main, ["caption", "show", str(mp4)])
    assert "学雷锋志愿服务" in shown.stdout
    assert CliRunner().invoke(main, ["undo", str(archive)]).exit_code == 0
    assert mp4.read_bytes() == before_bytes
    wav = mp4.with_name("04：现场录音.wav")  # a WAV takes no tags here: its sidecar is written
    res = CliRunner().invoke(main, ["caption", "set", str(wav), "--time", "2024-09-10",
                                    "--theme", "现场录音"])
    assert res.exit_code == 0 and "旁注文件" in res.stdout
