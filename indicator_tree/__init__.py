"""The indicator hierarchy of a 文明单位 assessment: model, tree files, rule parser, table import.

This package knows nothing of files on disk beyond reading tree files and task tables.
"""
from .errors import Problem, TreeError
from .model import KINDS, PERIODS, EvidenceRule, Indicator, Requirement, Tree
from .rules import cn_number, parse_deadline, parse_rules, rules_for, word_range
from .yaml_format import (dump_tree, load_tree, load_tree_text, normalize_id, save_tree,
                          tree_to_dict)

__all__ = [
    "KINDS", "PERIODS", "EvidenceRule", "Indicator", "Problem", "Requirement", "Tree",
    "TreeError", "cn_number", "dump_tree", "load_tree", "load_tree_text", "normalize_id",
    "parse_deadline", "parse_rules", "rules_for", "save_tree", "tree_to_dict", "word_range",
]
from .shipped import load_shipped, resolve_tree, shipped_ids, shipped_text  # noqa: E402
from .show import (UNREAD, UNREAD_HINT, tree_json, tree_text, unread_line,  # noqa: E402
                   unread_requirements)

from .table_import import MAX_YEAR, MIN_YEAR, ImportResult, import_table  # noqa: E402

__all__ += ["MAX_YEAR", "MIN_YEAR", "ImportResult", "UNREAD", "UNREAD_HINT", "import_table",
            "load_shipped", "resolve_tree", "shipped_ids", "shipped_text", "tree_json",
            "tree_text", "unread_line", "unread_requirements"]
