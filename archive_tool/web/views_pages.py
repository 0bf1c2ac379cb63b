"""The reading pages: 我的任务, 总览 (with downloads), 指标, 检索, the activity log."""
from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from . import library, site
from .access import EVERYONE, READERS_OF_ALL, WRITERS, allow
from .chart import SEGMENTS, Bar, coverage_svg
from .models import ARCHIVIST, OWNER, ROLE_LABELS, Activity, Review
from .wording import said

labels = library.labels
STATUS_ORDER = [s for s, _, _ in SEGMENTS]


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    member = getattr(request.user, "member", None)
    return redirect("tasks" if member is not None and member.role == OWNER else "overview")


def _periods(rule) -> list[dict]:
    return [{"text": labels.period_token(p, rule), "status": p.status, "short": p.short}
            for p in rule.periods]


def _rules(gap) -> list[dict]:
    """A leaf's rules under their requirements, with each period as a token and a status."""
    return [{"heading": heading,
             "rules": [{"text": r.text, "status": r.status, "periods": _periods(r),
                        "notes": labels.rule_notes(r)} for r in rules]}
            for heading, rules in labels.rules_by_requirement(gap)]


def _returned(unit_id: int) -> dict[str, Review]:
    """Paths whose latest review returned them, with that review."""
    latest: dict[str, Review] = {}
    for review in Review.objects.filter(unit_id=unit_id).order_by("-created", "-id")[:2000]:
        latest.setdefault(review.path, review)
    return {path: r for path, r in latest.items() if r.status == Review.RETURNED}


@allow(*EVERYONE)
def tasks(request):
    """A 责任人's own rules in progress or short, files that do not count, files returned;
    档案组 and 领导 choose whose (everyone's by default)."""
    snap = site.current().snapshot()
    member = request.member
    everyone = library.owner_names(snap)
    if member.role == OWNER:
        names = member.name_list() or [request.user.get_username()]
        chosen = ""
    else:
        chosen = request.GET.get("owner", "")
        names = [chosen] if chosen in everyone else everyone
    groups = library.tasks_for(snap, names)
    returned = _returned(site.current().unit_id)
    if member.role == OWNER:
        mine = set(library.leaves_of(snap, names))
        uploaded = set(Activity.objects.filter(unit_id=site.current().unit_id,
                                               user=request.user.get_username(),
                                               action=Activity.UPLOAD)
                       .values_list("target", flat=True)[:5000])
        returned = {p: r for p, r in returned.items()
                    if p in uploaded or library.indicator_of(snap, p) in mine}
    items = [{"owner": g.owner,
              "leaves": [{"gap": leaf, "status": labels.indicator_status(leaf),
                          "rules": [{"text": r.text, "periods": _periods(r)} for r in leaf.rules],
                          "not_counted": leaf.not_counted} for leaf in g.indicators]}
             for g in groups]
    return render(request, "web/tasks.html", {
        "groups": items, "names": names, "owners": everyone, "chosen": chosen,
        "returned": sorted(returned.values(), key=lambda r: r.path),
        "as_of": snap.report.as_of, "inspection": snap.report.inspection})


def _counts(ind) -> dict[str, int]:
    leaves = [leaf for leaf in ind.walk() if leaf.is_leaf and leaf.assessed]
    return {s: sum(1 for leaf in leaves if leaf.status == s) for s in STATUS_ORDER}


@allow(*EVERYONE)
def overview(request):
    snap = site.current().snapshot()
    report = snap.report
    bars = [Bar(f"{ind.id} {ind.name}", _counts(ind), ind.coverage) for ind in report.indicators]
    rows = [{"gap": ind, "status": labels.indicator_status(ind),
             "coverage": labels.percent(ind.coverage), "indent": ind.level - 1}
            for ind in report.walk() if ind.level <= 2]
    short = [{"gap": leaf, "status": labels.indicator_status(leaf),
              "periods": [labels.period_token(p, r) for r in leaf.rules for p in r.periods
                          if p.short]}
             for leaf in report.leaves() if leaf.short]
    return render(request, "web/overview.html", {
        "chart": mark_safe(coverage_svg(bars)),  # noqa: S308 - built and escaped by chart.py
        "summary": labels.summary_lines(report), "rows": rows, "short": short,
        "report": report, "summary_data": report.summary()})


def _download(data: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@allow(*EVERYONE)
def gap_xlsx(request):
    snap = site.current().snapshot()
    return _download(library.gap_xlsx_bytes(snap), f"查缺报告-{snap.report.as_of}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@allow(*EVERYONE)
def gap_html(request):
    snap = site.current().snapshot()
    return _download(library.gap_html_text(snap).encode("utf-8"),
                     f"查缺报告-{snap.report.as_of}.html", "text/html; charset=utf-8")


@allow(*EVERYONE)
def indicator(request, indicator_id: str):
    snap = site.current().snapshot()
    gap = library.indicator_gap(snap, indicator_id)
    if gap is None:
        raise Http404("没有这个指标")
    archive = site.current().archive
    files = [{"ev": row.evidence, "counted": row.counted, "reasons": row.reasons,
              "findings": row.findings, "is_image": library.is_image(row.evidence),
              "kind": labels.kind.get(row.evidence.kind, ""),
              "source": labels.date_source.get(row.evidence.date_source or "", "")}
             for row in (library.leaf_files(snap, gap.id) if gap.is_leaf else [])]
    return render(request, "web/indicator.html", {
        "gap": gap, "status": labels.indicator_status(gap),
        "ancestors": archive.ancestors(gap.id),
        "groups": _rules(gap) if gap.is_leaf else [],
        "children": [{"gap": c, "status": labels.indicator_status(c),
                      "coverage": labels.percent(c.coverage)} for c in gap.children],
        "files": files, "not_counted": gap.not_counted,
        "upload_exts": ",".join(sorted(library.UPLOAD_EXTS)),
        "max_upload_mb": _max_upload_mb(), "unit": archive.unit})


def _max_upload_mb() -> int:
    from django.conf import settings

    return settings.ARCHIVE_MAX_UPLOAD // (1024 * 1024)


SEARCH_FIELDS = ("q", "indicator", "kind", "from", "to", "organizer")


@allow(*EVERYONE)
def search(request):
    values = {k: request.GET.get(k, "").strip()[:200] for k in SEARCH_FIELDS}
    result, error = None, ""
    if any(values.values()):
        current = site.current()
        current.snapshot()  # a file changed here a moment ago is indexed first
        current.index_settled(timeout=10)
        try:
            result = library.search(current.archive, values["q"],
                                     indicator=values["indicator"], kind=values["kind"],
                                     date_from=values["from"], date_to=values["to"],
                                     organizer=values["organizer"])
        except library.ArchiveError as exc:
            error = said(exc)
    hits = [{"hit": h, "parts": h.snippet_parts(),
             "kind": labels.kind.get(h.kind, h.kind)} for h in (result.hits if result else [])]
    return render(request, "web/search.html", {
        "values": values, "result": result, "hits": hits, "error": error,
        "kinds": list(labels.kind.items())})


LOG_HEADERS = ("时间", "用户", "角色", "操作", "文件", "新文件名", "说明")


def _log_rows(queryset):
    actions = dict(Activity.ACTIONS)
    for a in queryset:
        yield (timezone.localtime(a.time).strftime("%Y-%m-%d %H:%M:%S"), a.user,
               ROLE_LABELS.get(a.role, a.role), actions.get(a.action, a.action), a.path,
               a.target, a.detail)


@allow(*READERS_OF_ALL)
def activity_log(request):
    rows = Activity.objects.filter(unit_id=site.current().unit_id)
    wanted = request.GET.get("path", "").strip()
    if wanted:
        rows = rows.filter(path__contains=wanted) | rows.filter(target__contains=wanted)
    return render(request, "web/log.html", {"headers": LOG_HEADERS, "wanted": wanted,
                                            "rows": list(_log_rows(rows[:500]))})


@allow(*READERS_OF_ALL)
def activity_csv(request):
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
    writer = csv.writer(out)
    writer.writerow(LOG_HEADERS)
    writer.writerows(_log_rows(Activity.objects.filter(unit_id=site.current().unit_id)
                               .order_by("time", "id")))
    return _download(out.getvalue().encode("utf-8"), "活动记录.csv", "text/csv; charset=utf-8")


@require_POST
@allow(ARCHIVIST)
def refresh(request):
    current = site.current()
    current.changed()
    current.snapshot()
    messages.success(request, "已重新读取档案。")
    return redirect("overview")


__all__ = ["home", "tasks", "overview", "gap_xlsx", "gap_html", "indicator", "search",
           "activity_log", "activity_csv", "refresh", "WRITERS"]
