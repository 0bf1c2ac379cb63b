"""Upload, verdict and fixes through the test client, on real files."""
from __future__ import annotations

from urllib.parse import quote, quote_plus

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from archive_tool.captions import read_caption

from .conftest import AS_OF, UNIT, folder, jpeg_bytes
from .test_views import MINUTES, PHOTO


def _post_upload(client, files, **form):
    return client.post("/indicators/II-1/upload/", {"files": files, **form},
                       HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def test_upload_names_the_file_and_gives_the_verdict_at_once(client_for, archive, served):
    from archive_tool.web.models import Activity

    photo = SimpleUploadedFile("../../一次/现场 照片.jpg", jpeg_bytes(AS_OF), "image/jpeg")
    response = _post_upload(client_for("owner"), [photo])
    page = response.content.decode()
    assert response.status_code == 200
    stored = folder(archive, "II-1") / "02：现场 照片.jpg"
    assert stored.is_file() and stored.read_bytes() == jpeg_bytes(AS_OF)
    assert not list(archive.parent.glob("一次*")) and not list(archive.glob("*.jpg"))
    assert "CAPTION_MISSING" in page and 'name="time" value="2018-05-15"' in page
    assert f'name="organizer" value="{UNIT}"' in page and "✗" in page
    entry = Activity.objects.get(action="upload", unit_id=served.unit_id)
    assert entry.user == "曲丽娟" and entry.target.endswith("02：现场 照片.jpg")
    assert not [p for p in folder(archive, "II-1").iterdir() if p.name.startswith(".~")]


def test_upload_theme_from_the_form_and_several_files(client_for, archive):
    files = [SimpleUploadedFile(f"IMG_{i}.jpg", jpeg_bytes(AS_OF, colour=(i, 9, 9)))
             for i in range(3)]
    response = _post_upload(client_for("archivist"), files, theme="读书分享会")
    assert response.status_code == 200
    names = sorted(p.name for p in folder(archive, "II-1").iterdir())
    assert names == ["01：学习会.jpg", "02：读书分享会.jpg", "03：读书分享会.jpg",
                     "04：读书分享会.jpg"]


def test_upload_refuses_html_svg_and_programs(client_for, archive):
    for name, data in (("页面.html", b"<script>alert(1)</script>"), ("图.svg", b"<svg/>"),
                       ("工具.exe", b"MZ"), ("无扩展名", b"x")):
        response = _post_upload(client_for("owner"), [SimpleUploadedFile(name, data)])
        assert response.status_code == 400 and "不接受这种文件" in response.content.decode()
    assert sorted(p.name for p in folder(archive, "II-1").iterdir()) == ["01：学习会.jpg"]


def test_upload_size_limit(client_for, archive):
    with override_settings(ARCHIVE_MAX_UPLOAD=100):
        response = _post_upload(client_for("owner"), [SimpleUploadedFile("大.jpg",
                                                                         jpeg_bytes(AS_OF))])
    assert response.status_code == 400 and "文件太大" in response.content.decode()


def test_upload_into_a_parent_indicator_is_refused(client_for):
    response = client_for("owner").post("/indicators/I-1/upload/", {
        "files": [SimpleUploadedFile("a.jpg", jpeg_bytes(AS_OF))]})
    assert response.status_code == 400 and "不是末级指标" in response.content.decode()


def test_without_script_the_upload_answers_a_whole_page(client_for):
    response = client_for("owner").post("/indicators/II-1/upload/", {
        "files": [SimpleUploadedFile("a.jpg", jpeg_bytes(AS_OF))]})
    assert "<html" in response.content.decode() and "上传结果" in response.content.decode()


def test_caption_form_makes_the_photo_count(client_for, archive):
    client = client_for("owner")
    _post_upload(client, [SimpleUploadedFile("讲座.jpg", jpeg_bytes(AS_OF))])
    rel = "I-1 思想政治建设/II-1 加强学习/02：讲座.jpg"
    page = client.get(f"/file/?p={quote(rel)}").content.decode()
    assert "✗ 不计入" in page
    assert "进行中" in client.get("/indicators/II-1/").content.decode()
    response = client.post("/file/caption/", {"p": rel, "time": "2018-05-15",
                                              "organizer": UNIT, "theme": "理论讲座"})
    assert response.status_code == 302
    assert "理论讲座" in read_caption(archive / rel).text
    page = client.get(f"/file/?p={quote(rel)}").content.decode()
    assert "✓ 计入" in page and "写入照片说明" in page  # counted; in the history
    assert "✓ 齐全" in client.get("/indicators/II-1/").content.decode()
    undo = (archive / ".archive" / "undo.log").read_text(encoding="utf-8")
    assert "caption set" in undo and "web upload" in undo


def test_a_bad_caption_date_is_a_message(client_for):
    client = client_for("owner")
    response = client.post("/file/caption/", {"p": PHOTO, "time": "某天", "organizer": UNIT,
                                              "theme": "学习"}, follow=True)
    assert "error" in response.content.decode() and "某天" in response.content.decode()


def test_footer_button_and_rename(client_for, archive):
    client = client_for("owner")
    page = client.get(f"/file/?p={quote(MINUTES)}").content.decode()
    assert "FOOTER_MISSING" in page and "在页脚加入文档名称" in page
    client.post("/file/footer/", {"p": MINUTES})
    page = client.get(f"/file/?p={quote(MINUTES)}").content.decode()
    assert "FOOTER_MISSING" not in page
    response = client.post("/file/rename/", {"p": MINUTES, "theme": "党组会议纪要"})
    new = "I-1 思想政治建设/II-2 制度建设/03：党组会议纪要.docx"
    assert response["Location"] == f"/file/?p={quote_plus(new)}"
    assert (archive / new).is_file() and not (archive / MINUTES).exists()
    page = client.get(response["Location"]).content.decode()
    assert "改名" in page and "添加页脚" in page  # the history follows the rename


def test_rename_fixes_a_bad_name(client_for, archive):
    bad = folder(archive, "II-1") / "学习强国截图.jpg"
    bad.write_bytes(jpeg_bytes(AS_OF))
    rel = bad.relative_to(archive).as_posix()
    client = client_for("owner")
    page = client.get(f"/file/?p={quote(rel)}").content.decode()
    assert "NAME_FORMAT" in page and "改名为 02：学习强国截图.jpg" in page
    client.post("/file/rename/", {"p": rel})
    assert (bad.parent / "02：学习强国截图.jpg").is_file()


def test_returned_file_shows_on_the_owners_tasks(client_for):
    client_for("archivist").post("/file/review/", {"p": PHOTO, "status": "returned",
                                                   "comment": "照片太暗，请换一张"})
    page = client_for("owner").get("/tasks/").content.decode()
    assert "被退回的文件" in page and "照片太暗" in page


def test_raw_file_disposition(client_for, archive):
    (folder(archive, "II-2") / "03：页面.html").write_text("<script>alert(1)</script>")
    client = client_for("leader")
    raw = client.get(f"/file/raw/?p={quote(PHOTO)}")
    assert raw["Content-Type"] == "image/jpeg" and raw["Content-Disposition"].startswith("inline")
    assert "sandbox" in raw["Content-Security-Policy"]
    html = client.get("/file/raw/?p=" + quote("I-1 思想政治建设/II-2 制度建设/03：页面.html"))
    assert html["Content-Type"] == "application/octet-stream"
    assert html["Content-Disposition"].startswith("attachment")
    thumb = client.get(f"/file/thumb/?p={quote(PHOTO)}")
    assert thumb["Content-Type"] == "image/jpeg" and thumb.content[:2] == b"\xff\xd8"


def test_gap_report_downloads(client_for):
    client = client_for("leader")
    xlsx = client.get("/overview/gap.xlsx")
    assert xlsx.content[:2] == b"PK" and "attachment" in xlsx["Content-Disposition"]
    html = client.get("/overview/gap.html")
    assert "attachment" in html["Content-Disposition"] and "II-1" in html.content.decode()


def test_overview_chart_and_tasks(client_for):
    page = client_for("leader").get("/overview/").content.decode()
    assert "<svg" in page and "覆盖率 50%" in page and "I-1 思想政治建设" in page
    page = client_for("owner").get("/tasks/").content.decode()
    assert "II-1 加强学习" in page and "还差 1 张现场照片" in page and "本期还剩 46 天" in page
    assert "II-2" not in page  # 王峰's, not hers


def test_search_highlights(client_for, served):
    served.index_settled()
    page = client_for("owner").get("/search/?q=集中学习").content.decode()
    assert "<mark>集中学习</mark>" in page and quote(PHOTO) in page
    page = client_for("owner").get("/search/?q=").content.decode()
    assert "共" not in page
    page = client_for("owner").get("/search/?q=学习&kind=nonsense").content.decode()
    assert 'class="error"' in page


def test_search_highlight_keeps_the_texts_own_brackets(client_for, served, archive):
    """The library marks a hit apart from the text: 【】 the text holds stay text, the word
    found is the one highlighted, and markup in the text is escaped."""
    from ..scan_fixtures import docx

    docx(folder(archive, "II-2") / "03：安排.docx", "【通知】关于开展【读书月】活动的安排 <b>读书月</b>",
         "03：安排")
    served.snapshot()
    served.index_settled()
    page = client_for("owner").get("/search/?q=读书月").content.decode()
    assert "【通知】关于开展【<mark>读书月</mark>】活动的安排" in page
    assert "&lt;b&gt;<mark>读书月</mark>&lt;/b&gt;" in page
    assert "<mark>通知</mark>" not in page
