"""One remark of ``pact analyze``: a warning (a likely problem) or a note (information)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Finding", "Section", "Severity", "SECTIONS"]

Section = Literal["committees", "thresholds", "waterfalls", "unused"]
Severity = Literal["warning", "note"]

SECTIONS: tuple[Section, ...] = ("committees", "thresholds", "waterfalls", "unused")


@dataclass(frozen=True, slots=True)
class Finding:
    """``subject`` names what the finding is about (``conversion_floor``,
    ``steering.budget``, ``fund``, ``revenue``); ``kind`` is a stable slug
    (``unreachable-rule``, ``gap``, ``voting-power``, …); ``line`` is the
    1-based source line of the declaration or rule, when known."""

    section: Section
    kind: str
    severity: Severity
    subject: str
    message: str
    line: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "section": self.section,
            "kind": self.kind,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "line": self.line,
        }
