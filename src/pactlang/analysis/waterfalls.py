"""The waterfall part of ``pact analyze``: a summary of each tier and the static
findings of :func:`pactlang.kernel.waterfalls.findings`, which holds the
waterfall semantics (tiers that can never pay, keys or caps of 0, a last tier
that can retain money).

Severity: a tier or party that can never be paid is a warning; money that may
be retained after a capped last tier is a note (``retained(fund)`` exists
because retaining can be intended)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pactlang.analysis.findings import Finding
from pactlang.analysis.thresholds import source_text
from pactlang.base.types import Type
from pactlang.kernel.waterfalls import Tier, WaterfallPlan, WaterfallPlanError, findings
from pactlang.present.show import show
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

__all__ = ["TierSummary", "WaterfallReport", "analyze_waterfall"]


@dataclass(frozen=True, slots=True)
class TierSummary:
    """One tier in words: ``pays acme up to 300_000 EUR, orbis up to 200_000 EUR (pro
    rata)`` or ``splits acme 60%, orbis 40% (no cap)``; ``cap_total`` is the sum of the
    tier's caps when they are all money literals (caps are lifetime caps)."""

    index: int  # 1-based
    title: str
    kind: str  # capped | split
    text: str
    cap_total: Decimal | None
    shares: tuple[tuple[str, str], ...]  # split tiers: (party, exact share as a fraction string)

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "title": self.title,
            "kind": self.kind,
            "text": self.text,
            "cap_total": None if self.cap_total is None else format(self.cap_total, "f"),
            "shares": {p: s for p, s in self.shares},
        }


@dataclass(frozen=True, slots=True)
class WaterfallReport:
    name: str
    label: str | None
    line: int
    distributes: str
    tiers: tuple[TierSummary, ...]
    error: str | None
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "line": self.line,
            "distributes": self.distributes,
            "tiers": [t.to_json() for t in self.tiers],
            "error": self.error,
            "findings": [f.to_json() for f in self.findings],
        }


def _tier_summary(tier: Tier, cc: CheckedContract) -> TierSummary:
    if tier.kind == "capped":
        parts = [f"{line.party} up to {source_text(cc, line.cap)}" for line in tier.pays]
        mode = "in order" if tier.mode == "in_order" else "pro rata"
        text = f"pays {', '.join(parts)} ({mode})"
        caps = [line.cap for line in tier.pays]
        total: Decimal | None = None
        if all(isinstance(c, ast.MoneyLit) for c in caps):
            total = sum((c.amount for c in caps if isinstance(c, ast.MoneyLit)), Decimal(0))
            text += f"; at most {show(total, Type.MONEY, cc.currency)} over the contract"
        return TierSummary(tier.index + 1, tier.title, "capped", text, total, ())
    shares = ", ".join(f"{s.party} {s.text}%" for s in tier.splits)
    if tier.cap is None:
        text = f"splits {shares}, without a cap: it takes everything that reaches it"
        total = None
    else:
        text = f"splits {shares} up to {source_text(cc, tier.cap)}"
        total = tier.cap.amount if isinstance(tier.cap, ast.MoneyLit) else None
    return TierSummary(
        tier.index + 1,
        tier.title,
        "split",
        text,
        total,
        tuple((s.party, str(s.share)) for s in tier.splits),
    )


def analyze_waterfall(decl: ast.WaterfallDecl, cc: CheckedContract) -> WaterfallReport:
    name = decl.name.name
    line = decl.span.line
    distributes = source_text(cc, decl.distributes)
    try:
        plan = WaterfallPlan.from_decl(decl, list(cc.parties))
    except WaterfallPlanError as exc:
        note = Finding(
            "waterfalls",
            "not-analysed",
            "note",
            name,
            f"waterfall `{name}` could not be analysed: {exc}",
            line,
        )
        return WaterfallReport(name, decl.labels.get(), line, distributes, (), str(exc), (note,))
    messages = findings(plan)
    # findings() ends with the retention remark exactly when no tier is an uncapped split
    retains = not any(t.uncapped_split for t in plan.tiers)
    out: list[Finding] = []
    for i, msg in enumerate(messages):
        if retains and i == len(messages) - 1:
            out.append(Finding("waterfalls", "may-retain", "note", name, msg, line))
        else:
            out.append(Finding("waterfalls", "never-pays", "warning", name, msg, line))
    tiers = tuple(_tier_summary(t, cc) for t in plan.tiers)
    return WaterfallReport(name, decl.labels.get(), line, distributes, tiers, None, tuple(out))
