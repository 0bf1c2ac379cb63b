"""Page times of the web application on the synthetic archive, through a real HTTP client
against ``archive-tool serve`` running as its own process (targets: pages p95 < 300 ms,
upload-to-verdict of a 5 MB photo < 1 s).

    python benchmarks/web.py [--files 10000] [--seed 0] [--repeat 40] [--uploads 5]

Works on a copy of the shared synthetic archive (benchmarks/synth.py) with its metadata cache
and search index warm, a fresh data folder (SQLite), and the default rescan interval.
"""
from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

PASSWORD = "Bench-Pass-2018"


class Client:
    """A keep-alive HTTP client that keeps Django's cookies."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes, float]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or ():
            for key, morsel in SimpleCookie(value).items():
                self.cookies[key] = morsel.value
        return response.status, data, elapsed

    def log_in(self, username: str) -> None:
        self.request("GET", "/login/")
        form = urlencode({"username": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": self.cookies["csrftoken"]}).encode()
        status, _, _ = self.request("POST", "/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, f"login failed ({status})"


def _photo(megabytes: float = 5.0) -> bytes:
    """A real JPEG of about ``megabytes`` (noise compresses badly), with an EXIF date."""
    from PIL import Image

    side = 1600
    while True:
        img = Image.effect_noise((side, side * 3 // 4), 80).convert("RGB")
        exif = img.getexif()
        exif.get_ifd(0x8769)[0x9003] = "2018:06:05 09:30:00"
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=95, exif=exif)
        if buf.tell() >= megabytes * 1024 * 1024:
            return buf.getvalue()
        side = int(side * 1.2)


def _multipart(name: str, data: bytes, token: str) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
             f"\r\n\r\n{token}\r\n".encode(),
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
             f"filename=\"{quote(name)}\"\r\nContent-Type: image/jpeg\r\n\r\n".encode(), data,
             f"\r\n--{boundary}--\r\n".encode()]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _figures(label: str, times: list[float], target: float) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    verdict = "ok" if p95 < target else "OVER TARGET"
    return (f"  {label:<12} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
            f"max {ms[-1]:7.1f} ms   (n={len(ms)}, target p95 < {target:.0f} ms: {verdict})")


def _start(root: Path, data: Path) -> tuple[subprocess.Popen, int]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ARCHIVE_TOOL_DATA=str(data), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "archive_tool"]
    subprocess.run(cmd + ["user", "add", "bench-owner", str(root), "--role", "责任人",
                          "--password-stdin"], input=PASSWORD + "\n", text=True, env=env,
                   check=True, capture_output=True)
    proc = subprocess.Popen(cmd + ["serve", str(root), "--port", "0", "--as-of", "2018-06-20"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    started = time.perf_counter()
    for line in proc.stdout:
        found = re.search(r"http://[\d.]+:(\d+)/", line)
        if found:
            print(f"server up in {time.perf_counter() - started:.1f} s (first snapshot made)")
            return proc, int(found.group(1))
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--uploads", type=int, default=5)
    args = parser.parse_args()

    source = synth.cached_archive(args.files, args.seed)
    work = Path(tempfile.mkdtemp(prefix="web-bench-", dir=synth.WORK))
    root = work / "archive"
    shutil.copytree(source, root, symlinks=True)
    subprocess.run([sys.executable, "-m", "archive_tool", "index", str(root)], check=True,
                   capture_output=True)  # the search index warm, as on a running server
    proc, port = _start(root, work / "data")
    try:
        client = Client(port)
        client.log_in("bench-owner")
        leaf = _biggest_leaf(root)
        pages = {"总览": "/overview/", "指标": f"/indicators/{leaf}/",
                 "检索": "/search/?" + urlencode({"q": "学雷锋志愿服务"})}
        for path in pages.values():  # warm-up: templates compiled, segmenter loaded
            for _ in range(3):
                status, _, _ = client.request("GET", path)
                assert status == 200, (path, status)
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.repeat):
            for name, path in pages.items():
                times[name].append(client.request("GET", path)[2])
        print(f"archive: {args.files} files; pages through HTTP ({leaf} has "
              f"{_count(root, leaf)} files):")
        for name, values in times.items():
            print(_figures(name, values, 300))
        photo = _photo()
        uploads = []
        for i in range(args.uploads):
            body, ctype = _multipart(f"benchmark-{i}.jpg", photo, client.cookies["csrftoken"])
            status, data, elapsed = client.request("POST", f"/indicators/{leaf}/upload/", body, {
                "Content-Type": ctype, "X-Requested-With": "XMLHttpRequest",
                "X-CSRFToken": client.cookies["csrftoken"], "Referer": f"http://127.0.0.1:{port}/"})
            assert status == 200 and b"CAPTION_MISSING" in data, (status, data[:300])
            uploads.append(elapsed)
        print(f"upload of a {len(photo) / 1024 / 1024:.1f} MB photo to its verdict:")
        print(_figures("上传→结论", uploads, 1000))
        after = client.request("GET", "/overview/")[2]
        print(f"  first 总览 after the uploads (waits for the new snapshot): {after * 1000:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _biggest_leaf(root: Path) -> str:
    counts = {}
    for folder in root.rglob("*"):
        if folder.is_dir() and ".archive" not in folder.parts:
            counts[folder.name.split(" ")[0]] = sum(1 for p in folder.iterdir() if p.is_file())
    return max(counts, key=counts.get)


def _count(root: Path, leaf: str) -> int:
    folder = next(p for p in root.rglob("*") if p.is_dir() and p.name.split(" ")[0] == leaf)
    return sum(1 for p in folder.iterdir() if p.is_file())


if __name__ == "__main__":
    main()
