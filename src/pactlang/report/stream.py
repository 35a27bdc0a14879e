"""Results written straight from columns: the portfolio outputs that stream.

:func:`result_line` writes one finished run as the compact JSON text that
``json.dumps(evaluation_dict(run), sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` gives — the same bytes (the tests compare them on every
example and on generated contracts) — but builds the month-by-month columns
(measures, lets, KPIs, threshold statuses) as text a column at a time instead
of as one dict per month.

:func:`portfolio_pieces` gives the pieces of a portfolio's output in a
format — ``json`` (``{"results": [...]}``, one result per line), ``jsonl``
(one result per line, nothing around them) — to be written one by one, never
joined into one string.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pactlang.base.values import Period, Value
from pactlang.kernel.run import Meta, Run
from pactlang.present.show import json_value
from pactlang.report.results import Window, in_window, small_parts

__all__ = ["FRAMING", "Framing", "portfolio_pieces", "result_line", "value_texts"]

_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_SIMPLE = {None: "null", True: "true", False: "false"}
_NONE = type(None)
_DECIMALS = ({Decimal}, {Decimal, _NONE})
# a negative zero's ``str`` keeps its sign (``-0.00``); its JSON text does not
_NEGATIVE_ZERO = re.compile(r'"-0(?:\.0*)?"')


def _text(v: Value) -> str:
    """One value's JSON text, as ``json.dumps(json_value(v))``."""
    if v is None or v is True or v is False:
        return _SIMPLE[v]
    return _dumps(json_value(v))


def value_texts(col: Sequence[Value]) -> list[str]:
    """The JSON texts of a column of values (a decimal's is its exact string).

    A column of decimals (and missing values) is written with ``str``; the
    rare values whose ``str`` is not their JSON text — an exponent (``1E+2``),
    a negative zero — send the column to the general path."""
    if set(map(type, col)) <= {Decimal, _NONE}:
        texts = ["null" if v is None else f'"{v}"' for v in col]
        joined = "".join(texts)
        if "E" in joined or ('"-0' in joined and _NEGATIVE_ZERO.search(joined)):
            return [_text(v) for v in col]
        return texts
    return [_text(v) for v in col]


@dataclass(slots=True)
class _Timeline:
    """The constant text of a run of months: each column of values is one
    ``%`` formatting of a template (``{"2026-01":"%s",...}``), in C."""

    labels: list[str]  # '"2026-01":'
    quoted: str  # the object of quoted texts: '{"2026-01":"%s",...}'
    plain: str  # the object of ready texts: '{"2026-01":%s,...}'
    array: str  # the months: '["2026-01",...]'

    @classmethod
    def of(cls, months: Sequence[Period]) -> _Timeline:
        labels = [_dumps(str(p)) + ":" for p in months]
        return cls(
            labels,
            "{" + ",".join(label + '"%s"' for label in labels) + "}",
            "{" + ",".join(label + "%s" for label in labels) + "}",
            "[" + ",".join(label[:-1] for label in labels) + "]",
        )

    def column(self, col: Sequence[Value]) -> str:
        """A column's JSON object (month: value)."""
        types = set(map(type, col))
        if types in _DECIMALS:
            # ``%s`` is a decimal's ``str``: its JSON text but for an exponent or
            # a negative zero; a missing value's ``"None"`` becomes ``null``
            text = self.quoted % tuple(col)
            if "E" not in text and not ('"-0' in text and _NEGATIVE_ZERO.search(text)):
                return text.replace('"None"', "null") if _NONE in types else text
        return self.plain % tuple(map(_text, col))


_TIMELINES: dict[tuple[Period, int], _Timeline] = {}


def _timeline(months: Sequence[Period]) -> _Timeline:
    """The texts of a run of months, shared by the keys with the same months
    (consecutive months: the first month and the count name them)."""
    if not months or months[-1].index - months[0].index != len(months) - 1:
        return _Timeline.of(months)
    got = _TIMELINES.get((months[0], len(months)))
    if got is None:
        if len(_TIMELINES) > 4096:
            _TIMELINES.clear()
        got = _TIMELINES[months[0], len(months)] = _Timeline.of(months)
    return got


class _StatusTexts(dict[tuple[bool, int | None, str | None], str]):
    """The JSON text of each (check, rule, status) of a threshold's month."""

    def __missing__(self, key: tuple[bool, int | None, str | None]) -> str:
        check, rule, status = key
        if len(self) > 4096:
            self.clear()
        text = self[key] = _dumps({"check": check, "rule": rule, "status": status})
        return text


_STATUS_TEXTS = _StatusTexts()
_NAMES: dict[str, str] = {}


def _name(name: str) -> str:
    """A member's name as a JSON key, with its colon."""
    got = _NAMES.get(name)
    if got is None:
        if len(_NAMES) > 4096:
            _NAMES.clear()
        got = _NAMES[name] = _dumps(name) + ":"
    return got


_Groups = tuple[tuple[tuple[str, str], ...], ...]
_GROUPS: list[tuple[Meta, _Groups]] = []  # the last Meta seen, and its groups (one entry)


def _groups(meta: Meta) -> _Groups:
    """The KPIs, lets and measures of a contract, each sorted, as (JSON key, name):
    the same for every key of a portfolio (``Meta`` is frozen)."""
    last = _GROUPS[0] if _GROUPS else None
    if last is not None and last[0] is meta:
        return last[1]
    groups = tuple(
        tuple((_name(n), n) for n in sorted(names)) for names in (meta.kpis, meta.lets, meta.measures)
    )
    _GROUPS[:] = [(meta, groups)]  # one assignment: the pair is never mixed
    return groups


def _small_text(v: Any) -> str:
    """A small part's JSON text (most are empty: no events, no warnings)."""
    if v is None:
        return "null"
    if not v and type(v) in (list, dict):
        return "[]" if type(v) is list else "{}"
    return _dumps(v)


def result_line(ev: Run, window: Window = (None, None)) -> str:
    """One result as compact JSON text (keys sorted), built column by column."""
    meta = ev.meta
    months = ev.months
    if window == (None, None):
        idx = list(range(len(months)))
    else:
        idx = [i for i, p in enumerate(months) if in_window(p, window)]
    whole = len(idx) == len(months)
    timeline = _timeline(months if whole else [months[i] for i in idx])
    small = small_parts(ev, window, idx)
    series = ev.series
    pick = None if whole else operator.itemgetter(*idx) if len(idx) > 1 else None

    def column(name: str) -> str:
        col = series[name]
        if not whole:
            col = [col[i] for i in idx] if pick is None else pick(col)
        return timeline.column(col)

    def group(names: Sequence[tuple[str, str]]) -> str:
        if whole:
            return "{" + ",".join([p + timeline.column(series[n]) for p, n in names]) + "}"
        return "{" + ",".join([p + column(n) for p, n in names]) + "}"

    kpis, lets, measures = _groups(meta)
    texts = _STATUS_TEXTS
    parts = []
    thresholds = ev.thresholds
    for name in sorted(thresholds):
        run = thresholds[name]
        statuses: Iterable[tuple[bool, int | None, str | None]] = zip(
            run.is_check, run.decided_by, run.status, strict=True
        )
        if not whole:
            every = list(statuses)
            statuses = [every[i] for i in idx]
        parts.append(_name(name) + timeline.plain % tuple(map(texts.__getitem__, statuses)))
    columns = {
        "kpis": group(kpis),
        "lets": group(lets),
        "measures": group(measures),
        "months": timeline.array,
        "thresholds": "{" + ",".join(parts) + "}",
    }
    # every other part of the document as results.py builds it (so a new part
    # of the result needs no change here)
    pieces = {**{k: _small_text(v) for k, v in small.items()}, **columns}
    return "{" + ",".join([_name(k) + pieces[k] for k in sorted(pieces)]) + "}"


@dataclass(frozen=True, slots=True)
class Framing:
    """How a portfolio format frames its results' lines: ``head``, then each
    line as ``before + line + after`` (the first line's ``before`` is
    ``first``, a suffix of ``before``), then ``tail`` (``empty`` when there
    was no line)."""

    head: str
    before: str
    after: str
    first: str
    tail: str
    empty: str


FRAMING = {
    "json": Framing('{"results": [', ",\n", "", "\n", "\n]}\n", "]}\n"),
    "jsonl": Framing("", "", "\n", "", "", ""),
}


def portfolio_pieces(lines: Iterable[str], fmt: str) -> Iterator[str]:
    """A portfolio's output, piece by piece, from its results' lines:
    ``json`` is ``{"results": [...]}`` with one result per line, ``jsonl`` one
    result per line (:data:`FRAMING`)."""
    f = FRAMING[fmt]
    if f.head:
        yield f.head
    first = True
    for line in lines:
        yield (f.first if first else f.before) + line + f.after
        first = False
    if f.tail or f.empty:
        yield f.empty if first else f.tail
