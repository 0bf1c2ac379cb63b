"""Builds the generated archive of the relevance set (generated.yaml) with the real libraries:
docx with python-docx, txt, JPEG photos with captions written by archive_tool.captions.

Used by tests/archive_tool/test_search_relevance.py and test_search_cli.py (loaded by path).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SPEC = yaml.safe_load((HERE / "generated.yaml").read_text(encoding="utf-8"))


def _folder(root: Path, tree, indicator: str) -> Path:
    folder = root
    for ind in tree.path(indicator):
        folder = next(p for p in folder.iterdir() if p.is_dir()
                      and p.name.split(" ", 1)[0] == ind.id)
    return folder


def _write_docx(path: Path, paragraphs: list[str], created: date | None) -> None:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.sections[0].footer.paragraphs[0].text = path.stem
    if created:
        document.core_properties.created = datetime(created.year, created.month, created.day, 9)
    document.save(str(path))


def _write_photo(path: Path, caption: dict | None) -> None:
    from PIL import Image

    from archive_tool.captions import write_caption

    Image.new("RGB", (64, 48), (120, 160, 200)).save(path, "JPEG", quality=80)
    if caption:
        write_caption(path, caption["time"], caption["organizer"], caption["theme"])


def build_generated(root: Path) -> Path:
    """Create the archive at ``root`` (a folder that does not exist yet); return ``root``."""
    from archive_tool.config import open_archive
    from archive_tool.scaffold import init_archive

    init_archive(root, SPEC["tree"], unit=SPEC["unit"])
    tree = open_archive(root).tree
    for item in SPEC["files"]:
        path = _folder(root, tree, item["indicator"]) / item["name"]
        if path.suffix == ".docx":
            _write_docx(path, item["text"], item.get("date"))
        elif path.suffix == ".txt":
            path.write_text("\n".join(item["text"]), encoding="utf-8")
        else:
            _write_photo(path, item.get("caption"))
    return root
