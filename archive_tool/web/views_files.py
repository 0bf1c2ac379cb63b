"""One file: its page, its bytes and thumbnail, the upload, and the fixes (caption, footer,
rename) and the archive group's review."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from . import library, site
from .access import EVERYONE, WRITERS, allow, record
from .models import ARCHIVIST, Activity, Review
from .thumbs import thumbnail
from .wording import said, shortened

TEXT_PREVIEW = (".docx", ".docm", ".txt", ".csv", ".pdf")


def _file_or_404(request, key: str = "p"):
    """The snapshot and the file named by ``?p=``; 404 for a path that is no file of the
    archive, and for a file gone from the disk since the snapshot (dropped on the share, or
    renamed: the next page makes a new snapshot)."""
    current = site.current()
    snap = current.snapshot()
    ev = library.locate(current.archive, request.GET.get(key) or request.POST.get(key) or "",
                        snap)
    if ev is None:
        raise Http404("档案中没有这个文件")
    if not library.absolute_path(current.archive, ev).is_file():
        current.changed()
        raise Http404("这个文件已不在档案中（可能刚被改名、移走或删除）")
    return snap, ev


def file_url(rel: str) -> str:
    return reverse("file") + "?" + urlencode({"p": rel})


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def fix_context(ev, findings) -> dict:
    """Which fix buttons a file's findings call for, and the rules they fix (a writer sees the
    button; the words of the fix are for the others)."""
    fix = {"caption": any(f.rule.startswith("CAPTION_") for f in findings),
           "footer": ev is not None and ev.ext.lower() in (".docx", ".docm")
           and any(f.rule == "FOOTER_MISSING" for f in findings),
           "rename_to": next((f.rename_to for f in findings if f.rename_to), ""),
           "naming": any(f.rule.startswith("NAME_") for f in findings)}
    fix["formed"] = {f.rule for f in findings
                     if (f.rule.startswith("CAPTION_") and fix["caption"])
                     or (f.rule == "FOOTER_MISSING" and fix["footer"])
                     or (f.rule.startswith("NAME_") and fix["naming"])}
    return fix


@require_GET
@allow(*EVERYONE)
def file_page(request):
    snap, ev = _file_or_404(request)
    archive = site.current().archive
    findings = library.findings_of(snap, ev.path) if ev.path in snap.evidence else \
        library.verdict(archive, ev.path).findings
    gap = library.indicator_gap(snap, ev.indicator_id) if ev.indicator_id else None
    reasons = [n for n in (gap.not_counted if gap else []) if n.path == ev.path]
    preview = _preview(ev.ext.lower())
    history = _history(site.current().unit_id, ev.path)
    return render(request, "web/file.html", {
        "ev": ev, "findings": findings, "fix": fix_context(ev, findings),
        "counted": ev.path in snap.report.counted, "reasons": reasons, "preview": preview,
        "text": library.file_text(ev) if preview in ("text", "pdf") else "",
        "indicator": archive.indicator(ev.indicator_id) if ev.indicator_id else None,
        "kind": library.labels.kind.get(ev.kind, ev.kind),
        "date_source": library.labels.date_source.get(ev.date_source or "", ""),
        "defaults": library.caption_defaults(archive, ev), "is_image": library.is_image(ev),
        "history": history[:100],
        "reviews": Review.objects.filter(unit_id=site.current().unit_id, path=ev.path)[:20],
        "next": file_url(ev.path)})


def _preview(ext: str) -> str:
    if ext in library.INLINE_IMAGE_TYPES:
        return "image"
    if ext in library.INLINE_MEDIA_TYPES:
        return library.INLINE_MEDIA_TYPES[ext].split("/")[0]  # video, audio
    return "pdf" if ext == ".pdf" else "text" if ext in TEXT_PREVIEW else ""


def _history(unit_id: int, rel: str):
    """The activity of a file under its present name and the names it was renamed from."""
    entries = Activity.objects.filter(unit_id=unit_id)
    names = {rel}
    for _ in range(20):  # a rename chain; bounded
        older = set(entries.filter(action=Activity.RENAME, target__in=names)
                    .values_list("path", flat=True)) - names
        if not older:
            break
        names |= older
    return entries.filter(path__in=names) | entries.filter(target__in=names)


@require_GET
@allow(*EVERYONE)
def file_raw(request):
    """The file's bytes: raster images and PDF shown in the browser, anything else (an HTML or
    SVG file above all) only downloaded, never rendered inline."""
    _, ev = _file_or_404(request)
    path = library.absolute_path(site.current().archive, ev)
    ext = ev.ext.lower()
    inline_type = (library.INLINE_IMAGE_TYPES.get(ext) or library.INLINE_MEDIA_TYPES.get(ext)
                   or ("application/pdf" if ext == ".pdf" else None))
    try:
        handle = open(path, "rb")
    except OSError:
        raise Http404("文件无法读取") from None
    response = FileResponse(handle, as_attachment=inline_type is None, filename=ev.name,
                            content_type=inline_type or "application/octet-stream")
    if ext != ".pdf":
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@allow(*EVERYONE)
def file_thumb(request):
    _, ev = _file_or_404(request)
    data = thumbnail(library.absolute_path(site.current().archive, ev), ev.content_hash
                     or f"{ev.path}-{ev.mtime_ns}", settings.ARCHIVE_DATA / "thumbs")
    if data is None:
        raise Http404("无法生成缩略图")
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _changed(request, action: str, ev, new_path: str = "", detail: str = "") -> None:
    record(request, action, path=ev.path, target=new_path, detail=detail)
    archive = site.current().archive
    after = library.locate(archive, new_path or ev.path)
    site.current().changed(after)


def _fix(request, action: str, change) -> tuple:
    """Run ``change(archive, ev)`` on the file named in the form; a failure is a message. Returns
    (ev, what change returned or None)."""
    _, ev = _file_or_404(request)
    try:
        result = change(site.current().archive, ev)
    except library.ArchiveError as exc:
        messages.error(request, said(exc))
        site.current().changed()  # what failed may be a file changed on the share: look again
        return ev, None
    new = result if action == Activity.RENAME else ""
    _changed(request, action, ev, new_path=new, detail="" if new else result)
    return ev, result


@require_POST
@allow(*WRITERS)
def set_caption(request):
    form = request.POST
    ev, text = _fix(request, Activity.CAPTION, lambda archive, ev: library.set_caption(
        archive, ev, form.get("time", ""), form.get("organizer", ""), form.get("theme", "")))
    if text:
        messages.success(request, f"已写入照片说明：{text}")
    return redirect(_next(request, file_url(ev.path)))


@require_POST
@allow(*WRITERS)
def add_footer(request):
    ev, said = _fix(request, Activity.FOOTER, library.add_footer)
    if said:
        messages.success(request, said)
    return redirect(_next(request, file_url(ev.path)))


@require_POST
@allow(*WRITERS)
def rename(request):
    theme = request.POST.get("theme", "").strip()
    ev, new = _fix(request, Activity.RENAME,
                   lambda archive, ev: library.rename(archive, ev, theme))
    if not new:
        return redirect(file_url(ev.path))
    messages.success(request, f"已改名为 {new.rsplit('/', 1)[-1]}")
    return redirect(file_url(new))


@require_POST
@allow(ARCHIVIST)
def review(request):
    _, ev = _file_or_404(request)
    status = request.POST.get("status")
    if status not in (Review.RETURNED, Review.ACCEPTED):
        messages.error(request, "请选择「退回」或「通过」。")
        return redirect(file_url(ev.path))
    comment = request.POST.get("comment", "").strip()[:2000]
    Review.objects.create(unit_id=site.current().unit_id, path=ev.path, status=status,
                          comment=comment, reviewer=request.user.get_username())
    word = dict(Review._meta.get_field("status").choices)[status]
    record(request, Activity.REVIEW, path=ev.path, detail=f"{word}：{comment}".rstrip("："))
    messages.success(request, f"已{word}：{ev.name}")
    return redirect(file_url(ev.path))


@require_POST
@allow(*WRITERS)
def upload(request, indicator_id: str):
    """Store each file under the server's name, lint it at once and answer with the verdicts
    (an HTML fragment for the page's script, a whole page without script)."""
    archive = site.current().archive
    if archive.indicator(indicator_id) is None:
        raise Http404("没有这个指标")
    theme = request.POST.get("theme", "").strip()[:60]
    footer = request.POST.get("footer") == "on"
    results = [_store_one(request, archive, indicator_id, f, theme, footer)
               for f in request.FILES.getlist("files")]
    if not results:
        results = [{"name": "", "error": "没有收到文件。"}]
    fragment = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    return render(request, "web/_upload_results.html" if fragment else "web/upload_done.html",
                  {"results": results, "indicator_id": indicator_id,
                   "next": reverse("indicator", args=[indicator_id])},
                  status=200 if all("error" not in r for r in results) else 400)


def _refused(upload) -> str:
    """Why an upload is not even stored ('' when it may be)."""
    if upload.size > settings.ARCHIVE_MAX_UPLOAD:
        return f"文件太大（上限 {settings.ARCHIVE_MAX_UPLOAD // 1024 // 1024} MB）。"
    if upload.size == 0:
        return "文件是空的（0 字节），没有保存。请从原始来源重新复制后再上传。"
    return ""


def _store_one(request, archive, indicator_id: str, upload, theme: str, footer: bool) -> dict:
    name = shortened(upload.name)
    refused = _refused(upload)
    if refused:
        return {"name": name, "error": refused}
    try:
        rel = library.store_upload(archive, indicator_id, upload.name, upload.chunks(), theme)
    except library.ArchiveError as exc:
        return {"name": name, "error": said(exc)}
    record(request, Activity.UPLOAD, path=upload.name[:300], target=rel)
    note = ""
    if footer and rel.lower().endswith(".docx"):
        try:
            note = library.add_footer(archive, library.locate(archive, rel))
            record(request, Activity.FOOTER, path=rel, detail=note)
        except library.ArchiveError as exc:
            note = exc.message
    found = library.verdict(archive, rel, site.current().as_of)
    site.current().changed(found.evidence)
    ev = found.evidence
    return {"name": name, "rel": rel, "verdict": found, "ev": ev, "note": note,
            "fix": fix_context(ev, found.findings), "url": file_url(rel),
            "defaults": library.caption_defaults(archive, ev) if ev else None,
            "is_image": ev is not None and library.is_image(ev)}
