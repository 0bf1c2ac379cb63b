"""Limits on a YAML text, checked on its event stream before anything is built from it.

A YAML file of a few hundred bytes can describe billions of nodes through anchors and aliases
(``children: [*a, *a, *a …]`` nested ten deep), and a few thousand nested brackets make PyYAML's
composer recurse past Python's limit. The event stream is flat and lazy, so it is walked here
first: the depth of nesting, and the number of nodes the document has once every alias is
expanded (an anchored node's size is known when it ends, and every alias to it adds that size).
"""
from __future__ import annotations

import yaml

#: collections nested deeper than this are refused (a tree file needs about 2 per level)
MAX_DEPTH = 50
#: nodes, counting each alias as the nodes it stands for
MAX_NODES = 100_000
#: a tree file larger than this is refused before it is read
MAX_BYTES = 16 * 1024 * 1024


class YamlLimitError(ValueError):
    """The text exceeds a limit; ``line`` (1-based) is where it was noticed."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def check_limits(text: str) -> None:
    """Raise YamlLimitError when ``text`` nests deeper than MAX_DEPTH or expands to more than
    MAX_NODES nodes; a syntax error is left to the loader (yaml.YAMLError)."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, nodes so far] per open collection
    for event in yaml.parse(text):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([event.anchor, 1])
            if len(stack) - 1 > MAX_DEPTH:
                raise YamlLimitError(f"嵌套超过 {MAX_DEPTH} 层", line)
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, count = stack.pop()
            if anchor:
                sizes[anchor] = count
            weight = count
        elif isinstance(event, yaml.AliasEvent):
            weight = sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            weight = 1
            if event.anchor:
                sizes[event.anchor] = 1
        else:
            continue
        stack[-1][1] += weight
        if stack[-1][1] > MAX_NODES or sum(count for _, count in stack) > MAX_NODES:
            where = f"（别名 *{event.anchor}）" if isinstance(event, yaml.AliasEvent) else ""
            raise YamlLimitError(f"展开别名后超过 {MAX_NODES} 个节点{where}", line)
