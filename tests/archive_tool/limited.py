"""Running archive-tool in a child process under a memory limit and a generous timeout.

A bound on work is asserted loosely: the child gets ``RLIMIT_AS`` (its address space; Python and
its libraries take one to three hundred megabytes of it) and tens of seconds. The test fails when
the bound is broken (the child runs out of memory, or is still working at the timeout), not when
the machine is slow: the work asked for takes about a second.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: an address space the tool's commands run in with room to spare (the index needs ~250 MB)
MEMORY_MB = 1024
TIMEOUT = 60.0


_PEAK = "\n@peak-kb "
#: the command, reporting its own peak resident memory (kB) on stderr when it exits: VmHWM of
#: its own address space (ru_maxrss would include the test process it was forked from)
_WRAPPER = (
    "import atexit, re, sys\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as fh:\n"
    "            return re.search(r'VmHWM:\\s*(\\d+)', fh.read()).group(1)\n"
    "    except (OSError, AttributeError):\n"
    "        return '0'\n"
    f"atexit.register(lambda: sys.stderr.write({_PEAK!r} + peak()))\n"
    "sys.argv[0] = 'archive-tool'\n"
    "from archive_tool.cli import main\n"
    "main(prog_name='archive-tool')\n")


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str
    #: the child's peak resident memory, in MB (0 where /proc is missing)
    peak_mb: float


def run_limited(*args, memory_mb: int = MEMORY_MB, timeout: float = TIMEOUT,
                cwd: str | os.PathLike | None = None) -> Ran:
    """``archive-tool ARGS`` in a child process with at most ``memory_mb`` of address space;
    AssertionError when it is still running after ``timeout`` seconds (it is killed)."""
    limit = memory_mb * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap,
                            cwd=cwd, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"archive-tool {' '.join(map(str, args))} still ran after "
                             f"{timeout:.0f} s: its work is not bounded") from None
    err_text, _, peak = err.decode("utf-8", "replace").rpartition(_PEAK)
    if not _:
        err_text, peak = peak, "0"
    return Ran(proc.returncode, out.decode("utf-8", "replace"), err_text,
               int(peak.strip() or 0) / 1024)


def assert_bounded(ran: Ran) -> None:
    """No internal error and no memory failure: a message and exit 0, 1 or 2."""
    assert ran.returncode in (0, 1, 2), (ran.returncode, ran.stderr[-2000:])
    assert "MemoryError" not in ran.stderr and "内部出错" not in ran.stderr, ran.stderr[-2000:]
