"""The watcher over synthetic archives of several sizes (targets: the verdict within 1 s after
the quiet delay; peak RSS under 200 MB at 40k files, issue 16).

    python benchmarks/watch.py [--sizes 10000 40000] [--seed 0] [--trials 9] [--quiet 2]
                               [--rescan 20] [--polling]

Works on a copy of each synthetic archive (benchmarks/synth.py, built once under
benchmarks/_work/; hard links, the .archive folder copied, its search index removed), and runs
the real command, ``python -m archive_tool watch COPY --format json``, in a child process:

1. a start on the copy (the first reconcile: the cache as copied, the search index built);
2. a restart (the warm reconcile every later start does);
3. ``--trials`` files written one at a time into leaf folders (txt, docx, captioned JPEG, in
   turn), each in one write from a staging folder; for each, the time from its last write (the
   close) to its verdict line on the child's stdout, and to being found by
   ``archive_tool.search.search`` in this process; medians, p90 and the largest;
4. the child's RSS (VmRSS now, VmHWM its peak) after the trials and at least one periodic
   rescan of the whole archive;
5. in this process, what one check costs, part by part: a scan of the file's folder against a
   scan of the file alone (both from the cache), lint, and the index update of one record.
"""
from __future__ import annotations

import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from sizes import Figures, arguments, run_sizes  # noqa: E402


def _proc_status(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024  # MB
    return out


class Child:
    """The watch command in a child process; verdict lines timestamped as they arrive."""

    def __init__(self, root: Path, args: list[str]):
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archive_tool", "watch", str(root), "--format", "json", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, encoding="utf-8")
        self.verdicts: dict[str, list[float]] = {}
        self.err: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._out, daemon=True).start()
        threading.Thread(target=self._err, daemon=True).start()

    def _out(self) -> None:
        for line in self.proc.stdout:
            now = time.monotonic()
            record = json.loads(line)
            with self.lock:
                self.verdicts.setdefault(record["path"], []).append(now)

    def _err(self) -> None:
        for line in self.proc.stderr:
            with self.lock:
                self.err.append((time.monotonic(), line.rstrip("\n")))

    def wait_err(self, text: str, timeout: float = 1800) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for when, line in self.err:
                    if text in line:
                        return when
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise SystemExit(f"watch did not print {text!r}: {self.err[-5:]}")

    def wait_verdict(self, rel: str, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if rel in self.verdicts:
                    return self.verdicts[rel][0]
            time.sleep(0.002)
        raise SystemExit(f"no verdict for {rel}")

    def stop(self) -> int:
        self.proc.terminate()
        return self.proc.wait(60)


def _payloads(staging: Path):
    """make(ext, marker, name) -> bytes: a txt, a docx or a captioned JPEG with a marker."""
    from datetime import date

    from docx import Document
    from PIL import Image

    from archive_tool.captions import write_caption

    def make(kind: str, marker: str, name: str) -> bytes:
        if kind == ".txt":
            return f"{marker} 文明单位创建活动记录。".encode("utf-8")
        if kind == ".docx":
            doc = Document()
            doc.add_paragraph(f"{marker} 关于开展文明单位创建活动的通知")
            doc.sections[0].footer.paragraphs[0].text = name.rsplit(".", 1)[0]
            buf = io.BytesIO()
            doc.save(buf)
            return buf.getvalue()
        path = staging / f"{marker}.jpg"
        Image.new("RGB", (640, 480), (90, 140, 200)).save(path, "JPEG", quality=85)
        write_caption(path, date(2018, 6, 5), synth.UNIT, f"{marker}六五环境日宣传")
        return path.read_bytes()
    return make


def _trials(root: Path, child: Child, n: int, rng: random.Random) -> tuple[list, list]:
    from archive_tool.config import open_archive
    from archive_tool.search import search

    config = open_archive(root)
    leaves = sorted({p.parent for p in root.rglob("*") if p.is_file()
                     and ".archive" not in p.parts})
    staging = synth.WORK / "watch-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    make = _payloads(staging)
    to_verdict, to_search = [], []
    for i in range(n):
        ext = (".txt", ".docx", ".jpg")[i % 3]
        marker = f"wbench{i:04d}q"
        folder = rng.choice(leaves)
        name = f"{90 + i % 10:02d}：{marker}{ext}"
        data = make(ext, marker, name)
        rel = (folder / name).relative_to(root).as_posix()
        with open(folder / name, "wb") as fh:
            fh.write(data)
        last_write = time.monotonic()
        verdict_at = child.wait_verdict(rel)
        while True:
            hits = search(config, marker, limit=5).hits
            if any(h.path == rel for h in hits):
                found_at = time.monotonic()
                break
            if time.monotonic() - last_write > 60:
                raise SystemExit(f"{rel} never became searchable")
            time.sleep(0.01)
        to_verdict.append(verdict_at - last_write)
        to_search.append(found_at - last_write)
        time.sleep(0.2)
    return to_verdict, to_search


def _check_costs(root: Path, rng: random.Random, repeat: int = 10) -> dict[str, float]:
    """Median seconds of the parts of one check, in this process."""
    from archive_tool.config import open_archive
    from archive_tool.lint import lint
    from archive_tool.scan import scan
    from archive_tool.search import update_index
    from archive_tool.verdicts import judge, scan_target

    config = open_archive(root)
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".archive" not in p.parts)
    parts: dict[str, list[float]] = {k: [] for k in (
        "scan folder", "scan file", "lint folder", "lint file", "judge", "index 1 record")}
    for _ in range(repeat):
        path = rng.choice(files)
        rel = path.relative_to(root).as_posix()
        t0 = time.perf_counter()
        folder = scan(path.parent, config=config)
        t1 = time.perf_counter()
        single = scan(path, config=config)
        t2 = time.perf_counter()
        lint(folder)
        t3 = time.perf_counter()
        lint(single)
        t4 = time.perf_counter()
        checked = judge(config, scan_target(config, rel), [rel])
        t5 = time.perf_counter()
        os.utime(synth.own_file(path))  # a new mtime: the record's signature changes, so it is rewritten
        ev = scan(path, config=config).evidence
        t6 = time.perf_counter()
        update_index(config, ev, scope=None)
        t7 = time.perf_counter()
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t7 - t6)):
            parts[key].append(value)
        assert checked.verdicts
    return {k: statistics.median(v) for k, v in parts.items()}


def measure(size: int, args, figures: Figures) -> None:
    source = synth.cached_archive(size, args.seed)
    root = synth.working_copy(source, synth.WORK / f"watch-{size}-{args.seed}")
    shutil.rmtree(root / ".archive" / "index", ignore_errors=True)
    print(f"\n{size}: copy of {source.name}")
    watch_args = ["--quiet-for", str(args.quiet), "--rescan", str(args.rescan)]
    if args.polling:
        watch_args.append("--polling")

    first = Child(root, watch_args)
    ready = first.wait_err("已核对全部")
    figures.add(size, "first start (index built): reconciled", ready - first.started)
    figures.add(size, "first start: peak RSS", _proc_status(first.proc.pid)["VmHWM"], unit="MB")
    print(f"  first start stopped with SIGTERM: exit {first.stop()}")

    child = Child(root, watch_args)
    ready = child.wait_err("已核对全部")
    figures.add(size, "restart (warm): reconciled", ready - child.started)
    rng = random.Random(args.seed)
    to_verdict, to_search = _trials(root, child, args.trials, rng)
    log = root / ".archive" / "watch.log"
    deadline = time.monotonic() + args.rescan * 3 + 60
    rescans = []
    while time.monotonic() < deadline:
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        rescans = [r for r in records if r["event"] == "reconciled" and r["source"] == "rescan"]
        if rescans:
            break
        time.sleep(0.5)
    rss = _proc_status(child.proc.pid)
    print(f"  exit on SIGTERM: {child.stop()}")
    q = args.quiet
    figures.add(size, "last write -> verdict line", to_verdict)
    figures.add(size, "last write -> searchable", to_search)
    figures.add(size, "verdict after the quiet delay", [v - q for v in to_verdict],
                target="< 1 s")
    if rescans:
        figures.add(size, "periodic rescan of the whole archive", rescans[-1]["seconds"])
    figures.add(size, "watcher RSS after trials and a rescan", rss["VmRSS"], unit="MB")
    figures.add(size, "watcher peak RSS (restart)", rss["VmHWM"], unit="MB",
                target="< 200 MB at 40k")
    for key, value in _check_costs(root, rng).items():
        figures.add(size, f"one check in this process: {key}", value)
    shutil.rmtree(root)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=9)
    parser.add_argument("--quiet", type=float, default=2.0, help="the watcher's --quiet-for")
    parser.add_argument("--rescan", type=float, default=20.0, help="the watcher's --rescan")
    parser.add_argument("--polling", action="store_true", help="use the PollingObserver")
    args = parser.parse_args()
    figures = Figures(f"watch ({'polling' if args.polling else 'native'}, quiet {args.quiet:g} s;"
                      f" medians of {args.trials} files)")
    run_sizes(figures, args.sizes, lambda size: measure(size, args, figures))


if __name__ == "__main__":
    main()
