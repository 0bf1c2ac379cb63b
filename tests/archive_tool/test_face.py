"""The front ends reach the library through its face alone: ``archive_tool`` (the names of its
``__all__``), and ``indicator_tree``'s face for the trees.

The rule, checked on the source of every command-line module (``archive_tool/cli/``), of the
watcher (``archive_tool/watch/``) and of the web front end's adapter (``archive_tool/web/
library.py``): an import is the standard library, a third-party package the front end is made
of (click; watchdog for the watcher), a module of its own package (``from . import …``), or
``from archive_tool import NAME`` / ``from indicator_tree import NAME`` with NAME a name the
face exports. The command line may also import the faces of the front ends it starts
(``archive_tool.watch``, ``archive_tool.web``: ``archive-tool watch``, ``archive-tool serve``).
Nothing deeper: no ``archive_tool.scan``, no ``from .. import``. And the library never
imports a front end.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import archive_tool
import indicator_tree

PACKAGE = Path(archive_tool.__file__).resolve().parent
FRONTS = {"cli": {"click"}, "watch": {"watchdog"}}
FACES = {"archive_tool": set(archive_tool.__all__), "indicator_tree": set(indicator_tree.__all__)}
#: the front ends the command line starts (archive-tool watch, archive-tool serve)
STARTED = ("archive_tool.watch", "archive_tool.web")


def _front_files():
    for folder, third_party in FRONTS.items():
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            yield path, third_party
    yield PACKAGE / "web" / "library.py", set()


def _problems(path: Path, third_party: set[str]) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if alias.name in FACES:
                    continue
                if top not in sys.stdlib_module_names and top not in third_party:
                    out.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module, level = node.module or "", node.level
            if level == 1:
                continue  # its own package
            if level > 1:
                out.append(f"from {'.' * level}{module} import …")
            elif module in FACES:
                out += [f"from {module} import {a.name} (not in its face)"
                        for a in node.names if a.name not in FACES[module]]
            elif module in STARTED and path.parent.name == "cli":
                continue  # the face of a front end the command line starts
            elif module.split(".")[0] not in sys.stdlib_module_names | third_party:
                out.append(f"from {module} import …")
    return out


@pytest.mark.parametrize("path,third_party", list(_front_files()),
                         ids=lambda v: v.relative_to(PACKAGE).as_posix() if isinstance(v, Path)
                         else "")
def test_a_front_end_imports_the_face_alone(path, third_party):
    assert _problems(path, third_party) == []


def test_every_name_of_the_face_is_there():
    for name in archive_tool.__all__:
        assert getattr(archive_tool, name) is not None, name


def test_the_rule_catches_a_deep_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from archive_tool.scan import scan\nfrom .. import lint\n"
                   "from archive_tool import Nonexistent\nimport whoosh\n", encoding="utf-8")
    assert len(_problems(bad, {"click"})) == 4


def test_the_command_line_starts_without_the_heavy_libraries():
    import subprocess

    code = ("import sys, archive_tool.cli; heavy = ('PIL', 'lxml', 'whoosh', 'jieba', "
            "'openpyxl', 'pypdf', 'docx', 'watchdog', 'django'); "
            "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_library_never_imports_a_front_end():
    fronts = ("cli", "watch", "web")
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in fronts or rel.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                parts = (node.module or "").split(".")
                named = parts[1] if node.level == 0 and parts[0] == "archive_tool" else (
                    parts[0] if node.level == len(rel.parts) else None)
                assert named not in fronts, f"{rel} imports the front end {named}"
