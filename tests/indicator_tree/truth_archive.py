"""An archive built as a new user builds one, for the end-to-end truth tests (test_truth_*.py).

The task table is imported with ``archive-tool tree import``, the skeleton made with ``init``,
evidence filed with the real libraries (python-docx, reportlab + pypdf, Pillow) and photos
captioned with ``archive-tool caption set``; ``check --format json`` is then flattened into
``{leaf id: {rule number: {period label: (status, found, required)}}}`` so that a test can
compare every rule and period with the truth it knows.
"""
from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from PIL import Image
from pypdf import PdfReader, PdfWriter

from archive_tool.cli import main

#: 100 characters of a report body (Word's 字数 counts each of them)
HUNDRED = "本单位深入开展文明单位创建工作，坚持以社会主义核心价值观为引领，组织干部职工开展理论学习、志愿服务和道德讲堂等活动，" \
          "取得明显成效，群众满意度不断提高，创建氛围日益浓厚，各项工作有序推进。"[:100]


class TruthArchive:
    """One unit's archive made from its own task table through the CLI."""

    def __init__(self, tmp_path: Path, table: Path, unit: str):
        self.runner = CliRunner()
        self.unit = unit
        self.tree_file = tmp_path / "tree.yaml"
        self.imported = self.cli("tree", "import", str(table), "-o", str(self.tree_file))
        assert self.imported.exit_code == 0, self.imported.output
        self.root = tmp_path / "档案"
        made = self.cli("init", str(self.root), "--tree", str(self.tree_file), "--unit", unit)
        assert made.exit_code == 0, made.output

    def cli(self, *args: str):
        return self.runner.invoke(main, list(args))

    def folder(self, leaf_id: str) -> Path:
        (found,) = [p for p in self.root.rglob("*") if p.is_dir() and p.name.split(" ")[0] == leaf_id]
        return found

    # ---- evidence ------------------------------------------------------------------------------
    def docx(self, leaf_id: str, name: str, chars: int = 200, created: datetime | None = None,
             sub: str = "") -> Path:
        """A Word document of ``chars`` characters with its name in the footer; ``created`` is
        written to the core properties as UTC (what Word and python-docx do)."""
        folder = self.folder(leaf_id) / sub
        folder.mkdir(exist_ok=True)
        path = folder / name
        doc = Document()
        body = (HUNDRED * (chars // 100 + 1))[:chars]
        doc.add_paragraph(body)
        doc.sections[0].footer.paragraphs[0].text = path.stem
        if created is not None:
            doc.core_properties.created = created
        doc.save(path)
        return path

    def pdf(self, leaf_id: str, name: str, creation: str, text: str = "创建工作材料") -> Path:
        """A reportlab PDF whose /CreationDate is ``creation`` (``D:20240315093000+08'00'``)."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        buf = io.BytesIO()
        c = canvas.Canvas(buf)
        c.setFont("STSong-Light", 14)
        c.drawString(72, 720, text)
        c.save()
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
        writer.add_metadata({"/CreationDate": creation, "/ModDate": creation})
        out = io.BytesIO()
        writer.write(out)
        path = self.folder(leaf_id) / name
        path.write_bytes(out.getvalue())
        return path

    def image(self, leaf_id: str, name: str, sub: str = "", colour=(120, 160, 200)) -> Path:
        folder = self.folder(leaf_id) / sub
        folder.mkdir(exist_ok=True)
        path = folder / name
        Image.new("RGB", (64, 48), colour).save(path, "PNG" if path.suffix == ".png" else "JPEG")
        return path

    def photo(self, leaf_id: str, name: str, day: date | None, theme: str, sub: str = "",
              colour=(120, 160, 200)) -> Path:
        """An image captioned with ``archive-tool caption set`` (no caption when ``day`` is
        None)."""
        path = self.image(leaf_id, name, sub, colour)
        if day is not None:
            result = self.cli("caption", "set", str(path), "--time", day.isoformat(),
                              "--organizer", self.unit, "--theme", theme)
            assert result.exit_code == 0, result.output
        return path

    def file(self, leaf_id: str, name: str, data: bytes = b"\0" * 64) -> Path:
        path = self.folder(leaf_id) / name
        path.write_bytes(data)
        return path

    # ---- the report ----------------------------------------------------------------------------
    def check(self, as_of: str, inspection: str, *more: str):
        return self.cli("check", str(self.root), "--as-of", as_of, "--inspection", inspection,
                        *more)

    def report(self, as_of: str, inspection: str) -> tuple[int, dict]:
        result = self.check(as_of, inspection, "--format", "json")
        assert result.exit_code in (0, 1), result.output
        return result.exit_code, json.loads(result.stdout)


def leaves(report: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}

    def visit(items):
        for item in items:
            if item["children"]:
                visit(item["children"])
            else:
                out[item["id"]] = item
    visit(report["indicators"])
    return out


def statuses(report: dict) -> dict[str, dict]:
    """{leaf id: {"status": …, "rules": [(kind, {label: (status, found, required)})]}}."""
    return {leaf_id: {"status": leaf["status"],
                      "rules": [(rule["kind"], {p["label"]: (p["status"], p["found"], p["required"])
                                                for p in rule["periods"]})
                                for rule in leaf["rules"]]}
            for leaf_id, leaf in leaves(report).items()}


def not_counted(report: dict, leaf_id: str) -> dict[str, list[str]]:
    """{file name: [reason codes]} of a leaf's files that do not count."""
    out: dict[str, list[str]] = {}
    for item in leaves(report)[leaf_id]["not_counted"]:
        out.setdefault(item["path"].rsplit("/", 1)[-1], []).append(item["rule"])
    return out


def assert_truth(archive: TruthArchive, as_of: str, inspection: str, truth: dict,
                 files: dict[str, dict[str, list[str]]]) -> dict:
    """Check the archive and compare every leaf's rules and periods with ``truth`` and its
    files that do not count with ``files`` ({leaf id: {file name: [codes]}}); the report."""
    code, report = archive.report(as_of, inspection)
    assert statuses(report) == truth
    for leaf_id in truth:
        assert not_counted(report, leaf_id) == files.get(leaf_id, {}), leaf_id
    assert code == (0 if report["summary"]["short"] == 0 else 1)
    return report
