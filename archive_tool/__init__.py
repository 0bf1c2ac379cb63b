"""archive-tool: keep the evidence archive of a 文明单位 campaign.

The library's public face. Front ends (the command line, the watcher, the web pages) import
from here and nothing deeper::

    from datetime import date
    from archive_tool import Archive

    archive = Archive.open("sample_archive")           # from any path inside the archive
    report = archive.check(as_of=date(2018, 10, 15))   # scan, lint and check: the gap report
    print([leaf.id for leaf in report.leaves() if leaf.status == "missing"])

:class:`Archive` is one archive (open, init, scan, lint, check, search, index, fix, undo,
captions, new documents, footers, watch, points); :class:`Years` several assessment years. The
other names are what front ends show: the renderers of reports, the words of statuses and kinds,
the exception family. Names from heavy modules are loaded on first use, so a command starts
fast.
"""
from __future__ import annotations

import importlib

from .archive import Archive
from .errors import (ArchiveError, ConfigError, FileOperationError, IndexBusyError,
                     NotAnArchiveError, UnreadableFile, UsageError, os_reason)
from .years import Years

__version__ = "0.1.0"

#: name -> the module it comes from, imported on first use
_LAZY = {
    # models and words
    "Evidence": "evidence", "Finding": "evidence", "FILE_LABELS": "evidence",
    "IMAGE_EXTS": "evidence", "ScanResult": "scan", "LintReport": "lint",
    "GapReport": "check", "IndicatorGap": "check", "OwnerGap": "check", "by_owner": "check",
    "NotCounted": "check.model",
    "DATE_SOURCES": "check.files", "SearchResult": "search",
    "is_ignored_path": "layout", "UNDOABLE": "undo",
    "UPLOAD_EXTS": "documents", "upload_theme": "documents", "shortened_name": "documents",
    # renderers
    "GAP_FORMATS": "report", "SUFFIX_FORMATS": "report", "render_gap": "report",
    "write_gap_xlsx": "report", "render_findings": "report", "REBUILD_REASONS": "search",
    "indicator_status": "report.gap_common", "percent": "report.gap_common",
    "period_token": "report.gap_common", "rule_notes": "report.gap_common",
    "rules_by_requirement": "report.gap_common", "summary_lines": "report.gap_common",
    "view_caption": "captions.view", "source_label": "captions",
    # the watcher
    "Verdict": "verdicts", "CHECKED": "verdicts", "REMOVED": "verdicts", "FAILED": "verdicts",
    "Status": "watch.status", "WatchStats": "watch.status",
    "stop_on_signals": "watch.runtime",
    # the inspection package
    "catalogue_dict": "export.catalog_render", "catalogue_text": "export.catalog_render",
    "write_catalogue_xlsx": "export.catalog_xlsx", "build_binders": "export.binder",
    "NO_SOFFICE": "export.convert", "find_soffice": "export.convert",
    "build_site": "export.site", "document_texts": "export.site",
    "has_scores": "export.selfcheck", "write_selfcheck_xlsx": "export.selfcheck",
    # the points ledger
    "quarter_span": "points", "year_span": "points", "load_rules": "points",
    "shipped_rules": "points", "signed": "points.ruleset", "bulletin_text": "points.report_text",
    "write_bulletin": "points", "entry_rows": "points.report_text",
    "entries_text": "points.report_text", "entries_dict": "points.report_text",
}

__all__ = ["Archive", "ArchiveError", "ConfigError", "FileOperationError", "IndexBusyError",
           "NotAnArchiveError", "UnreadableFile", "UsageError", "Years", "__version__",
           "os_reason",
           *sorted(_LAZY)]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
