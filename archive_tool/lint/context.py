"""The rule registry and what every rule is handed: :class:`LintContext`."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..fix import commands as fix_commands
from ..evidence import Finding
from ..naming import next_free, parse_name
from ..places import Binder
from ..scan import ScanResult

WARNING, ERROR = "warning", "error"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: Callable[["LintContext"], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str):
    """Register a rule function under ``rule_id``."""
    def register(fn: Callable[["LintContext"], Iterable[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, title, fn)
        return fn
    return register


@dataclass
class LintContext:
    result: ScanResult
    #: numbers taken per folder, updated as fixes are proposed so two fixes never collide
    taken: dict[str, set[int]] = field(default_factory=dict)
    #: where the suggested commands will be run (paths in them are relative to it when they can)
    cwd: str | None = None
    #: for a file linted alone, the other files of its folder (ScanResult.neighbours)
    neighbours: list["_Neighbour"] = field(init=False, default_factory=list)
    #: (folder, start) -> where the search for a free number goes on (:meth:`claim`)
    _cursor: dict[tuple[str, int], int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for ev in self.result.evidence:
            if ev.seq is not None:
                self.taken.setdefault(ev.folder, set()).add(ev.seq)
        # a file linted alone: the other files of its folder hold numbers too
        self.neighbours = [_Neighbour(p, mtime) for p, mtime in self.result.neighbours]
        for other in self.neighbours:
            if other.seq is not None:
                self.taken.setdefault(other.folder, set()).add(other.seq)

    @property
    def tree(self):
        return self.result.config.tree

    @functools.cached_property
    def binder(self) -> Binder:
        """Which indicator each folder binds to, and which id folders are misplaced."""
        return Binder(self.result.config)

    def claim(self, folder: str, start: int = 1) -> int:
        """The smallest number from ``start`` free in ``folder``, now taken. Numbers are only
        ever added, so the search goes on from where the last one ended: a folder's claims
        cost as many steps as its numbers, not as many for each claim."""
        numbers = self.taken.setdefault(folder, set())
        cursor = self._cursor.get((folder, start), start)
        seq = next_free(numbers, cursor)
        numbers.add(seq)
        self._cursor[(folder, start)] = seq + 1
        return seq

    def finding(self, rule_id: str, path: str, message: str, fix: str,
                rename_to: str | None = None) -> Finding:
        return Finding(rule_id, path, RULES[rule_id].severity, message, fix, rename_to)

    @functools.cached_property
    def _command_paths(self) -> fix_commands.CommandPaths:
        return fix_commands.CommandPaths(self.result.root, self.cwd)

    def command_path(self, rel: str) -> str:
        """``rel`` as a command line gives it from ``cwd`` (see :mod:`archive_tool.fix.commands`)."""
        return self._command_paths(rel)


class _Neighbour:
    """A file of the folder of a file linted alone: its name and age, for NAME_SEQ_DUP."""

    def __init__(self, path: str, mtime_ns: int):
        parsed = parse_name(path.rsplit("/", 1)[-1])
        self.path, self.mtime_ns, self.name = path, mtime_ns, path.rsplit("/", 1)[-1]
        self.folder = path.rsplit("/", 1)[0] if "/" in path else ""
        self.seq, self.name_problem = parsed.seq, parsed.problem
        self.ascii_colon = parsed.colon == "ascii"
