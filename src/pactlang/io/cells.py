"""Cells of monthly data files: numbers, percentages, money and booleans as text or JSON.

The rules are those of :mod:`pactlang.io.data` (its documentation lists them);
this module holds the cell parsers, the bounds of numbers, the pydantic row
models built from a contract's measures (which also give ``pact schema`` its
JSON Schema), and :func:`parse_amount`, which reads an amount typed on the
command line with the same rules as a money cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

from pactlang.base.money import MAX_AMOUNT_TEXT, AmountError, bounded_amount, is_plain_amount
from pactlang.base.values import Period

if TYPE_CHECKING:  # pydantic is imported when a row model is built (not by plain files)
    from pydantic import BaseModel

__all__ = [
    "MAX_ADJUSTED_EXPONENT",
    "MAX_DECIMAL_PLACES",
    "MEASURE_TYPES",
    "MONTH_PATTERN",
    "AmountError",
    "MeasureSpec",
    "Value",
    "monthly_data_json_schema",
    "parse_amount",
    "row_model",
]

MAX_ADJUSTED_EXPONENT = 30  # |value| < 10**31
MAX_DECIMAL_PLACES = 30
MEASURE_TYPES = ("number", "count", "percent", "money", "bool")

Value = Decimal | bool | None
Row = dict[str, Value]
Dataset = dict[Period, Row]


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """A measure as the data border sees it: a name, one of :data:`MEASURE_TYPES`, and
    how often it is reported (a quarterly measure has values in March, June,
    September and December only; a yearly one in December)."""

    name: str
    type: str
    cadence: str = "monthly"

    def __post_init__(self) -> None:
        if self.type not in MEASURE_TYPES:
            raise ValueError(
                f"measure {self.name!r}: type {self.type!r} cannot come from a data file "
                f"(expected one of {', '.join(MEASURE_TYPES)})"
            )



# --------------------------------------------------------------------------- cell parsing

_SPACES = " \u00a0\u202f"
_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"


def _number_regex(mark: str) -> str:
    m = re.escape(mark)
    return rf"[+-]?(?:(?:\d+|{_GROUPED})(?:{m}\d*)?|{m}\d+)(?:[eE][+-]?\d+)?"


_NUMBER_TEXT = {
    ".": re.compile(_number_regex("."), re.ASCII),
    ",": re.compile(_number_regex(","), re.ASCII),
}
# fast paths; Decimal() itself ignores the surrounding spaces and tabs
_PLAIN = {
    ".": re.compile(r"[ \t]*[+-]?\d+(?:\.\d+)?[ \t]*", re.ASCII),
    ",": re.compile(r"[ \t]*[+-]?\d+(?:,\d+)?[ \t]*", re.ASCII),
}
_PLAIN_COUNT = re.compile(r"[ \t]*\+?\d+[ \t]*", re.ASCII)
_CURRENCY_SUFFIX = re.compile(r"(.*?)[ \u00a0\u202f]*([A-Za-z]{3})\Z", re.DOTALL)
_NONFINITE = frozenset({"nan", "snan", "inf", "infinity"})
_FIRST_LINE = re.compile(r"\S.*")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])\Z", re.ASCII)
_DECIMAL_COMMA = re.compile(r"(?:\d|^|[;\"\s+-]),\d", re.MULTILINE)

#: JSON Schema pattern of a month key / period value.
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# JSON Schema (ECMA 262) spelling of a number text with a dot as decimal mark.
_JS_NUMBER = (
    r"[+-]?(?:(?:[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?"
)


def _fail(message: str) -> NoReturn:
    from pydantic_core import PydanticCustomError

    raise PydanticCustomError("pact_data", "{message}", {"message": message})


def _check_bounds(value: Decimal, shown: str) -> Decimal:
    if not value.is_finite():
        _fail(f"{shown!r} is not a finite number")
    if value.adjusted() > MAX_ADJUSTED_EXPONENT:
        _fail(
            f"{shown!r} has an absurd magnitude "
            f"(numbers must be below 10^{MAX_ADJUSTED_EXPONENT + 1} in absolute value)"
        )
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMAL_PLACES:
        _fail(f"{shown!r} has too many decimal places (at most {MAX_DECIMAL_PLACES})")
    return value


def _text_to_decimal(text: str, mark: str, shown: str) -> Decimal:
    """A number written as text (no suffix), already stripped."""
    if not _NUMBER_TEXT[mark].fullmatch(text):
        if text.lower().lstrip("+-") in _NONFINITE:
            _fail(f"{shown!r} is not a finite number")
        if mark == "," and "." in text:
            _fail(
                f"{shown!r} is not a number: this file uses ',' as decimal mark "
                "(thousands may only be grouped with spaces)"
            )
        if mark == "." and "," in text:
            _fail(
                f"{shown!r} is not a number: the decimal mark here is '.' "
                "(a decimal comma is accepted only in ';'-separated files; "
                "thousands may only be grouped with spaces)"
            )
        _fail(f"{shown!r} is not a number")
    for space in _SPACES:
        if space in text:
            text = text.replace(space, "")
    if mark == ",":
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal can even hold
        _fail(f"{shown!r} has an absurd magnitude")
    return _check_bounds(value, shown)


def _count(value: Decimal, shown: str) -> Decimal:
    """A count: an integer >= 0 (``shown`` is how the input is quoted in messages)."""
    if value < 0:
        _fail(f"a count cannot be negative, got {shown}")
    if value != value.to_integral_value():
        _fail(f"a count must be a whole number, got {shown}")
    exponent = value.as_tuple().exponent
    return value if exponent == 0 and not value.is_signed() else Decimal(int(value))


def _percent_of(value: Decimal) -> Decimal:
    """value / 100, exactly (no context rounding)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent - 2))


def _describe_json(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, _BadJsonNumber):
        return value.text
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _Pairs):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _make_validator(kind: str, mark: str, currency: str) -> Callable[[object], Value]:
    """A cell validator for one measure type and decimal mark (``'.'`` or ``','``).

    Strings come from CSV cells or JSON strings; other values from JSON.  The
    fast path (a short plain number, the usual cell) costs one regex match and
    one ``Decimal``; everything else goes through :func:`_slow_text`.
    """
    comma = mark == ","
    fast = (_PLAIN_COUNT if kind == "count" else _PLAIN[mark]).fullmatch
    slow = _slow_text(kind, mark, currency)

    if kind == "bool":

        def validate(value: object) -> Value:
            if type(value) is str:
                return slow(value)
            if value is None or type(value) is bool:
                return value  # type: ignore[return-value]
            _fail(f"expected true or false, got {_describe_json(value)}")

        return validate

    def validate_number(value: object) -> Value:
        if type(value) is str:
            # short plain numbers are always within bounds (at most 31 digits)
            if len(value) < 32 and fast(value):
                return Decimal(value.replace(",", ".") if comma else value)
            return slow(value)
        if value is None:
            return None
        number = _json_number(value)
        return _count(number, _describe_json(value)) if kind == "count" else number

    return validate_number


def _json_number(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return _check_bounds(value, str(value))
    if isinstance(value, _BadJsonNumber):
        _fail(f"{value.text} is not a finite number")
    _fail(f"expected a number, got {_describe_json(value)}")


def _slow_text(kind: str, mark: str, currency: str) -> Callable[[str], Value]:
    """The full parser of a text cell: blanks, grouping spaces, suffixes, bounds."""

    def parse(raw: str) -> Value:
        text = raw.strip()
        if not text:
            return None
        if kind == "bool":
            low = text.lower()
            if low == "true":
                return True
            if low == "false":
                return False
            _fail(f"expected true or false, got {text!r}")
        if kind == "percent" and text.endswith("%"):
            body = text[:-1].rstrip(_SPACES)
            if not body:
                _fail(f"{text!r} is not a percentage")
            return _check_bounds(_percent_of(_text_to_decimal(body, mark, text)), text)
        if kind == "money" and text[-1].isalpha() and text.lower().lstrip("+-") not in _NONFINITE:
            match = _CURRENCY_SUFFIX.match(text)
            if match is not None and match.group(1):
                code = match.group(2)
                if code != currency:
                    _fail(f"{text!r}: currency {code} is not the contract currency {currency}")
                return _text_to_decimal(match.group(1), mark, text)
        number = _text_to_decimal(text, mark, text)
        return _count(number, repr(text)) if kind == "count" else number

    return parse


def _json_schema_for(kind: str, currency: str) -> dict[str, Any]:
    number = {"type": "string", "pattern": rf"^\s*{_JS_NUMBER}\s*$"}
    if kind == "number":
        options: list[dict[str, Any]] = [{"type": "number"}, number]
        text = "a number (JSON number or decimal string)"
    elif kind == "count":
        options = [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": r"^\s*\+?[0-9]+(?:\.0*)?\s*$"},
        ]
        text = "a whole number >= 0"
    elif kind == "percent":
        options = [
            {"type": "number"},
            {"type": "string", "pattern": rf"^\s*{_JS_NUMBER}(?:[ \u00a0\u202f]*%)?\s*$"},
        ]
        text = "a fraction (0.125) or a percentage string ('12.5%')"
    elif kind == "money":
        options = [
            {"type": "number"},
            {
                "type": "string",
                "pattern": rf"^\s*{_JS_NUMBER}(?:[ \u00a0\u202f]*{re.escape(currency)})?\s*$",
            },
        ]
        text = f"an amount in {currency} (optionally followed by ' {currency}')"
    else:
        options = [
            {"type": "boolean"},
            {"type": "string", "pattern": r"^\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*$"},
        ]
        text = "true or false"
    return {"anyOf": [*options, {"type": "null"}], "description": f"{text}; null = missing"}


# --------------------------------------------------------------------------- pydantic models


def _plain_field(name: str) -> bool:
    """Whether a measure name can be a pydantic field name as is.

    A measure called ``json``, ``copy`` or ``model_x`` would shadow a
    ``BaseModel`` attribute.  When any measure cannot, every field is named
    ``m<index>`` with the measure name as alias.  Validation input, error
    locations and the JSON Schema always use the measure names.
    """
    from pydantic import BaseModel

    return (
        name.isidentifier()
        and not name.startswith(("_", "model_"))
        and not hasattr(BaseModel, name)
    )


def _fields_are_names(model: type[BaseModel]) -> bool:
    """True when the model's fields are the measure names (no alias needed)."""
    return all(info.alias is None for info in model.model_fields.values())


@lru_cache(maxsize=64)
def _row_model(measures: tuple[MeasureSpec, ...], currency: str, mark: str) -> type[BaseModel]:
    from pydantic import ConfigDict, Field, PlainValidator, WithJsonSchema, create_model

    fields: dict[str, Any] = {}
    plain = all(_plain_field(spec.name) for spec in measures)
    for index, spec in enumerate(measures):
        annotated = Annotated[
            Any,
            PlainValidator(_make_validator(spec.type, mark, currency)),
            WithJsonSchema(_json_schema_for(spec.type, currency)),
        ]
        if plain:
            fields[spec.name] = (annotated, Field(default=None, title=spec.name))
        else:
            fields[f"m{index}"] = (annotated, Field(default=None, alias=spec.name, title=spec.name))
    model: type[BaseModel] = create_model(
        "MonthValues",
        __config__=ConfigDict(extra="forbid", title="MonthValues"),
        __doc__="The values of the contract's measures for one month.",
        **fields,
    )
    return model


def row_model(
    measures: Sequence[MeasureSpec], currency: str, *, decimal_comma: bool = False
) -> type[BaseModel]:
    """The pydantic model validating one month's values (keys are measure names).

    Built once per (measures, currency, decimal mark) and cached.  Validate a
    dict keyed by measure name; absent keys are missing (``None``).
    """
    return _row_model(tuple(measures), currency, "," if decimal_comma else ".")


def monthly_data_json_schema(measures: Sequence[MeasureSpec], currency: str) -> dict[str, Any]:
    """JSON Schema of the months-object form of a data file.

    ``{"2026-01": {"revenue": "1200.50", ...}, ...}``: an object whose keys are
    months ``YYYY-MM`` and whose values are objects with one optional,
    nullable property per measure (no other property).  Numbers may be JSON
    numbers or strings.  (The list form, ``[{"period": "2026-01", ...}]``, is
    also accepted by the loader.)
    """
    from pydantic import RootModel, StringConstraints

    row = row_model(measures, currency)
    month_key = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
    months_model = RootModel[dict[month_key, row]]  # type: ignore[valid-type]
    schema = months_model.model_json_schema()
    schema["additionalProperties"] = False
    schema["title"] = "Monthly data"
    schema["description"] = (
        "Monthly values of the contract's measures, keyed by month (YYYY-MM). "
        f"Money is in {currency}. A missing property or null is a missing value."
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}



class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its key/value pairs, so duplicate keys are visible."""


@dataclass(frozen=True, slots=True)
class _BadJsonNumber:
    text: str


def _json_float(text: str) -> Decimal | _BadJsonNumber:
    try:
        return Decimal(text)
    except InvalidOperation:
        return _BadJsonNumber(text)


def _json_constant(text: str) -> _BadJsonNumber:
    return _BadJsonNumber(text)  # NaN, Infinity, -Infinity


# --------------------------------------------------------------------------- amounts typed by people


AMOUNT_FORMS = (
    "250000, 250_000, 250000.50, 250 000 (groups of three digits), 250 000,50 "
    "(a decimal comma), optionally followed by the currency code (250000 EUR)"
)


def parse_amount(text: str, currency: str) -> Decimal:
    """An amount typed by a person (``pact distribute --amount``), read as a money cell
    of a data file is: thousands grouped with spaces, the contract's currency code
    after it; ``_`` between digits as in the language; a decimal comma when the
    text has no dot."""
    raw = text.strip()
    if len(raw) > MAX_AMOUNT_TEXT:
        raise AmountError(f"`{raw[:20]}…` is not an amount (more than {MAX_AMOUNT_TEXT} characters)")
    body = re.sub(r"(?<=\d)_(?=\d)", "", raw)
    number, _, code = body.partition(" ")
    if code.strip().upper() == currency.upper() or not code.strip():
        if is_plain_amount(number):
            # a plain number (exponents included): bounded on its own text first
            return bounded_amount(number, text)
        if code.strip():
            body = f"{number} {currency}"
    mark = "," if "," in body and "." not in body else "."
    from pydantic_core import PydanticCustomError

    try:
        value = _slow_text("money", mark, currency)(body)
    except PydanticCustomError as exc:
        why = str(exc)
        if "currency" in why:
            raise AmountError(f"`{text}`: {why.split(': ', 1)[-1]}") from None
        raise AmountError(f"`{text}` is not an amount") from None
    if not isinstance(value, Decimal):
        raise AmountError(f"`{text}` is not an amount")
    return value
