"""The verdict of an upload (does the file count, and why not), the fixes in the browser's
words, files gone from the disk, and audio/video in the page: through the test client, on
real files (Pillow photos with captions written by the library)."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile

from archive_tool.captions import write_caption

from .conftest import AS_OF, UNIT, folder, jpeg_bytes
from .test_views import PHOTO

#: the start of an MP4 file (an ``ftyp`` box), enough for the server, which never decodes it
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _upload(client, name: str, data: bytes, indicator: str = "II-1"):
    return client.post(f"/indicators/{indicator}/upload/",
                       {"files": [SimpleUploadedFile(name, data)]},
                       HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def _captioned(tmp_path, taken: date, when: str) -> bytes:
    photo = tmp_path / "带说明.jpg"
    photo.write_bytes(jpeg_bytes(taken))
    write_caption(photo, when, UNIT, "专题学习")
    return photo.read_bytes()


def test_a_captioned_photo_of_the_quarter_counts_at_once(client_for, tmp_path):
    page = _upload(client_for("owner"), "专题学习.jpg",
                   _captioned(tmp_path, AS_OF, "2018-05-10")).content.decode()
    assert "✓ 计入本指标" in page and "✗" not in page


def test_a_photo_outside_the_window_does_not_count_and_says_why(client_for, tmp_path):
    response = _upload(client_for("owner"), "旧照片.jpg",
                       _captioned(tmp_path, date(2017, 3, 1), "2017-03-01"))
    page = response.content.decode()
    assert response.status_code == 200  # stored: the verdict is what is wrong with it
    assert "✗ 不计入本指标" in page and "✓ 计入本指标" not in page
    assert "2017" in page and "修改：" in page


def test_the_uploader_gets_the_form_and_no_command_to_type(client_for):
    page = _upload(client_for("owner"), "讲座.jpg", jpeg_bytes(AS_OF)).content.decode()
    assert "✗ 不计入本指标" in page and 'name="organizer"' in page
    assert "archive-tool" not in page


def test_a_reader_gets_the_fix_in_the_browsers_words(client_for, archive):
    bare = folder(archive, "II-1") / "02：讲座.jpg"
    bare.write_bytes(jpeg_bytes(AS_OF))
    page = client_for("leader").get("/file/?p=" + quote(bare.relative_to(archive).as_posix()))
    text = page.content.decode()
    assert "CAPTION_MISSING" in text and "「照片说明」" in text
    assert "caption set" not in text and 'name="organizer"' not in text


def test_an_empty_file_is_refused_and_not_stored(client_for, archive):
    response = _upload(client_for("owner"), "空白.jpg", b"")
    assert response.status_code == 400 and "0 字节" in response.content.decode()
    assert sorted(p.name for p in folder(archive, "II-1").iterdir()) == ["01：学习会.jpg"]


def test_an_upload_to_an_unknown_indicator_is_404(client_for):
    assert _upload(client_for("owner"), "a.jpg", jpeg_bytes(AS_OF), "IX-9").status_code == 404


def test_a_very_long_name_is_quoted_short(client_for):
    name = "关于" + "开展文明单位创建" * 12 + "工作的通知.exe"
    page = _upload(client_for("owner"), name, b"MZ").content.decode()
    assert "不接受这种文件" in page and "…" in page and name not in page


def test_a_file_gone_from_the_disk_is_404_and_leaves_the_pages(client_for, archive):
    client = client_for("owner")
    assert client.get(f"/file/?p={quote(PHOTO)}").status_code == 200
    (archive / PHOTO).unlink()  # dropped from the share while the snapshot still lists it
    gone = client.get(f"/file/?p={quote(PHOTO)}")
    assert gone.status_code == 404
    assert client.get(f"/file/raw/?p={quote(PHOTO)}").status_code == 404
    assert "01：学习会.jpg" not in client.get("/indicators/II-1/").content.decode()


def test_video_and_audio_play_in_the_page_others_download(client_for, archive):
    for name, data in (("02：植树节.mp4", MP4), ("03：宣讲录音.mp3", b"ID3\x04" + b"\x00" * 64),
                       ("04：录像.wmv", b"0&\xb2u" + b"\x00" * 64)):
        (folder(archive, "II-1") / name).write_bytes(data)
    client = client_for("leader")
    base = "I-1 思想政治建设/II-1 加强学习/"
    page = client.get("/file/?p=" + quote(base + "02：植树节.mp4")).content.decode()
    assert "<video controls" in page
    raw = client.get("/file/raw/?p=" + quote(base + "02：植树节.mp4"))
    assert raw["Content-Type"] == "video/mp4" and raw["Content-Disposition"].startswith("inline")
    assert "sandbox" in raw["Content-Security-Policy"] and b"".join(raw.streaming_content) == MP4
    assert "<audio controls" in client.get("/file/?p=" + quote(base + "03：宣讲录音.mp3")) \
        .content.decode()
    assert client.get("/file/raw/?p=" + quote(base + "03：宣讲录音.mp3"))["Content-Type"] \
        == "audio/mpeg"
    page = client.get("/file/?p=" + quote(base + "04：录像.wmv")).content.decode()
    assert "<video" not in page
    wmv = client.get("/file/raw/?p=" + quote(base + "04：录像.wmv"))
    assert wmv["Content-Disposition"].startswith("attachment")
    assert wmv["Content-Type"] == "application/octet-stream"


def test_the_caption_form_says_where_its_time_came_from(client_for):
    client = client_for("owner")
    page = _upload(client, "读书会.jpg", jpeg_bytes(date(2018, 4, 2))).content.decode()
    assert 'name="time" value="2018-04-02"' in page and "取自照片的拍摄时间" in page
    page = _upload(client, "2018年3月5日 学习会.jpg", jpeg_bytes()).content.decode()
    assert 'name="time" value="2018-03-05"' in page and "取自文件名" in page


def test_a_writer_may_rename_any_file_from_its_page(client_for):
    """A date fix says to write the date into the file's theme: the page offers the rename
    even when the name itself is in order."""
    page = client_for("owner").get(f"/file/?p={quote(PHOTO)}").content.decode()
    assert "<summary>改名</summary>" in page and 'name="theme" value="学习会"' in page
    assert "<summary>改名</summary>" not in \
        client_for("leader").get(f"/file/?p={quote(PHOTO)}").content.decode()
