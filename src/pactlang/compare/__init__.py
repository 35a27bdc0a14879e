"""``pact diff OLD NEW``: what changed between two versions of a contract (the
package is named for what it does, so that ``pactlang.diff`` stays the API function).

* :mod:`~pactlang.compare.meaning` — what changed in meaning, construct by
  construct, compared on the lowered programs;
* :mod:`~pactlang.compare.months` — with data, how statuses, payments and
  distributions change month by month;
* :mod:`~pactlang.compare.redline` — the redlined annex (HTML, DOCX) from the
  two versions' localized documents.

:class:`ContractDiff` holds the first two and renders them as text or JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pactlang.compare.meaning import SECTIONS, Change, meaning_changes
from pactlang.compare.months import MonthChange, month_changes

__all__ = ["Change", "ContractDiff", "MonthChange", "meaning_changes", "month_changes"]


@dataclass(frozen=True, slots=True)
class Version:
    """Which version: its file, title, id and version string."""

    path: str
    title: str
    id: str | None
    version: str | None

    @property
    def name(self) -> str:
        parts = [self.path]
        tag = " ".join(x for x in (self.id, f"v{self.version}" if self.version else None) if x)
        return f"{parts[0]} ({tag})" if tag else parts[0]

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "id": self.id, "version": self.version}


@dataclass(frozen=True, slots=True)
class ContractDiff:
    """The differences between two versions; ``months`` is None without data."""

    old: Version
    new: Version
    changes: tuple[Change, ...]
    months: tuple[MonthChange, ...] | None = None
    data: str | None = None  # the data file's name
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def differ(self) -> bool:
        """Whether the versions differ in meaning or, with data, in any month."""
        return bool(self.changes) or bool(self.months)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "old": self.old.to_json(),
            "new": self.new.to_json(),
            "differ": self.differ,
            "changes": [c.to_json() for c in self.changes],
        }
        if self.months is not None:
            doc["data"] = self.data
            doc["months"] = [m.to_json() for m in self.months]
        return doc

    def json(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True, ensure_ascii=False)

    def text(self) -> str:
        """The changes as lines a person reads: one section per kind of
        construct, then the months, then a summary line."""
        lines = [f"--- {self.old.name}", f"+++ {self.new.name}"]
        if not self.changes:
            lines.append("no change in meaning")
        for section in SECTIONS:
            items = [c for c in self.changes if c.section == section]
            if not items:
                continue
            lines.append("")
            lines.append(section)
            lines.extend(f"  {_mark(c)} {c.text}" for c in items)
        if self.months is not None:
            lines.append("")
            if not self.months:
                lines.append(f"months ({self.data}): no month changes")
            else:
                lines.append(f"months ({self.data})")
                lines.extend(f"  {m.text}" for m in self.months if m.period is not None)
                totals = [m for m in self.months if m.period is None]
                if totals:
                    lines.append("")
                    lines.append("totals")
                    lines.extend(f"  {m.subject}: {m.old} → {m.new}" for m in totals)
        changed_months = sorted({str(m.period) for m in self.months or () if m.period is not None})
        summary = f"{len(self.changes)} change(s) in meaning"
        if self.months is not None:
            summary += f", {len(changed_months)} month(s) differ"
            if changed_months:
                summary += f" ({changed_months[0]} to {changed_months[-1]})"
        lines.append("")
        lines.append(summary)
        return "\n".join(lines)


def _mark(c: Change) -> str:
    return {"added": "+", "removed": "-"}.get(c.kind, "~")
