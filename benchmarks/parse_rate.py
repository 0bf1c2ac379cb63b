"""The rule parser's parse rate on the parse corpus (tests/indicator_tree/parse_corpus.yaml).

    python benchmarks/parse_rate.py [--verbose]

Prints, for the seeds' phrasings (the shipped trees' requirements and notes, seed 004's lines)
and for the realistic phrasings written for the corpus, how many entries the parser reads
exactly as the corpus expects: every rule with its kind, count, period, length, deadline,
occurrences and cut-offs, no rule more. ``--verbose`` lists each entry read otherwise. Run it
against another checkout (``PYTHONPATH=that/checkout``) to compare parsers.
"""
from __future__ import annotations

import argparse
import importlib.util
from collections import Counter
from pathlib import Path

CORPUS_MODULE = Path(__file__).resolve().parent.parent / "tests" / "indicator_tree" / "parse_corpus.py"


def _corpus():
    spec = importlib.util.spec_from_file_location("parse_corpus", CORPUS_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list the entries read otherwise")
    args = parser.parse_args()

    import indicator_tree
    from indicator_tree import rules_for

    corpus = _corpus()
    entries = corpus.load()
    total, right = Counter(), Counter()
    wrong = []
    for entry in entries:
        group = corpus.group(entry)
        total[group] += 1
        try:
            problem = corpus.mismatch(entry, rules_for)
        except Exception as exc:  # an older parser may fail on a phrasing: count it as wrong
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            wrong.append((entry["id"], problem))
        else:
            right[group] += 1
    print(f"parser: {Path(indicator_tree.__file__).parent}")
    for group in ("seeds", "own"):
        print(f"{group:<6} {right[group]:>4} / {total[group]:<4} {right[group] / total[group]:6.1%}")
    all_right, all_total = sum(right.values()), sum(total.values())
    print(f"{'all':<6} {all_right:>4} / {all_total:<4} {all_right / all_total:6.1%}")
    if args.verbose:
        for entry_id, problem in wrong:
            print(f"- {entry_id}: {problem}")


if __name__ == "__main__":
    main()
