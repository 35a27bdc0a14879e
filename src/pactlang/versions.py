"""Two versions of a contract compared (``pact diff``): in meaning, construct
by construct (:mod:`pactlang.compare.meaning`), month by month over the same
rows (:mod:`pactlang.compare.months`), and the new annex redlined against
the old one (:mod:`pactlang.compare.redline`).  Re-exported by
:mod:`pactlang.api`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pactlang.base.values import Period
from pactlang.contract import Contract, UsageError, load

if TYPE_CHECKING:
    from pactlang.compare import ContractDiff, MonthChange
    from pactlang.render import Rendered

__all__ = ["diff", "redline"]


def diff(
    old: Contract | str | os.PathLike[str],
    new: Contract | str | os.PathLike[str],
    data: str | os.PathLike[str] | None = None,
    *,
    strict: bool = False,
) -> ContractDiff:
    """What changed from ``old`` to ``new`` (``pact diff``): in meaning,
    construct by construct, and, with ``data``, month by month (both versions
    evaluated over the same rows)."""
    from pactlang.compare import ContractDiff, Version, meaning_changes, month_changes

    a = old if isinstance(old, Contract) else load(old)
    b = new if isinstance(new, Contract) else load(new)
    changes = meaning_changes(a.checked, a.program.ir, b.checked, b.program.ir)
    warnings: list[str] = []
    months_t: tuple[MonthChange, ...] | None = None
    if data is not None:
        rows, warnings = _shared_rows(a, b, data)
        runs = (
            a.program.run(rows, strict=strict),  # type: ignore[arg-type]
            b.program.run(rows, strict=strict),  # type: ignore[arg-type]
        )
        months_t = tuple(month_changes(*runs, b.program.digits, b.checked.currency))

    def version(c: Contract) -> Version:
        return Version(c.path, c.checked.title, c.checked.id, c.checked.version)

    return ContractDiff(
        version(a),
        version(b),
        tuple(changes),
        months_t,
        Path(data).name if data is not None else None,
        tuple(warnings),
    )


def redline(
    old: Contract | str | os.PathLike[str],
    new: Contract | str | os.PathLike[str],
    changes: ContractDiff | None = None,
    *,
    lang: str | None = None,
    fmt: str = "html",
) -> Rendered:
    """The new version's annex redlined against the old one's (``html`` or
    ``docx``): insertions and deletions marked, the changes in meaning first."""
    from pactlang.compare.redline import redline_annex
    from pactlang.render import RenderError

    a = old if isinstance(old, Contract) else load(old)
    b = new if isinstance(new, Contract) else load(new)
    summary = changes if changes is not None else diff(a, b)
    try:
        return redline_annex(a.checked, b.checked, summary, lang=lang, fmt=fmt)
    except RenderError as exc:
        raise UsageError(str(exc)) from None


def _shared_rows(
    a: Contract, b: Contract, data: str | os.PathLike[str]
) -> tuple[Mapping[Period, Mapping[str, object]], list[str]]:
    """One data file read for two versions: the columns of either version's
    measures (a measure both declare must have one type), the months of the
    later term's union."""
    from pactlang.io.data import MeasureSpec, load_data

    if a.checked.currency != b.checked.currency:
        raise UsageError(
            f"{a.path} is in {a.checked.currency} and {b.path} in {b.checked.currency}: "
            "one data file cannot be read for both"
        )
    specs: dict[str, MeasureSpec] = {}
    for c in (b, a):
        for s in c.measure_specs():
            assert isinstance(s, MeasureSpec)
            if s.name in specs and specs[s.name].type != s.type:
                raise UsageError(
                    f"measure `{s.name}` is {specs[s.name].type} in one version and {s.type} in the other: "
                    "one data file cannot be read for both"
                )
            specs.setdefault(s.name, s)
    starts = [d for d in (a.checked.effective, b.checked.effective) if d is not None]
    ends = [d for d in (a.checked.until, b.checked.until) if d is not None]
    loaded = load_data(
        Path(data),
        list(specs.values()),
        currency=b.checked.currency,
        effective=min(starts) if len(starts) == 2 else None,
        until=max(ends) if len(ends) == 2 else None,
    )
    return loaded.datasets.get(None, {}), [str(w) for w in loaded.warnings]
