"""``archive-tool export``: the inspection package (binders, the static site, the 自评表)."""
from __future__ import annotations

import click


@click.group("export")
def group() -> None:
    """迎检材料：装订用的 PDF 卷宗、可从 U 盘打开的离线网页、自评表。

    \b
    示例：
      archive-tool export binder 档案 -o 卷宗
      archive-tool export site 档案 -o U盘/档案网页
      archive-tool export selfcheck 档案 -o 自评表.xlsx
    """


COMMANDS = [group]
