"""Business-day calendars: weekends plus, optionally, a country's public holidays.

A contract may say ``calendar FR`` (LANGUAGE.md §3).  Non-business days are then
Saturdays, Sundays and the public holidays of that country, as maintained by the
`holidays <https://pypi.org/project/holidays/>`_ library (never a hand-written
list).  Without a country, only weekends are non-business days.

Holiday tables are computed lazily for whatever year a date falls in, and cached
per (country, year, language), so a deadline that crosses into the next year sees
that year's holidays too.

Holiday *names* are looked up in an explicit language so that output never
depends on the environment's locale (the ``holidays`` library would otherwise
read ``LANG``/``LC_ALL``): by default the country's own language (``FR`` →
"Fête nationale"); a contract language such as ``en`` selects the matching
translation when the library has one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "BusinessCalendar",
    "CalendarError",
    "known_country",
    "supported_countries",
    "weekday_name",
]

_ONE_DAY = datetime.timedelta(days=1)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CalendarError(ValueError):
    """An unknown country code, or a date computation past the supported range."""


@lru_cache(maxsize=1)
def supported_countries() -> frozenset[str]:
    """Every country code the ``holidays`` library accepts (ISO alpha-2 and its aliases)."""
    import holidays  # imported when a country is named: a calendar of weekends needs none

    return frozenset(holidays.list_supported_countries(include_aliases=True))


def known_country(code: str) -> bool:
    """Whether ``calendar CODE`` names a country with a public-holiday table.

    Codes are matched exactly as the library lists them (upper case: ``FR``, ``DE``,
    ``US``; ISO alpha-3 aliases such as ``FRA`` are accepted too).
    """
    return code in supported_countries()


@lru_cache(maxsize=256)
def _language_for(country: str, language: str | None) -> str | None:
    """The library language used for holiday names: explicit, never the environment's."""
    import holidays

    base = holidays.country_holidays(country)
    supported: tuple[str, ...] = tuple(getattr(base, "supported_languages", ()) or ())
    default: str | None = getattr(base, "default_language", None)
    if language is None:
        return default
    if language in supported:
        return language
    prefix = language.split("_")[0].lower()
    for candidate in supported:  # "en" -> "en_US", "fr" -> "fr"
        if candidate.split("_")[0].lower() == prefix:
            return candidate
    return default


@lru_cache(maxsize=4096)
def _holiday_table(country: str, year: int, language: str | None) -> Mapping[datetime.date, str]:
    """The public holidays of ``country`` in ``year``: date -> name (read-only)."""
    import holidays

    table = holidays.country_holidays(country, years=year, language=language)
    return MappingProxyType({d: str(name) for d, name in sorted(table.items())})


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Saturdays, Sundays and (with ``country``) that country's public holidays are off.

    ``language`` selects the language of holiday names only (see module docs);
    it never changes which days are business days.
    """

    country: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if self.country is not None and not known_country(self.country):
            raise CalendarError(
                f"unknown calendar {self.country!r}: not a country code with a public-holiday table"
            )

    # -------------------------------------------------------------- queries

    def holidays_in(self, year: int) -> Mapping[datetime.date, str]:
        """The public holidays of the calendar's country in ``year`` (empty without a country)."""
        if self.country is None:
            return MappingProxyType({})
        return _holiday_table(self.country, year, _language_for(self.country, self.language))

    def holiday_name(self, d: datetime.date) -> str | None:
        """The name of the public holiday on ``d``, or None (always None without a country)."""
        if self.country is None:
            return None
        return self.holidays_in(d.year).get(d)

    def is_business_day(self, d: datetime.date) -> bool:
        if d.weekday() >= 5:
            return False
        return self.holiday_name(d) is None

    def why_not_business(self, d: datetime.date) -> str | None:
        """Why ``d`` is not a business day, for explanations; None if it is one.

        e.g. ``"a Saturday"``, ``"a public holiday (Fête nationale)"``,
        ``"a Sunday and a public holiday (Toussaint)"``.
        """
        reasons: list[str] = []
        if d.weekday() >= 5:
            reasons.append(f"a {_WEEKDAYS[d.weekday()]}")
        name = self.holiday_name(d)
        if name is not None:
            reasons.append(f"a public holiday ({name})")
        return " and ".join(reasons) if reasons else None

    def next_business_day(self, d: datetime.date) -> datetime.date:
        """The first business day on or after ``d``."""
        while not self.is_business_day(d):
            d = _step(d)
        return d

    def add_business_days(self, start: datetime.date, n: int) -> datetime.date:
        """The ``n``-th business day after ``start`` (``start`` itself is not counted).

        ``n == 0`` returns ``start`` unchanged; ``n`` must not be negative.
        """
        if n < 0:
            raise CalendarError(f"cannot count a negative number of business days ({n})")
        d = start
        remaining = n
        while remaining:
            d = _step(d)
            if self.is_business_day(d):
                remaining -= 1
        return d

    def shift_business_days(self, start: datetime.date, n: int) -> datetime.date:
        """The ``n``-th business day after ``start`` (before it when ``n`` is negative)."""
        d = start
        remaining = abs(n)
        step = _step if n >= 0 else _step_back
        while remaining:
            d = step(d)
            if self.is_business_day(d):
                remaining -= 1
        return d

    def describe(self) -> str:
        if self.country is None:
            return "weekends only (no public-holiday calendar)"
        return f"weekends and {self.country} public holidays"


def weekday_name(d: datetime.date) -> str:
    return _WEEKDAYS[d.weekday()]


def _step(d: datetime.date) -> datetime.date:
    try:
        return d + _ONE_DAY
    except OverflowError:
        raise CalendarError(f"date computation runs past {datetime.date.max.isoformat()}") from None


def _step_back(d: datetime.date) -> datetime.date:
    try:
        return d - _ONE_DAY
    except OverflowError:
        raise CalendarError(f"date computation runs before {datetime.date.min.isoformat()}") from None
