"""Plain value types shared by every stage: months (periods) and decimal helpers.

Nothing here depends on the rest of the package, so the syntax layer, the
engine and the outputs can all use it without breaking the one-way data flow.
"""

from __future__ import annotations

import datetime
import decimal
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple, TypeAlias

# Arithmetic context used everywhere a user-visible number is computed:
# at least 28 significant digits, half-even rounding, exact errors trapped.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# Quantizing to a number of decimal places needs room for the integer digits
# too: values admitted at the data border (< 10^31, 30 decimals) always fit.
ROUNDING = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999, Emax=999999)

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


class _PeriodFields(NamedTuple):
    year: int
    month: int


class Period(_PeriodFields):
    """A calendar month, e.g. ``2026-03``.

    A named tuple: hashing, equality and ordering are the tuple's own (C
    speed), which matters because every data row is keyed by its month.
    """

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 01..12, got {month:02d}")
        if not 1 <= year <= 9999:
            raise ValueError(f"year out of range: {year}")
        return super().__new__(cls, year, month)

    def __repr__(self) -> str:
        return f"Period({self.year}, {self.month})"

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(text.strip())
        if not m:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: object) -> Period:
        """The month containing a date."""
        return cls(d.year, d.month)  # type: ignore[attr-defined]

    @property
    def index(self) -> int:  # type: ignore[override]  # shadows tuple.index on purpose
        """Months since year 0: consecutive months have consecutive indices."""
        return self.year * 12 + (self.month - 1)

    @classmethod
    def from_index(cls, index: int) -> Period:
        return tuple.__new__(cls, (index // 12, index % 12 + 1)) if 12 <= index < 120000 else cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Period:
        return Period.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def first_day(self) -> object:
        import datetime

        return datetime.date(self.year, self.month, 1)

    def last_day(self) -> object:
        import calendar
        import datetime

        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def format_decimal(value: Decimal) -> str:
    """Plain, exact text for a decimal: no exponent, no float round trip."""
    if value == 0:
        # normalise -0 and 0E-5 alike, but keep the scale of the zero
        value = abs(value)
    text = format(value, "f")
    return text


def exact_str(x: Fraction | int) -> str:
    """An exact rendering: a decimal string when ``x`` has a finite decimal expansion
    (``60``, ``33.5``, ``0.125``), else the reduced fraction (``2/3``)."""
    x = Fraction(x)
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    k = max(twos, fives)
    scaled = abs(x.numerator) * (10**k // x.denominator)
    sign = "-" if x < 0 else ""
    if k == 0:
        return f"{sign}{scaled}"
    digits = str(scaled).rjust(k + 1, "0")
    whole, frac = digits[:-k], digits[-k:].rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def percent_text(value: Fraction) -> str:
    """A fraction as a percentage: exact when it has at most 4 decimals, else ≈ 2 decimals."""
    scaled = value * 100 * 10**4
    if scaled.denominator == 1:
        text = format(Decimal(scaled.numerator).scaleb(-4, CONTEXT).normalize(CONTEXT), "f")
        return f"{text}%"
    approx = CONTEXT.divide(Decimal(value.numerator * 100), Decimal(value.denominator)).quantize(
        Decimal("0.01"), context=CONTEXT
    )
    return f"≈{approx}%"


def strip_underscores(text: str) -> str:
    return text.replace("_", "")


DurationUnit = Literal["day", "business_day", "month", "quarter", "year"]

_UNIT_WORDS = {
    "day": ("day", "days"),
    "business_day": ("business day", "business days"),
    "month": ("month", "months"),
    "quarter": ("quarter", "quarters"),
    "year": ("year", "years"),
}


@dataclass(frozen=True, slots=True)
class Duration:
    """``10 days``, ``3 business days``, ``2 quarters``: a value, a ladder step's term."""

    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        one, many = _UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"

    @property
    def months(self) -> int | None:
        """The length in months of a month-like duration; None for days."""
        factor = {"month": 1, "quarter": 3, "year": 12}.get(self.unit)
        return None if factor is None else self.amount * factor


#: A runtime value: a ``Decimal`` (numbers, counts, percents as fractions,
#: money), a ``bool``, a ``datetime.date``, a :class:`Period`, a ``str`` (text
#: and statuses), a :class:`Duration`, or ``None`` — *missing*.
Value: TypeAlias = Decimal | bool | datetime.date | Period | str | Duration | None

ZERO = Decimal(0)
