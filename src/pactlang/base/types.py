"""Types with dimensions (LANGUAGE.md §4)."""

from __future__ import annotations

import enum


class Type(enum.StrEnum):
    NUMBER = "number"
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    BOOL = "bool"
    DATE = "date"
    PERIOD = "period"
    DURATION = "duration"
    PARTY = "party"
    TEXT = "text"
    STATUS = "status"  # the value of status(threshold)
    ERROR = "<error>"  # an expression that already produced a diagnostic

    @property
    def is_numeric(self) -> bool:
        """number, count and percent mix freely."""
        return self in (Type.NUMBER, Type.COUNT, Type.PERCENT)

    def __str__(self) -> str:
        return self.value
