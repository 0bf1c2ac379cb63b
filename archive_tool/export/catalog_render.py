"""The catalogue as JSON (a stable schema for scripts) and as text for the terminal.

JSON (``archive-tool catalog --format json``)::

    {
      "unit": "临沂市环境保护局",
      "years": ["2018年", "2019年"],        # [] for a single archive
      "summary": {"files": 39, "counted": 20, "not_counted": 17, "outside": 2,
                  "volumes": 14, "by_kind": {"photo": 22, …}},
      "volumes": [{                          # one per indicator with files, binder order
        "indicator": "II-1",                 # "" for files outside every indicator folder
        "name": "加强学习",
        "top": {"id": "I-1", "name": "思想政治建设"},   # its level-I indicator
        "parents": ["I-1"], "leaf": true, "owners": ["曲丽娟"],
        "files": [{
          "no": 1,                           # 序号: running number in the volume
          "year": "2018年",                  # "" for a single archive
          "path": "I-1 思想政治建设/II-1 加强学习/01：学习十九大精神专题会议.jpg",
                                             # relative to the year's archive root
          "seq": 1,                          # the file name's number (null when none)
          "title": "学习十九大精神专题会议",      # 题名: the theme of the name, less its 文号
          "doc_number": "",                  # 文号 found in the theme (临环发〔2018〕3号)
          "responsible": "临沂市环境保护局",      # 责任者: caption's 主办单位, else owners, else unit
          "date": "2018-03-10" | null,
          "date_source": "caption|name|ocr|exif|media|folder|docx|pdf|camera" | null,
          "kind": "photo", "kind_label": "照片",
          "pages": 3 | null,                 # PDF pages, or a docx's as its properties say
          "duration": 135.2 | null,          # audio and video: seconds
          "size": 12345,                     # bytes
          "caption": {"text", "time", "organizer", "theme"} | null,
          "counts": [{"requirement_no": 1, "rule": "每季度至少 1 份活动材料",
                      "kind": "any",         # the rule's kind
                      "period": "2018Q1"}],  # rules (and periods) it counts toward
          "not_counted": [{"code": "CAPTION_MISSING", "message", "fix"}],
          "findings": [{"rule": "NAME_FORMAT", "severity": "error", "message", "fix"}],
          "remark": "计入：要求1（活动材料）2018Q1"   # 备注, as the xlsx prints it
        }]
      }]
    }
"""
from __future__ import annotations

from .catalog import OUTSIDE_ID, Catalogue, Entry, Reason, Volume, years_label


def _reason(reason: Reason, key: str = "code") -> dict:
    out = {key: reason.code, "message": reason.message, "fix": reason.fix}
    if key == "rule":
        out["severity"] = reason.severity
    return out


def entry_dict(entry: Entry) -> dict:
    cap = entry.caption
    return {"no": entry.no, "year": entry.year, "path": entry.path, "seq": entry.seq,
            "title": entry.title, "doc_number": entry.doc_number,
            "responsible": entry.responsible, "date": entry.date_text() or None,
            "date_source": entry.date_source, "kind": entry.kind,
            "kind_label": entry.kind_label, "pages": entry.pages,
            "duration": entry.duration, "size": entry.size,
            "caption": None if cap is None else {
                "text": cap.text, "time": cap.time.isoformat() if cap.time else None,
                "organizer": cap.organizer, "theme": cap.theme},
            "counts": [{"requirement_no": c.requirement_no, "rule": c.rule, "kind": c.kind,
                        "period": c.period} for c in entry.counts],
            "not_counted": [_reason(r) for r in entry.not_counted],
            "findings": [_reason(r, "rule") for r in entry.findings],
            "remark": entry.remark()}


def volume_dict(volume: Volume) -> dict:
    return {"indicator": volume.indicator, "name": volume.name,
            "top": {"id": volume.top[0], "name": volume.top[1]},
            "parents": list(volume.parents), "leaf": volume.is_leaf,
            "owners": list(volume.owners), "files": [entry_dict(e) for e in volume.entries]}


def catalogue_dict(catalogue: Catalogue) -> dict:
    return {"unit": catalogue.unit, "years": [y for y in catalogue.years if y],
            "summary": catalogue.summary(),
            "volumes": [volume_dict(v) for v in catalogue.volumes]}


def _entry_line(entry: Entry, several: bool) -> str:
    date = entry.date_text() or "日期不明"
    source = entry.date_source_text()
    if entry.date and source:
        date += f"（{source.removeprefix('取自').strip()}）"
    pages = f"  {entry.extent()}" if entry.extent() else ""
    year = f"{entry.year}  " if several and entry.year else ""
    mark = "✓" if entry.counted else "✗"
    return (f"  {entry.no:>3}  {mark} {year}{entry.name}  {entry.kind_label}  {date}  "
            f"{entry.responsible}{pages}\n        {entry.remark()}")


def _volume_heading(volume: Volume) -> str:
    if volume.indicator == OUTSIDE_ID:
        return "不在任何指标文件夹内"
    if not volume.is_leaf:
        return f"直接放在 {volume.title} 文件夹中"
    return volume.title


def catalogue_text(catalogue: Catalogue) -> str:
    """The catalogue for a terminal: per level-I indicator, per volume, one file per entry."""
    several = len([y for y in catalogue.years if y]) > 1
    span = years_label(catalogue.years)
    lines = [f"卷内文件目录：{catalogue.unit}" + (f"（{span}）" if span else "")]
    for (top_id, top_name), volumes in catalogue.tops():
        lines += ["", f"{top_id} {top_name}".strip()]
        for volume in volumes:
            lines.append(f" {_volume_heading(volume)}（{len(volume.entries)} 个文件）")
            for entry in volume.entries:
                lines.append(_entry_line(entry, several))
                for f in entry.findings:
                    lines.append(f"        {f.code}：{f.message}")
    s = catalogue.summary()
    lines += ["", f"共 {s['files']} 个文件：计入 {s['counted']}，不计入 {s['not_counted']}，"
                  f"不在指标文件夹内 {s['outside']}。"]
    return "\n".join(lines)
