"""Plain value types shared by every stage: months (periods) and decimal helpers.

Nothing here depends on the rest of the package, so the syntax layer, the
engine and the outputs can all use it without breaking the one-way data flow.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal

# Arithmetic context used everywhere a user-visible number is computed:
# at least 28 significant digits, half-even rounding, exact errors trapped.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month, e.g. ``2026-03``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 01..12, got {self.month:02d}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")

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
    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indices."""
        return self.year * 12 + (self.month - 1)

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 12, index % 12 + 1)

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


def strip_underscores(text: str) -> str:
    return text.replace("_", "")
