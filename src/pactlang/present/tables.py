"""Tables for people that wrap instead of cutting (docs/cli.md, "Tables").

:class:`WrappingConsole` is a rich ``Console`` whose ``print`` lays a table
that is wider than the output out in several blocks of columns: every block
repeats the first column (the month, the step), the next blocks' titles say
``(continued)``, and no cell is ever shortened with an ellipsis (a cell wider
than the whole width folds onto the next line, every digit kept).

The width is the terminal's; off a terminal it is ``COLUMNS`` when that is
set, else 160.
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

__all__ = ["WrappingConsole", "console", "print_table", "split_table"]


def _columns_env() -> int | None:
    raw = os.environ.get("COLUMNS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


class WrappingConsole(Console):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("width") is not None and _columns_env() is not None:
            kwargs["width"] = _columns_env()
        super().__init__(*args, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if len(objects) == 1 and isinstance(objects[0], Table):
            for block in split_table(self, objects[0]):
                super().print(block, **kwargs)
            return
        super().print(*objects, **kwargs)


def _width(console: Console, table: Table) -> int:
    wide = console.options.update(width=1_000_000, max_width=1_000_000)
    return Measurement.get(console, wide, table).maximum


def _block(table: Table, indexes: list[int], continued: bool) -> Table:
    out = copy.copy(table)
    out.columns = []
    for i in indexes:
        col = copy.copy(table.columns[i])
        col._cells = list(table.columns[i]._cells)
        col.overflow = "fold"
        out.columns.append(col)
    out.rows = list(table.rows)
    if continued and table.title:
        out.title = f"{table.title} (continued)"
    return out


def split_table(console: Console, table: Table) -> list[Table]:
    """The table as it is when it fits the console's width; else blocks of its
    columns, each with the first column, that fit (or one column at a time)."""
    for col in table.columns:
        col.overflow = "fold"  # never "…": a number is shown whole
    if len(table.columns) <= 2 or _width(console, table) <= console.width:
        return [table]
    blocks: list[list[int]] = []
    current = [0]
    for i in range(1, len(table.columns)):
        trial = _block(table, [*current, i], False)
        if len(current) > 1 and _width(console, trial) > console.width:
            blocks.append(current)
            current = [0, i]
        else:
            current.append(i)
    blocks.append(current)
    return [_block(table, b, n > 0) for n, b in enumerate(blocks)]


def console(color: bool, file: Any = None) -> WrappingConsole:
    """The console every table is printed on: colour or not, 160 columns when
    the output is not a terminal in colour, no highlighting, no soft wrapping."""
    return WrappingConsole(
        file=file or sys.stdout,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        width=None if color else 160,
        soft_wrap=False,
    )


def print_table(title: str, headers: list[str], rows: list[list[str]], *, color: bool, file: Any = None) -> None:
    """A plain table (text cells, rich markup escaped) printed with :class:`WrappingConsole`."""
    from rich.markup import escape

    con = console(color, file)
    t = Table(title=escape(title), title_justify="left")
    for h in headers:
        t.add_column(h)
    for row in rows:
        t.add_row(*(escape(cell) for cell in row))
    con.print(t)
