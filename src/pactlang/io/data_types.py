"""What loading a data file gives: the problems found (file, row, column), the
error that carries them, the validated datasets, and the measure specs of a
checked contract.  :mod:`pactlang.io.data` and :mod:`pactlang.io.columns`
load; this module is what they hand back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pactlang.io.cells import (
    Dataset,
    MeasureSpec,
)

__all__ = ["DataError", "DataProblem", "LoadedData", "measure_specs"]


# --------------------------------------------------------------------------- API types


@dataclass(frozen=True, slots=True)
class DataProblem:
    """One problem (or warning) in a data file.

    ``row`` is a CSV line number (int) or a JSON location (``"2026-01"`` or
    ``"[3]"``); ``column`` is a column / field name.  Either may be ``None``
    for a problem of the whole file or row.
    """

    path: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Bad data: the problems found in the file, in file order (at most
    :data:`MAX_PROBLEMS`; ``more`` counts the others)."""

    def __init__(
        self,
        problems: Sequence[DataProblem],
        warnings: Sequence[DataProblem] = (),
        more: int = 0,
    ) -> None:
        self.problems: list[DataProblem] = list(problems)
        self.warnings: list[DataProblem] = list(warnings)
        self.more = more
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.more:
            path = self.problems[0].path if self.problems else "data"
            noun = "problem" if self.more == 1 else "problems"
            lines.append(f"{path}: … and {self.more:,} more {noun}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


@dataclass(slots=True)
class LoadedData:
    """Validated data: one dataset per portfolio key (``None`` without ``by``).

    Each dataset maps every month inside the term, ascending, to a dict holding
    every measure name (``None`` where missing).
    """

    datasets: dict[str | None, Dataset]
    warnings: list[DataProblem] = field(default_factory=list)
    key_warnings: dict[str | None, list[DataProblem]] = field(default_factory=dict)

    def warnings_for(self, key: str | None) -> list[DataProblem]:
        """The warnings about one dataset (rows outside the term)."""
        return self.key_warnings.get(key, [])


def measure_specs(contract: Any) -> list[MeasureSpec]:
    """The measure specs of a :class:`~pactlang.sema.model.CheckedContract`."""
    return [
        MeasureSpec(name, str(decl.type.name), decl.reported)
        for name, decl in contract.measures.items()
    ]


