"""What the tests share: the demo tree, archives built from a tree by ``init``, and LibreOffice.

Fixtures are injected as usual; the plain helpers are imported by the test modules
(``from ..conftest import new_archive, tree_yaml``).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

UNIT = "临沂市环境保护局"
#: the demo tree of most tests: two level-I indicators, three leaves, the 2018 window
DEMO_TREE = {
    "id": "demo-2018", "title": "演示",
    "window": {"start": "2018-01-01", "end": "2018-12-31"},
    "indicators": [
        {"id": "I-1", "name": "思想政治建设", "children": [
            {"id": "II-1", "name": "加强学习"}, {"id": "II-2", "name": "理论宣讲"}]},
        {"id": "I-2", "name": "精神文明建设", "children": [{"id": "II-3", "name": "志愿服务"}]},
    ],
}
L1 = "I-1 思想政治建设/II-1 加强学习"
L2 = "I-1 思想政治建设/II-2 理论宣讲"
L3 = "I-2 精神文明建设/II-3 志愿服务"


def tree_yaml(tree: dict | str = DEMO_TREE) -> str:
    """A tree file's text: ``tree`` as YAML (a dict), or as it is (a text)."""
    if isinstance(tree, str):
        return tree
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def new_archive(base: Path, tree: dict | str = DEMO_TREE, *, unit: str = UNIT,
                name: str = "档案", config: str = "") -> Path:
    """An archive made by ``init`` at ``base/name`` from ``tree`` (a dict, a tree file's text,
    or a shipped tree's id); ``config`` is appended to its config.yaml. Its root."""
    from archive_tool import Archive

    base.mkdir(parents=True, exist_ok=True)
    if isinstance(tree, str) and "\n" not in tree:
        source = tree  # a shipped tree
    else:
        source = base / f"{Path(name).name}-tree.yaml"
        source.write_text(tree_yaml(tree), encoding="utf-8")
    root = base / name
    Archive.init(root, str(source), unit=unit)
    if config:
        file = root / ".archive" / "config.yaml"
        file.write_text(file.read_text(encoding="utf-8") + config, encoding="utf-8")
    return root


def leaf(root: Path, indicator_id: str) -> Path:
    """The folder of an indicator, wherever it is below ``root``."""
    for path in sorted(root.rglob("*")):
        if path.is_dir() and path.name.split(" ", 1)[0] == indicator_id:
            return path
    raise LookupError(indicator_id)


@pytest.fixture
def demo_archive(tmp_path) -> Path:
    """An archive of the demo tree (unit 临沂市环境保护局) in ``tmp_path/档案``."""
    return new_archive(tmp_path)


# ---- LibreOffice ---------------------------------------------------------------------------
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: the PDF conversion check runs only where "
           "it is (apt-get install libreoffice-writer-nogui fonts-noto-cjk; .ci/run does)")


def pdf_text(docx: Path, tmp_path: Path) -> str:
    """Convert with LibreOffice (its own profile, so parallel runs do not collide); the text of
    the PDF it makes."""
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=300)
    reader = PdfReader(out / (docx.stem + ".pdf"))
    return "\n".join(page.extract_text() for page in reader.pages)
