"""Every view × every role through Django's test client: allowed, refused (403), or sent to
the login page; on SQLite here, on PostgreSQL through test_postgresql.py."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import AS_OF, folder, jpeg_bytes

PHOTO = "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg"
MINUTES = "I-1 思想政治建设/II-2 制度建设/02：会议纪要.docx"
ALL = ("archivist", "owner", "leader")
WRITERS = ("archivist", "owner")


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"files": SimpleUploadedFile("现场.jpg", jpeg_bytes(AS_OF), "image/jpeg")}


#: name -> (method, address, form, roles allowed); every named URL of the site is here
VIEWS = {
    "tasks": ("get", "/tasks/", None, ALL),
    "overview": ("get", "/overview/", None, ALL),
    "gap_xlsx": ("get", "/overview/gap.xlsx", None, ALL),
    "gap_html": ("get", "/overview/gap.html", None, ALL),
    "indicator": ("get", "/indicators/II-1/", None, ALL),
    "file": ("get", f"/file/?p={quote(PHOTO)}", None, ALL),
    "file_raw": ("get", f"/file/raw/?p={quote(PHOTO)}", None, ALL),
    "file_thumb": ("get", f"/file/thumb/?p={quote(PHOTO)}", None, ALL),
    "search": ("get", "/search/?q=学习", None, ALL),
    "upload": ("post", "/indicators/II-1/upload/", _upload, WRITERS),
    "file_caption": ("post", "/file/caption/", {"p": PHOTO, "time": "2018-02-01",
                                                "organizer": "机关党委", "theme": "学习"}, WRITERS),
    "file_footer": ("post", "/file/footer/", {"p": MINUTES}, WRITERS),
    "file_rename": ("post", "/file/rename/", {"p": MINUTES, "theme": "党组会议纪要"}, WRITERS),
    "file_review": ("post", "/file/review/", {"p": PHOTO, "status": "accepted"}, ("archivist",)),
    "log": ("get", "/log/", None, ("archivist", "leader")),
    "log_csv": ("get", "/log.csv", None, ("archivist", "leader")),
    "accounts": ("get", "/accounts/", None, ("archivist",)),
    "refresh": ("post", "/refresh/", {}, ("archivist",)),
}
OPEN_VIEWS = {"home", "login", "logout", "static"}


def _call(client, name):
    method, address, form, _ = VIEWS[name]
    if method == "get":
        return client.get(address)
    return client.post(address, form() if callable(form) else form)


def test_every_view_is_in_the_matrix_and_checks_roles(django_ready):
    from django.urls import get_resolver

    import archive_tool.web.urls  # noqa: F401 - Django is configured by the fixtures

    names = {p.name for p in get_resolver().url_patterns}
    assert names - OPEN_VIEWS == set(VIEWS)
    for pattern in get_resolver().url_patterns:
        if pattern.name not in OPEN_VIEWS:
            assert set(pattern.callback.roles) == set(VIEWS[pattern.name][3]), pattern.name


@pytest.mark.parametrize("name", sorted(VIEWS))
@pytest.mark.parametrize("role", ALL)
def test_role_allowed_or_refused(client_for, name, role):
    response = _call(client_for(role), name)
    if role in VIEWS[name][3]:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == 403, (name, role)
        assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_anonymous_is_sent_to_login(client_for, name):
    response = _call(client_for(None), name)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_an_account_of_another_unit_is_refused(client_for):
    from archive_tool.web.accounts import add_user
    from archive_tool.web.models import Unit
    from django.contrib.auth import get_user_model
    from django.test import Client

    other = Unit.objects.create(name="别的单位", root="/elsewhere")
    add_user(other, "外单位", "archivist", "Another-Pass-2018")
    client = Client()
    client.force_login(get_user_model().objects.get(username="外单位"))
    response = client.get("/overview/")
    assert response.status_code == 403 and "不属于本单位" in response.content.decode()


def test_forms_need_the_csrf_token(client_for, archive):
    client = client_for("archivist", enforce_csrf_checks=True)
    response = client.post("/file/caption/", {"p": PHOTO, "time": "2018-02-01",
                                              "organizer": "x", "theme": "y"})
    assert response.status_code == 403 and "CSRF" in response.content.decode()


def test_leader_sees_no_write_buttons(client_for):
    page = client_for("leader").get("/indicators/II-1/").content.decode()
    assert "上传材料" not in page
    page = client_for("owner").get("/indicators/II-1/").content.decode()
    assert "上传材料" in page and 'id="upload-form"' in page


def test_pages_carry_security_headers(client_for):
    response = client_for("owner").get("/overview/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_unknown_indicator_and_file_are_404(client_for):
    client = client_for("archivist")
    assert client.get("/indicators/IX-99/").status_code == 404
    for bad in ("../etc/passwd", ".archive/config.yaml", "/etc/passwd", PHOTO + "x",
                "I-1 思想政治建设/../../x.jpg", ""):
        assert client.get(f"/file/?p={quote(bad)}").status_code == 404, bad
        assert client.get(f"/file/raw/?p={quote(bad)}").status_code == 404, bad


def test_files_dropped_on_the_share_appear(client_for, served, archive):
    client = client_for("archivist")
    assert "02：讲座.jpg" not in client.get("/indicators/II-1/").content.decode()
    (folder(archive, "II-1") / "02：讲座.jpg").write_bytes(jpeg_bytes(AS_OF))
    served.max_age = 0
    served.refresh()
    assert "02：讲座.jpg" in client.get("/indicators/II-1/").content.decode()


def test_chart_draws_each_status_and_escapes_names():
    from archive_tool.web.chart import Bar, coverage_svg

    svg = coverage_svg([Bar("I-1 <script>alert(1)</script>", {"complete": 3, "missing": 1}, 0.75),
                        Bar("I-2 空", {}, None)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 4 + 2 + 1  # legend, two segments, the empty bar
    assert "覆盖率 75%（4 项）" in svg and "覆盖率 —（0 项）" in svg
