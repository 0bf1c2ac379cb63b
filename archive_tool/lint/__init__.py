"""Named rules over Evidence -> Findings.

Each rule id of DESIGN.md is one function registered with :func:`rule`; every finding carries
the rule id, the path relative to the archive root, a severity, a Chinese message and a
concrete fix. Rules read only the scan result: none of them opens a file (the perceptual hashes
PHOTO_REUSED compares are computed before the rules run, once per photo ever: :func:`lint`,
:mod:`archive_tool.photo_hashes`). The rules live by
concern in ``names``, ``place`` and ``content``, registered in the order reports list them.
"""
from __future__ import annotations

import functools
import os
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..collector import building_records
from ..errors import UsageError
from ..evidence import Finding
from ..photo_hashes import Ahead, settle
from ..scan import Progress, ScanResult
from . import names, place, content, scans, reuse  # noqa: F401,E401 - registers the rules, in this order
from .content import DATE_TOLERANCE
from .context import ERROR, RULES, WARNING, LintContext, Rule, rule

__all__ = ["DATE_TOLERANCE", "ERROR", "RULES", "WARNING", "LintContext", "LintReport", "Rule",
           "lint", "rule", "select_rules"]


@dataclass
class LintReport:
    result: ScanResult
    findings: list[Finding]
    #: the rules run (None: all) and where the commands in the fixes are run from
    rules: tuple[str, ...] | None = None
    cwd: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    def about(self, path: str) -> list[Finding]:
        """The findings about ``path`` (a file, or a folder for PLACE_UNKNOWN_DIR)."""
        return self._by_path.get(path, [])

    @functools.cached_property
    def _by_path(self) -> dict[str, list[Finding]]:
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            by_path[f.path].append(f)
        return dict(by_path)

    def summary(self) -> dict:
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        return {"files": len(self.result.evidence), "findings": len(self.findings),
                "errors": self.errors, "warnings": self.warnings,
                "by_rule": dict(sorted(by_rule.items()))}

    def to_dict(self) -> dict:
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary()}


def select_rules(rules: Iterable[str] | None = None) -> list[str]:
    """The rule ids to run (all by default; case does not matter). UsageError for an unknown
    one, so a command can check its options before it scans."""
    selected = [r.strip().upper() for r in rules] if rules else list(RULES)
    unknown = [r for r in selected if r not in RULES]
    if unknown:
        raise UsageError(f"未知的规则：{', '.join(unknown)}",
                         hint=f"可用规则：{', '.join(RULES)}")
    return selected


@building_records
def lint(result: ScanResult, rules: Iterable[str] | None = None, *,
         cwd: str | os.PathLike | None = None, progress: Progress | None = None,
         ahead: Ahead | None = None) -> LintReport:
    """Run the named rules (all by default) over a scan; the findings are the report's alone.
    PHOTO_REUSED first computes the perceptual hashes the scan left pending (set on its
    records and cached: :func:`archive_tool.photo_hashes.settle`; ``progress`` as they come;
    ``ahead``: those hashed while the scan read).

    Commands in fixes name files as seen from ``cwd`` (the current folder by default)."""
    selected = select_rules(rules)
    if "PHOTO_REUSED" in selected:
        settle(result, progress, [root for _, root in reuse.other_years(result.root)], ahead)
    cwd = os.fspath(cwd) if cwd is not None else None
    ctx = LintContext(result, cwd=cwd)
    findings: list[Finding] = []
    for rule_id in RULES:
        if rule_id in selected:
            findings.extend(RULES[rule_id].check(ctx))
    order = {rule_id: index for index, rule_id in enumerate(RULES)}
    findings.sort(key=lambda f: (f.path[:max(f.path.rfind("/"), 0)], f.path, order[f.rule]))
    return LintReport(result, findings, tuple(selected) if rules is not None else None, cwd)
