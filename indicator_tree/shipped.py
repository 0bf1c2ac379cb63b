"""The trees shipped as package data, and resolving "ID or FILE" arguments."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import Problem, TreeError
from .model import Tree
from .yaml_format import load_tree, load_tree_text


def _tree_files() -> dict[str, "resources.abc.Traversable"]:
    folder = resources.files("indicator_tree") / "trees"
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".yaml")}


def shipped_ids() -> list[str]:
    """Ids of the shipped trees, sorted."""
    return sorted(_tree_files())


def load_shipped(tree_id: str) -> Tree:
    """Load a shipped tree by id."""
    files = _tree_files()
    if tree_id not in files:
        raise TreeError([Problem(tree_id, None, None, "没有这个内置指标体系")],
                        hint=f"可用的内置指标体系：{', '.join(sorted(files))}；也可以给出 YAML 文件路径。")
    return load_tree_text(files[tree_id].read_text(encoding="utf-8"), f"{tree_id}.yaml")


def shipped_text(tree_id: str) -> str:
    """The YAML text of a shipped tree (init copies it into the archive)."""
    load_shipped(tree_id)
    return _tree_files()[tree_id].read_text(encoding="utf-8")


def resolve_tree(ref: str | Path) -> Tree:
    """``ref`` is a shipped tree id or the path of a tree file."""
    ref_str = str(ref)
    if ref_str in _tree_files() and not Path(ref_str).is_file():
        return load_shipped(ref_str)
    if Path(ref_str).suffix.lower() in (".yaml", ".yml") or Path(ref_str).exists():
        return load_tree(ref_str)
    return load_shipped(ref_str)
