"""FileStabilityTracker: pure logic, driven by a fake clock and a fake stat."""
import pytest

from archive_tool.watch.stability import FileStabilityTracker


class FakeFS:
    """A clock and a stat over a dict path -> (size, mtime_ns); a missing path raises."""

    def __init__(self):
        self.now = 0.0
        self.files: dict[str, tuple[int, int]] = {}
        self.stats = 0

    def clock(self):
        return self.now

    def stat(self, path):
        self.stats += 1
        if path not in self.files:
            raise FileNotFoundError(path)
        return _Stat(*self.files[path])

    def write(self, path, size):
        self.files[path] = (size, int(self.now * 1e9))


class _Stat:
    def __init__(self, size, mtime_ns):
        self.st_size, self.st_mtime_ns = size, mtime_ns


@pytest.fixture
def fs():
    return FakeFS()


def tracker(fs, delay=2.0, **kw):
    return FileStabilityTracker(delay, clock=fs.clock, stat=fs.stat, **kw)


def at(fs, t, tr):
    fs.now = t
    return tr.poll()


def test_ready_once_quiet_for_the_delay_and_two_stats_agree(fs):
    tr = tracker(fs)
    fs.write("a", 10)
    tr.touch("a")
    assert at(fs, 0.1, tr).ready == []          # first stat
    assert at(fs, 1.9, tr).ready == []          # not quiet long enough
    assert at(fs, 2.0, tr).ready == ["a"]       # quiet 2 s, second stat agrees
    assert len(tr) == 0
    assert at(fs, 5.0, tr).ready == []          # reported once


def test_each_touch_restarts_the_delay(fs):
    tr = tracker(fs)
    for t in (0.0, 1.0, 2.5, 4.0):               # a slow copy: created, then modified …
        fs.now = t
        fs.write("a", int(t * 100) + 1)
        tr.touch("a")
        assert tr.poll().ready == []
    assert at(fs, 5.9, tr).ready == []
    assert at(fs, 6.0, tr).ready == ["a"]


def test_a_change_without_an_event_is_caught_by_the_stats(fs):
    tr = tracker(fs)
    fs.write("a", 10)
    tr.touch("a")
    at(fs, 0.1, tr)
    fs.now = 1.5
    fs.write("a", 20)                             # another machine writes; no event
    assert at(fs, 2.0, tr).ready == []           # stats differ: wait again from now
    assert at(fs, 3.9, tr).ready == []
    assert at(fs, 4.0, tr).ready == ["a"]


def test_a_late_first_stat_needs_a_second_one_a_gap_later(fs):
    tr = tracker(fs, delay=2.0, min_gap=0.25)
    fs.write("a", 10)
    tr.touch("a")
    assert at(fs, 10.0, tr).ready == []          # the loop was busy: one stat proves nothing
    assert at(fs, 10.1, tr).ready == []
    assert at(fs, 10.25, tr).ready == ["a"]      # not another whole delay


def test_vanished_paths_are_reported_and_dropped(fs):
    tr = tracker(fs)
    tr.touch("tmp")                              # created and removed before the first stat
    p = at(fs, 0.1, tr)
    assert p.vanished == ["tmp"] and p.ready == [] and len(tr) == 0


def test_forget_and_forget_under(fs):
    tr = tracker(fs)
    for path in ("d/a", "d/b", "d2/c", "d"):
        fs.write(path, 1)
        tr.touch(path)
    assert tr.forget("d2/c") and not tr.forget("d2/c")
    assert sorted(tr.forget_under("d")) == ["d", "d/a", "d/b"]
    assert len(tr) == 0


def test_limit_leaves_the_rest_for_the_next_poll_in_touch_order(fs):
    tr = tracker(fs, delay=1.0)
    for name in ("c", "a", "b"):
        fs.write(name, 1)
        tr.touch(name)
    at(fs, 0.0, tr)
    fs.now = 1.0
    assert tr.poll(limit=2).ready == ["c", "a"]
    assert tr.poll(limit=2).ready == ["b"]


def test_next_due(fs):
    tr = tracker(fs, delay=2.0)
    assert tr.next_due() is None
    fs.write("a", 1)
    tr.touch("a")
    assert tr.next_due() == 0                    # needs its first stat
    at(fs, 0.5, tr)
    assert tr.next_due() == pytest.approx(1.5)
    fs.now = 3.0
    assert tr.next_due() == 0


def test_stats_only_when_needed(fs):
    tr = tracker(fs, delay=2.0)
    fs.write("a", 1)
    tr.touch("a")
    for t in (0.1, 0.2, 0.5, 1.0, 1.5):
        at(fs, t, tr)
    assert fs.stats == 1                         # once after the touch, not on every poll
    at(fs, 2.0, tr)
    assert fs.stats == 2


def test_a_touch_during_a_poll_wins(fs):
    tr = tracker(fs, delay=1.0)
    fs.write("a", 1)
    tr.touch("a")
    at(fs, 0.0, tr)
    real_stat = fs.stat

    def stat_then_touch(path):
        st = real_stat(path)
        tr.touch(path)                           # an event arrives while the loop stats
        return st
    fs.stat = stat_then_touch
    tr.stat = stat_then_touch
    assert at(fs, 1.0, tr).ready == []
    assert "a" in tr


def test_negative_delay_is_refused():
    with pytest.raises(ValueError):
        FileStabilityTracker(-1)
