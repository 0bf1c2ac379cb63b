"""``archive-tool serve`` as a user starts it: a real process, waitress, a real HTTP client."""
from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

from .conftest import build_archive, start_serve, stop_serve


def test_serve_starts_and_says_how_to_make_the_first_account(tmp_path):
    root = build_archive(tmp_path)
    proc = start_serve([str(root), "--port", "0"], tmp_path / "data")
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "按 Ctrl+C 停止" in line:
                break
        output = "".join(lines)
        url = re.search(r"http://[\d.]+:\d+/", output).group(0)
        assert "还没有账号" in output and "archive-tool user add 用户名 --role 档案组" in output
        assert str(tmp_path / "data") in output
        with urllib.request.urlopen(url + "login/", timeout=10) as page:
            assert page.status == 200 and "登录" in page.read().decode("utf-8")
            assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        with urllib.request.urlopen(url + "static/web/app.js", timeout=10) as script:
            assert b"XMLHttpRequest" in script.read()
        secret = tmp_path / "data" / "secret_key"
        assert secret.is_file() and not list(root.rglob("secret_key"))
        assert not list(root.rglob("*.sqlite3"))
    finally:
        rest = stop_serve(proc)
    assert "已终止（收到 SIGTERM）" in rest


def test_serve_refuses_a_data_folder_inside_the_archive(tmp_path):
    root = build_archive(tmp_path)
    result = subprocess.run([sys.executable, "-m", "archive_tool", "serve", str(root),
                             "--data", str(root / "数据")], capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 2 and "在档案文件夹之内" in result.stderr


def test_the_server_stops_when_asked_even_in_the_middle_of_requests():
    """A stop is an event the loop looks at, never an exception that waitress's handlers (bare
    ``except``) could swallow: asked while requests come and go, the server stops."""
    import threading

    from waitress import create_server

    from archive_tool.web.server import run_until

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    stop = threading.Event()
    runner = threading.Thread(target=run_until, args=(server, stop), daemon=True)
    runner.start()
    url = f"http://127.0.0.1:{server.effective_port}/"
    for _ in range(10):
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.read() == b"ok"
    stop.set()
    runner.join(timeout=10)
    server.close()
    assert not runner.is_alive()
