"""The timeline: which months an evaluation covers (LANGUAGE.md §3, §5).

Evaluation covers every month from the first to the last data month inside
the contract's term, consecutively (a month with no row is a month whose
measures are all missing).  Data outside the term is ignored with a warning.
``--strict`` turns any missing measure value into an error.

A measure reported quarterly or yearly (§5 "Measure cadence") has a value in
the last month of each period only (March, June, September, December; or
December): a value in another month is an input error
(:func:`report_problems`).  Between reports the month's value is the last
report (:func:`held`); before the first report month of the timeline it is
missing.  ``--strict`` looks only at report months for such measures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pactlang.base.values import Period, Value

__all__ = [
    "Dataset",
    "EvaluationError",
    "dataset_from_columns",
    "dataset_from_rows",
    "months_of",
    "held",
    "is_report_month",
    "report_problems",
    "strict_problems",
    "year_starts",
]

#: months between two reports of a measure, by cadence
REPORT_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


class EvaluationError(ValueError):
    """Input that stops an evaluation: ``--strict`` misses, bad waterfall amounts,
    arithmetic out of range.  ``problems`` lists each one in words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def months_of(
    data_months: Iterable[Period],
    effective: datetime.date | None,
    until: datetime.date | None,
) -> tuple[list[Period], list[str]]:
    """The months to evaluate, and a warning for each data month outside the term."""
    warnings: list[str] = []
    start = Period.of(effective) if effective else None
    end = Period.of(until) if until else None
    inside = []
    for p in sorted(data_months):
        if (start is not None and p < start) or (end is not None and p > end):
            warnings.append(f"{p}: outside the contract term, ignored")
            continue
        inside.append(p)
    if not inside:
        return [], warnings
    first, last = inside[0], inside[-1]
    if len(inside) == last.index - first.index + 1:
        return inside, warnings  # already consecutive
    return [Period.from_index(i) for i in range(first.index, last.index + 1)], warnings


@dataclass(slots=True)
class Dataset:
    """One evaluation's data, on its timeline: consecutive months inside the
    term, and one column per measure aligned with them (missing: ``None``)."""

    months: list[Period]
    columns: dict[str, list[Value]]
    warnings: list[str] = field(default_factory=list)


_EMPTY: Mapping[str, Value] = {}


def dataset_from_rows(
    rows: Mapping[Period, Mapping[str, Value]],
    measures: Sequence[str],
    effective: datetime.date | None,
    until: datetime.date | None,
) -> Dataset:
    """Rows keyed by month (a row: measure → value) as a :class:`Dataset`."""
    months, warnings = months_of(rows, effective, until)
    got = [rows.get(p) or _EMPTY for p in months]
    return Dataset(months, {name: [row.get(name) for row in got] for name in measures}, warnings)


def dataset_from_columns(
    months: Sequence[Period],
    columns: Mapping[str, Sequence[Value]],
    effective: datetime.date | None,
    until: datetime.date | None,
) -> Dataset:
    """Columns aligned with ``months`` (increasing, each once) as a :class:`Dataset`:
    months outside the term dropped with a warning, gaps filled with missing values."""
    placed, warnings = months_of(months, effective, until)
    if len(placed) == len(months) and (not placed or placed[0] == months[0]):
        return Dataset(placed, {n: list(c) for n, c in columns.items()}, warnings)
    where = {p: i for i, p in enumerate(months)}
    index = [where.get(p) for p in placed]
    return Dataset(
        placed,
        {n: [None if i is None else c[i] for i in index] for n, c in columns.items()},
        warnings,
    )


def strict_problems(
    months: Sequence[Period],
    series: Mapping[str, Sequence[Value]],
    key: str | None,
    cadences: Mapping[str, str] | None = None,
) -> list[str]:
    """Every missing measure value, in measure then month order (``--strict``); a
    measure reported quarterly or yearly is looked at in its report months only."""
    where = f"{key}: " if key is not None else ""
    cadences = cadences or {}
    return [
        f"{where}{months[i]}: measure `{name}` is missing (--strict)"
        for name, col in series.items()
        for i, v in enumerate(col)
        if v is None and is_report_month(cadences.get(name, "monthly"), months[i])
    ]


def is_report_month(cadence: str, period: Period) -> bool:
    """Whether a measure reported at ``cadence`` is reported in ``period``."""
    return period.month % REPORT_STEP[cadence] == 0


def report_problems(
    months: Sequence[Period], series: Mapping[str, Sequence[Value]], cadences: Mapping[str, str]
) -> list[str]:
    """A value of a quarterly or yearly measure outside its report months."""
    out: list[str] = []
    for name, cadence in cadences.items():
        col = series.get(name)
        if col is None:
            continue
        for i, v in enumerate(col):
            if v is not None and not is_report_month(cadence, months[i]):
                out.append(
                    f"{months[i]}: measure `{name}` is reported {cadence} "
                    f"({report_months(cadence)}): {months[i]} is not a report month"
                )
    return out


def report_months(cadence: str) -> str:
    return "in March, June, September and December" if cadence == "quarterly" else "in December"


def held(col: Sequence[Value], months: Sequence[Period], cadence: str) -> list[Value]:
    """A measure reported at ``cadence``, month by month: each month holds the report of
    the latest report month on or before it; missing before the first one."""
    out: list[Value] = []
    current: Value = None
    for v, p in zip(col, months, strict=True):
        if is_report_month(cadence, p):
            current = v
        out.append(current)
    return out


def year_starts(months: Sequence[Period]) -> list[int]:
    """For each month, the index of its calendar year's first month in the
    timeline (``year to date`` windows start there)."""
    return [max(0, t - (p.month - 1)) for t, p in enumerate(months)]
