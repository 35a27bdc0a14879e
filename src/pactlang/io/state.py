"""Waterfall state files (``pact distribute --state FILE``): the JSON border.

The kernel (:mod:`pactlang.kernel.waterfalls`) knows nothing of JSON; this
module turns a :class:`~pactlang.kernel.waterfalls.WaterfallState` into text
and back, and runs the locked read–modify–write of a state file.

The document (``"format": "pactlang-waterfall-state"``, ``"version": 1``)::

    {"format": "pactlang-waterfall-state", "version": 1,
     "waterfall": "fund", "currency": "EUR",
     "tiers": [{"index": 0, "name": "repay", "paid_to_date": {"acme": "150000.00", ...}}, ...],
     "retained_to_date": "0.00",
     "months": [{"period": "0001-01", "amount": "250000.00",
                 "paid": [{"acme": "150000.00", ...}, ...], "retained": "0.00"}, ...]}

Reading is strict (a pydantic model at the border, strict types): no unknown
or missing field, ``version`` the integer 1 (not ``true``, not ``1.0``),
``index`` an integer (not ``0.0``), amounts non-negative decimal strings of at
most 31 integer and 30 decimal digits, months ``YYYY-MM``, no duplicate keys,
no ``NaN``; then the history must be consistent (months increasing, each
month's payouts plus retained equal to its amount, totals equal to the sum
of the months).  Every problem names the field (``tiers[0].index``) and what
is wrong; nothing leaks a Python exception text.

A state file is read and rewritten under an exclusive lock
(:func:`pactlang.io.files.locked`): concurrent ``pact distribute`` runs on
the same file queue up instead of losing updates; one that waits longer than
the timeout fails with exit 2.  A missing file is a fresh fund; an existing
file that is empty, truncated, not UTF-8, unreadable or invalid is an error
and is left exactly as it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

from pactlang.base.money import MoneyError, from_minor, minor_digits, to_minor
from pactlang.base.values import Period
from pactlang.io.files import (
    DEFAULT_LOCK_TIMEOUT,
    FileProblem,
    locked,
    read_bytes_limited,
    refuse_inputs,
    resolve_output,
    write_text,
)
from pactlang.kernel.waterfalls import MonthRecord, WaterfallState, WaterfallStateError

__all__ = [
    "MAX_STATE_BYTES",
    "STATE_FORMAT",
    "STATE_VERSION",
    "StateError",
    "StateFile",
    "open_state",
    "read_state",
    "state_from_json",
    "state_to_json",
]

STATE_FORMAT = "pactlang-waterfall-state"
STATE_VERSION = 1
#: Largest state file read (a state grows by one month per distribution).
MAX_STATE_BYTES = 64 * 1024 * 1024
_SHOWN_PROBLEMS = 5


class StateError(FileProblem):
    """A state file that cannot be used: the message names the file, field and problem."""


# ------------------------------------------------------------------ schema

Amount = Annotated[
    str, StringConstraints(strict=True, pattern=r"^[0-9]{1,31}(\.[0-9]{1,30})?$")
]
Month = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}$")]
Name = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Tier(_Model):
    index: int
    name: Name | None
    paid_to_date: dict[Name, Amount]


class _Month(_Model):
    period: Month
    amount: Amount
    paid: list[dict[Name, Amount]]
    retained: Amount

    @field_validator("period")
    @classmethod
    def _month(cls, value: str) -> str:
        Period.parse(value)  # month 01..12, year 0001..9999
        return value


class _State(_Model):
    format: str
    version: int
    waterfall: Name
    currency: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{3}$")]
    tiers: list[_Tier]
    retained_to_date: Amount
    months: list[_Month]

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value != STATE_FORMAT:
            raise ValueError(f"expected {STATE_FORMAT!r}")
        return value

    @field_validator("version")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != STATE_VERSION:
            raise ValueError(f"unsupported version {value} (this pact reads version {STATE_VERSION})")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        try:
            minor_digits(value)
        except MoneyError:
            raise ValueError(f"unknown currency {value!r}") from None
        return value


def _where(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "the document"


def _message(item: Any) -> str:
    msg = str(item["msg"])
    kind = item.get("type", "")
    if kind == "string_pattern_mismatch":
        loc = item["loc"]
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if field == "period":
            return "expected a month YYYY-MM"
        if field == "currency":
            return "expected an ISO 4217 currency code such as EUR"
        return "expected a non-negative decimal string such as \"1200.50\""
    return msg.removeprefix("Value error, ")


def _problems(exc: ValidationError) -> str:
    items = exc.errors(include_url=False, include_input=False)
    shown = [f"{_where(i['loc'])}: {_message(i)}" for i in items[:_SHOWN_PROBLEMS]]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more problem(s)" if more > 0 else "")


# -------------------------------------------------------------------- json


class _JsonProblem(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonProblem(f"duplicate key {key!r}")
        out[key] = value
    return out


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 30:
        raise _JsonProblem(f"a number with {len(text)} digits")
    return int(text)


def _constant(text: str) -> Any:
    raise _JsonProblem(f"{text} is not allowed")


def state_to_json(state: WaterfallState) -> str:
    """Exact JSON text (amounts as decimal strings), keys in a fixed order."""
    if state.in_progress is not None:
        raise WaterfallStateError("cannot save a state in the middle of a month")
    cur = state.currency

    def amounts(parties: tuple[str, ...], units: Sequence[int]) -> dict[str, str]:
        return {p: str(from_minor(u, cur)) for p, u in zip(parties, units, strict=True)}

    doc: dict[str, Any] = {
        "format": STATE_FORMAT,
        "version": STATE_VERSION,
        "waterfall": state.waterfall,
        "currency": cur,
        "tiers": [
            {"index": i, "name": name, "paid_to_date": amounts(parties, state.paid_to_date[i])}
            for i, (name, parties) in enumerate(
                zip(state.tier_names, state.tier_parties, strict=True)
            )
        ],
        "retained_to_date": str(from_minor(state.retained_to_date, cur)),
        "months": [
            {
                "period": str(m.period),
                "amount": str(from_minor(m.amount, cur)),
                "paid": [
                    amounts(parties, row)
                    for parties, row in zip(state.tier_parties, m.paid, strict=True)
                ],
                "retained": str(from_minor(m.retained, cur)),
            }
            for m in state.history
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def state_from_json(text: str) -> WaterfallState:
    """Read :func:`state_to_json` text back.

    Raises :class:`~pactlang.kernel.waterfalls.WaterfallStateError` naming the
    field and the problem when the text is not a valid, consistent state."""
    if not text.strip():
        raise WaterfallStateError("the state is empty")
    try:
        doc = json.loads(
            text, object_pairs_hook=_pairs, parse_int=_int, parse_constant=_constant
        )
    except json.JSONDecodeError as exc:
        raise WaterfallStateError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except _JsonProblem as exc:
        raise WaterfallStateError(f"not a valid state: {exc}") from None
    except RecursionError:
        raise WaterfallStateError("not a valid state: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT:
        raise WaterfallStateError(
            f"not a waterfall state (expected \"format\": \"{STATE_FORMAT}\")"
        )
    try:
        model = _State.model_validate(doc)
    except ValidationError as exc:
        raise WaterfallStateError(f"invalid waterfall state: {_problems(exc)}") from None
    return _to_state(model)


def _to_state(doc: _State) -> WaterfallState:
    cur = doc.currency

    def units(text: str, where: str) -> int:
        try:
            return to_minor(Decimal(text), cur)
        except MoneyError as exc:
            raise WaterfallStateError(f"{where}: {exc}") from None

    names: list[str | None] = []
    parties: list[tuple[str, ...]] = []
    totals: list[list[int]] = []
    for i, tier in enumerate(doc.tiers):
        if tier.index != i:
            raise WaterfallStateError(f"tiers[{i}].index: {tier.index}, expected {i}")
        names.append(tier.name)
        parties.append(tuple(tier.paid_to_date))
        totals.append(
            [
                units(v, f"tiers[{i}].paid_to_date.{p}")
                for p, v in tier.paid_to_date.items()
            ]
        )
    records: list[MonthRecord] = []
    for m_index, m in enumerate(doc.months):
        where = f"months[{m_index}]"
        if len(m.paid) != len(parties):
            raise WaterfallStateError(
                f"{where}.paid: {len(m.paid)} tiers, expected {len(parties)}"
            )
        rows: list[tuple[int, ...]] = []
        for t, (row, tparties) in enumerate(zip(m.paid, parties, strict=True)):
            if tuple(row) != tparties:
                raise WaterfallStateError(
                    f"{where}.paid[{t}]: parties {', '.join(row) or 'none'}, "
                    f"expected {', '.join(tparties) or 'none'} (as in tiers[{t}])"
                )
            rows.append(tuple(units(v, f"{where}.paid[{t}].{p}") for p, v in row.items()))
        records.append(
            MonthRecord(
                period=Period.parse(m.period),
                amount=units(m.amount, f"{where}.amount"),
                paid=tuple(rows),
                retained=units(m.retained, f"{where}.retained"),
            )
        )
    state = WaterfallState.restore(doc.waterfall, cur, names, parties, records)
    if state.paid_to_date != totals:
        raise WaterfallStateError("tiers[].paid_to_date does not match the sum of the months")
    if state.retained_to_date != units(doc.retained_to_date, "retained_to_date"):
        raise WaterfallStateError("retained_to_date does not match the sum of the months")
    return state


# -------------------------------------------------------------------- files


def read_state(path: str | os.PathLike[str]) -> WaterfallState:
    """Read a state file; :class:`StateError` (naming the file) on any problem."""
    shown = str(path)
    try:
        raw = read_bytes_limited(path, MAX_STATE_BYTES)
    except FileProblem as exc:
        raise StateError(str(exc)) from None
    except IsADirectoryError:
        raise StateError(f"{shown}: is a directory") from None
    except OSError as exc:
        raise StateError(f"{shown}: cannot read the state file: {exc.strerror or exc}") from None
    if not raw.strip():
        raise StateError(
            f"{shown}: the state file is empty (an interrupted write, or emptied by hand?); "
            "it is left as it is. To start a fresh fund, give a file that does not exist"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StateError(f"{shown}: not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start})") from None
    try:
        return state_from_json(text)
    except WaterfallStateError as exc:
        raise StateError(f"{shown}: {exc}") from None


@dataclass(slots=True)
class StateFile:
    """An open, locked state file: ``state`` is None for a file that does not exist yet."""

    path: str
    state: WaterfallState | None
    inputs: tuple[str, ...]

    def save(self, state: WaterfallState) -> None:
        write_text(self.path, state_to_json(state), inputs=self.inputs)


@contextmanager
def open_state(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Iterator[StateFile]:
    """Lock ``path``, read it, and let the block :meth:`StateFile.save` the new state.

    The lock is held from before the read until after the write.  ``inputs``
    are the command's other input files: a state file that is one of them is
    refused before anything is read."""
    shown = str(path)
    others = tuple(str(i) for i in inputs)
    refuse_inputs(path, others)
    resolve_output(path)  # the folder exists, and the path is not a directory
    with locked(path, timeout=timeout):
        # looked at under the lock: another run may have just created the file
        state = read_state(path) if os.path.exists(path) else None
        yield StateFile(shown, state, others)
