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
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from pactlang.base.values import Value
from pactlang.kernel.run import Run
from pactlang.present.show import json_value
from pactlang.report.results import Window, in_window, small_parts

__all__ = ["portfolio_pieces", "result_line", "value_texts"]

_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_SIMPLE = {None: "null", True: "true", False: "false"}


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
    if all(type(v) is Decimal for v in col if v is not None):
        texts = ["null" if v is None else f'"{v}"' for v in col]
        if "E" in "".join(texts) or (0 in col and any(v is not None and not v and v.is_signed() for v in col)):  # type: ignore[union-attr]
            return [_text(v) for v in col]
        return texts
    return [_text(v) for v in col]


_LABELS: dict[tuple[Any, int], list[str]] = {}


def _object(pre: Sequence[str], texts: Iterable[str]) -> str:
    return "{" + ",".join(map(operator.add, pre, texts)) + "}"


def _threshold_text(check: bool, rule: int | None, status: str | None, cache: dict[Any, str]) -> str:
    key = (check, rule, status)
    got = cache.get(key)
    if got is None:
        got = cache[key] = _dumps({"check": check, "rule": rule, "status": status})
    return got


def result_line(ev: Run, window: Window = (None, None)) -> str:
    """One result as compact JSON text (keys sorted), built column by column."""
    meta = ev.meta
    months = ev.months
    if window == (None, None):
        idx = list(range(len(months)))
    else:
        idx = [i for i, p in enumerate(months) if in_window(p, window)]
    whole = len(idx) == len(months)
    if whole and months:
        # the month keys of a timeline, shared by every key with the same months
        pre = _LABELS.get((months[0], len(months)))
        if pre is None:
            if len(_LABELS) > 4096:
                _LABELS.clear()
            pre = _LABELS[months[0], len(months)] = [_dumps(str(p)) + ":" for p in months]
    else:
        pre = [_dumps(str(months[i])) + ":" for i in idx]
    small = small_parts(ev, window, idx)

    def column(name: str) -> str:
        col = ev.series[name]
        if not whole:
            col = [col[i] for i in idx]
        return _object(pre, value_texts(col))

    def group(names: Sequence[str]) -> str:
        return "{" + ",".join(_dumps(n) + ":" + column(n) for n in sorted(names)) + "}"

    cache: dict[Any, str] = {}
    parts = []
    for name in sorted(ev.thresholds):
        run = ev.thresholds[name]
        texts = [
            _threshold_text(run.is_check[i], run.decided_by[i], run.status[i], cache) for i in idx
        ]
        parts.append(_dumps(name) + ":" + _object(pre, texts))
    thresholds = "{" + ",".join(parts) + "}"
    columns = {
        "kpis": group(meta.kpis),
        "lets": group(meta.lets),
        "measures": group(meta.measures),
        "months": "[" + ",".join(p[:-1] for p in pre) + "]",
        "thresholds": thresholds,
    }
    # every other part of the document as results.py builds it (so a new part
    # of the result needs no change here)
    pieces = {**{k: _dumps(v) for k, v in small.items()}, **columns}
    return "{" + ",".join(_dumps(k) + ":" + pieces[k] for k in sorted(pieces)) + "}"


def portfolio_pieces(lines: Iterable[str], fmt: str) -> Iterator[str]:
    """A portfolio's output, piece by piece, from its results' lines:
    ``json`` is ``{"results": [...]}`` with one result per line, ``jsonl`` one
    result per line."""
    if fmt == "jsonl":
        for line in lines:
            yield line + "\n"
        return
    yield '{"results": ['
    first = True
    for line in lines:
        yield ("\n" if first else ",\n") + line
        first = False
    yield ("\n]}" if not first else "]}") + "\n"
