"""A portfolio evaluated as one run: the contracts' months one after another.

Evaluating a portfolio contract by contract pays a fixed cost per contract
(a :class:`~pactlang.kernel.run.Run`, a call per expression and per threshold,
each a few list comprehensions over a few dozen months).  A :class:`Stack`
evaluates every contract of a portfolio at once instead: each column is the
contracts' columns one after another, every expression is computed once over
the whole portfolio, and each threshold is walked once.  The semantics are
the kernel's own, unchanged; what the months of several contracts side by
side need is said where it matters, through the contracts'
:class:`~pactlang.kernel.series.Segments`:

* windows, lags and ``to date`` never reach back across a contract's first
  month (:func:`~pactlang.kernel.series.trailing`, ``lag``, ``cumulative``);
* a threshold's ``for N`` looks back at the checks before *its* contract's
  first month; between checks a status is not kept into the next contract;
  a ``once`` action fires once per contract (:func:`~pactlang.kernel.thresholds.walk`).

Only what reads nothing across contracts is evaluated this way: the
program's steps must be whole-timeline values and thresholds (no
recurrence, waterfall or contribution, no measure reported quarterly or
yearly: :func:`pactlang.ir.nodes.stack_blocker` says why not), and no
``terminate`` may fire (it cuts a contract's months).  Anything else — and
anything that fails on the way (reading a contract's data, evaluating it), so
that the error is the one a contract-by-contract run meets first — is
evaluated contract by contract
(:func:`evaluate`); the result is the same :class:`Portfolio` either way.

A :class:`Portfolio` is the whole table (:attr:`~Portfolio.series`,
:attr:`~Portfolio.statuses`, :attr:`~Portfolio.months`, each contract's
:attr:`~Portfolio.spans`) and, on demand, each contract's own finished run
(``portfolio[i]``), built from the table as its own evaluation would have
built it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import localcontext
from typing import Any, overload

from pactlang.base.calendars import BusinessCalendar
from pactlang.base.values import CONTEXT, Period, Value
from pactlang.kernel import thresholds as T
from pactlang.kernel.run import Meta, Run
from pactlang.kernel.series import Segments, Series
from pactlang.kernel.thresholds import ThresholdRun
from pactlang.kernel.timeline import Dataset, EvaluationError, year_starts

__all__ = ["Portfolio", "Stack", "StackError", "evaluate", "value_rows"]

Key = str | None
#: a contract's own run over its dataset (a run of the interpreter or of a compiled module)
MakeRun = Callable[[Dataset, Key], Run]


class StackError(Exception):
    """The portfolio cannot be evaluated as one run (it is evaluated contract by contract)."""


class _Columns(dict[str, Series]):
    """The stacked columns: a measure's is joined from the datasets the first time it is read."""

    def __init__(self, datasets: Sequence[tuple[Key, Dataset]]) -> None:
        super().__init__()
        self._datasets = datasets

    def __missing__(self, name: str) -> Series:
        col: Series = []
        extend = col.extend
        for _key, data in self._datasets:
            extend(data.columns[name])
        self[name] = col
        return col


class Stack(Run):
    """Every contract of a portfolio as one run (see the module's documentation)."""

    def __init__(
        self,
        meta: Meta,
        datasets: Sequence[tuple[Key, Dataset]],
        *,
        strict: bool = False,
        calendar: BusinessCalendar | None = None,
    ) -> None:
        if meta.cadences:
            raise StackError("a measure is reported quarterly or yearly")
        super().__init__(meta, Dataset([], {}), calendar=calendar)
        if strict:
            for key, data in datasets:
                problems = meta.missing(data, key)
                if problems:
                    raise EvaluationError(problems)
        self.datasets = datasets
        months: list[Period] = []
        spans: list[tuple[int, int]] = []
        firsts: list[int] = []
        for _key, data in datasets:
            s = len(months)
            months.extend(data.months)
            spans.append((s, len(months)))
            firsts.append(data.months[0].index if data.months else 0)
        self.months = months
        self.n = len(months)
        self.segments = Segments(tuple(spans), tuple(firsts))
        self.series = _Columns(datasets)
        self.warnings = [w for _key, data in datasets for w in data.warnings]

    @property
    def year_starts(self) -> list[int]:
        """Each month's first month of its calendar year, inside its own contract."""
        if self._year_starts is None:
            out: list[int] = []
            for (s, _e), (_key, data) in zip(self.segments.spans, self.datasets, strict=True):  # type: ignore[union-attr]
                out += [s + i for i in year_starts(data.months)]
            self._year_starts = out
        return self._year_starts

    @property
    def start(self) -> int:
        raise StackError("windows over quarterly values")  # pragma: no cover - refused in __init__

    def recur(self, *args: Any, **kwargs: Any) -> None:
        raise StackError("constructs that read each other's earlier months")

    def distribute(self, *args: Any, **kwargs: Any) -> Any:
        raise StackError("a waterfall")

    def contribute(self, *args: Any, **kwargs: Any) -> Any:
        raise StackError("a contribution")

    def _record(self, run: ThresholdRun, since: int) -> None:
        self.events.extend(run.events[since:])  # each contract's own are listed by its run

    def finish(self) -> Stack:
        if any(e.kind == "terminate" for e in self.events):
            raise StackError("a `terminate` ends a contract early")
        return self


class Portfolio(Sequence[Run]):
    """A portfolio's evaluation: the whole table, and each contract's finished run."""

    def __init__(
        self,
        keys: Sequence[Key],
        *,
        stack: Stack | None = None,
        make: MakeRun | None = None,
        runs: Sequence[Run] | None = None,
    ) -> None:
        self.keys = list(keys)
        self._stack = stack
        self._make = make
        self._runs: list[Run | None] = list(runs) if runs is not None else [None] * len(self.keys)
        self._table: tuple[list[Period], list[tuple[int, int]], dict[str, Series], dict[str, Series]] | None = None
        self.stacked = stack is not None  # evaluated as one run (else contract by contract)

    # -- the table
    def _joined(self) -> tuple[list[Period], list[tuple[int, int]], dict[str, Series], dict[str, Series]]:
        if self._table is None:
            if self._stack is not None:
                st = self._stack
                assert st.segments is not None
                for name in st.meta.measures:
                    st.series[name]  # noqa: B018 - joined on first read
                self._table = (st.months, list(st.segments.spans), dict(st.series), dict(st.statuses))  # type: ignore[arg-type]
            else:
                runs = list(self)
                months: list[Period] = []
                spans = []
                for r in runs:
                    spans.append((len(months), len(months) + r.n))
                    months += r.months
                names = list(runs[0].series) if runs else []
                series = {n: [v for r in runs for v in r.series[n]] for n in names}
                statuses = {n: [v for r in runs for v in r.statuses[n]] for n in (runs[0].statuses if runs else ())}
                self._table = (months, spans, series, statuses)  # type: ignore[assignment]
        return self._table  # type: ignore[return-value]

    @property
    def months(self) -> list[Period]:
        """Every contract's months, one contract after another."""
        return self._joined()[0]

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Contract i's months are ``months[s:e]`` with ``(s, e) = spans[i]``."""
        return self._joined()[1]

    @property
    def series(self) -> Mapping[str, Series]:
        """Each measure, let and KPI over :attr:`months`."""
        return self._joined()[2]

    @property
    def statuses(self) -> Mapping[str, list[str | None]]:
        """Each threshold's status over :attr:`months`."""
        return self._joined()[3]  # type: ignore[return-value]

    # -- each contract's run
    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, i: int) -> Run: ...

    @overload
    def __getitem__(self, i: slice) -> list[Run]: ...

    def __getitem__(self, i: int | slice) -> Run | list[Run]:
        """Contract ``i``'s run (``-1``: the last contract's), or a list of them."""
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self.keys)
        if not -n <= i < n:
            raise IndexError(f"portfolio index {i} out of range ({n} contracts)")
        i %= n  # the contract's place in the table
        got = self._runs[i]
        if got is None:
            assert self._stack is not None and self._make is not None
            got = self._runs[i] = _contract(self._stack, i, self._make)
        return got

    def __iter__(self) -> Iterator[Run]:
        for i in range(len(self.keys)):
            yield self[i]


def _contract(st: Stack, i: int, make: MakeRun) -> Run:
    """Contract ``i``'s finished run, as its own evaluation builds it."""
    assert st.segments is not None
    key, data = st.datasets[i]
    s, e = st.segments.spans[i]
    with localcontext(CONTEXT):
        r = make(data, key)
        for name, col in st.series.items():
            if name not in r.series:  # lets and KPIs (the measures are the dataset's)
                r.series[name] = col[s:e]
        for name, trun in st.thresholds.items():
            piece = T.piece(trun, i, r.months)
            r.thresholds[name] = piece
            r.statuses[name] = piece.status
            r._record(piece, 0)
        return r.finish()


def evaluate(
    meta: Meta,
    datasets: Sequence[tuple[Key, Any]],
    read: Callable[[Any], Dataset],
    steps: Callable[[Run], None] | None,
    make: MakeRun,
    single: Callable[[Any, Key], Run],
    *,
    strict: bool = False,
    calendar: BusinessCalendar | None = None,
) -> Portfolio:
    """A portfolio's evaluation, ``(key, data)`` per contract: as one
    :class:`Stack` run by ``steps`` (the program's steps over any run; None
    when the program cannot be stacked), else contract by contract with
    ``single``.  ``read`` makes a contract's data a :class:`Dataset`; ``make``
    builds a contract's (unevaluated) run over it, for the contract's view of
    the stack.

    Whatever fails on the way to the one run — reading a contract's data, an
    evaluation error, anything else — is left to evaluating contract by
    contract, in order: the portfolio then fails exactly as that loop does,
    on the first contract that fails and with its error (an error of a later
    contract's data never comes before an earlier contract's)."""
    keys = [k for k, _d in datasets]
    pairs: list[tuple[Key, Dataset]] = []
    if steps is not None and datasets:
        try:
            with localcontext(CONTEXT):
                pairs += [(k, read(d)) for k, d in datasets]
                st = Stack(meta, pairs, strict=strict, calendar=calendar)
                steps(st)
                st.finish()
            return Portfolio(keys, stack=st, make=make)
        except Exception:  # noqa: BLE001 - contract by contract: the same result, or the loop's own error
            pass
    if len(pairs) != len(datasets):  # each contract's data as given: read (or failing) in its turn
        return Portfolio(keys, runs=[single(d, k) for k, d in datasets])
    return Portfolio(keys, runs=[single(d, k) for k, d in pairs])


def value_rows(p: Portfolio, names: Sequence[str]) -> Iterator[tuple[Key, Period, tuple[Value, ...]]]:
    """(key, month, values of ``names``) for every contract and month, from the table."""
    cols = [p.series[n] if n in p.series else p.statuses[n] for n in names]
    months = p.months
    for key, (s, e) in zip(p.keys, p.spans, strict=True):
        for t in range(s, e):
            yield key, months[t], tuple(c[t] for c in cols)
