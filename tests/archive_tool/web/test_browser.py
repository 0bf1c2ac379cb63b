"""The web application in a real Chromium (Debian's, driven by Playwright's Python package):
a 责任人 uploads a photo without caption, sees the verdict, fills the caption form and sees it
counted; the 档案组 sees the coverage change and finds the photo by its theme. Screenshots of
each page go to the test's tmp folder (screens/)."""
from __future__ import annotations

import os
import shutil
import threading
from datetime import date

import pytest

from .conftest import AS_OF, UNIT, build_archive, jpeg_bytes

CHROMIUM = os.environ.get("ARCHIVE_TOOL_CHROMIUM") or shutil.which("chromium") \
    or "/usr/bin/chromium"
USERS = {"archivist": "browser-archivist", "owner": "browser-owner"}
PASSWORD = "Browser-Pass-2018"


@pytest.fixture
def live(django_ready, tmp_path):
    """The archive served by waitress on a free port, with two committed accounts."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run should install it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    from archive_tool.web.accounts import add_user, unit_for
    from archive_tool.web.server import make_server
    from archive_tool.web.site import Site, install

    root = build_archive(tmp_path)
    site = install(Site(root, as_of=AS_OF, max_age=3600))
    site.refresh()
    unit = unit_for(str(site.archive.root), UNIT)
    members = [add_user(unit, USERS["archivist"], "archivist", PASSWORD),
               add_user(unit, USERS["owner"], "owner", PASSWORD, "曲丽娟")]
    server = make_server("127.0.0.1", 0, 20, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", root, tmp_path / "screens"
    finally:
        server.close()
        thread.join(timeout=10)
        for member in members:
            member.user.delete()


def _log_in(page, base: str, role: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", USERS[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_selector("header nav")


def _log_out(page) -> None:
    page.click("header form.who button")
    page.wait_for_selector("form.login")


def _coverage_of(page, indicator: str) -> str:
    row = page.locator("tr", has=page.locator(f"a:text-is('{indicator}')"))
    return row.locator("td").nth(2).inner_text()


def test_upload_caption_coverage_search(live, tmp_path):
    from playwright.sync_api import sync_playwright

    base, root, screens = live
    screens.mkdir()
    photo = tmp_path / "读书会.jpg"
    photo.write_bytes(jpeg_bytes(date(2018, 5, 10), size=(640, 480), colour=(200, 120, 60)))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.set_default_timeout(20000)
        page.goto(base + "/login/")
        page.screenshot(path=screens / "login.png")
        _log_in(page, base, "archivist")
        page.goto(base + "/overview/")
        before = _coverage_of(page, "I-1 思想政治建设")
        assert before == "50%"
        _log_out(page)

        _log_in(page, base, "owner")
        assert page.url.endswith("/tasks/")
        assert "还差 1 张现场照片" in page.inner_text("main")
        page.screenshot(path=screens / "tasks.png", full_page=True)
        page.goto(base + "/indicators/II-1/")
        page.set_input_files("#files", str(photo))
        verdict = page.wait_for_selector("#results .verdict")
        assert "CAPTION_MISSING" in verdict.inner_text() and "02：读书会.jpg" in verdict.inner_text()
        page.wait_for_selector("#results[data-done]")
        page.screenshot(path=screens / "upload.png", full_page=True)
        form = page.locator("#results form.caption")
        assert form.locator("input[name=time]").input_value() == "2018-05-10"  # EXIF
        assert form.locator("input[name=organizer]").input_value() == UNIT
        form.locator("input[name=theme]").fill("青年读书会")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=已写入照片说明")
        assert "✓ 计入" in page.inner_text("main")
        page.screenshot(path=screens / "file.png", full_page=True)
        page.goto(base + "/indicators/II-1/")
        assert "✓ 齐全" in page.inner_text("h1")
        page.screenshot(path=screens / "indicator.png", full_page=True)
        _log_out(page)

        _log_in(page, base, "archivist")
        page.goto(base + "/overview/")
        assert _coverage_of(page, "I-1 思想政治建设") == "100%"
        page.screenshot(path=screens / "overview.png", full_page=True)
        page.goto(base + "/search/")
        page.fill("input[name=q]", "青年读书会")
        page.click("form.search button[type=submit]")
        hit = page.wait_for_selector("ol.hits li")
        assert "读书会" in hit.inner_text() and page.locator("ol.hits mark").count() >= 1
        page.screenshot(path=screens / "search.png", full_page=True)
        page.goto(base + "/log/")
        assert "browser-owner" in page.inner_text("main") and "写入照片说明" in page.inner_text("main")
        page.screenshot(path=screens / "log.png", full_page=True)
        page.goto(base + "/accounts/")
        page.screenshot(path=screens / "accounts.png", full_page=True)
        browser.close()
    shots = sorted(p.name for p in screens.iterdir())
    assert shots == sorted(f"{n}.png" for n in ("login", "tasks", "upload", "file", "indicator",
                                                "overview", "search", "log", "accounts"))


def _wav(path, seconds: float = 1.5) -> None:
    """A real WAV recording (a quiet tone), written by the standard library."""
    import math
    import struct
    import wave

    rate = 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(i / 8)))
                                 for i in range(int(rate * seconds))))


def test_a_recording_plays_in_the_file_page_and_on_its_own(live):
    """The media a browser plays are served inline (the page's player reads the recording;
    the file opened alone is shown, not downloaded)."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    base, root, _ = live
    rel = "I-1 思想政治建设/II-1 加强学习/02：宣讲录音.wav"
    _wav(root / rel)
    # the duration once the player has read the file's header; else what went wrong
    duration = ("el => new Promise(done => { if (el.readyState >= 1) done(el.duration);"
                " el.addEventListener('loadedmetadata', () => done(el.duration));"
                " setTimeout(() => done(`state ${el.readyState}/${el.networkState}"
                " error ${el.error && el.error.code}`), 15000); })")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.set_default_timeout(20000)
        _log_in(page, base, "owner")
        page.goto(base + "/file/?p=" + quote(rel))
        played = page.locator(".preview audio").evaluate(duration)
        assert abs(played - 1.5) < 0.05, played
        # opened alone: shown by the browser (a download would abort the navigation); the
        # sandboxing policy lets no script run there, so nothing is evaluated in it
        opened = page.goto(base + "/file/raw/?p=" + quote(rel))
        assert opened.ok and opened.headers["content-type"] == "audio/wav"
        assert "/file/raw/" in page.url
        browser.close()
