"""The waterfall part of ``pact analyze``: a summary of each tier and its static
findings (tiers that can never pay, keys or caps of 0, a last tier that can
retain money), over the plan of :mod:`pactlang.ir.models`.

Severity: a tier or party that can never be paid is a warning; money that may
be retained after a capped last tier is a note (``retained(fund)`` exists
because retaining can be intended)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pactlang.analysis.findings import Finding
from pactlang.analysis.thresholds import source_text
from pactlang.base.types import Type
from pactlang.ir.models import waterfall_plan
from pactlang.kernel.waterfalls import Tier, WaterfallPlan, WaterfallPlanError
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
        plan = waterfall_plan(decl, list(cc.parties))
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

def _literal_zero(expr: ast.Expr | None) -> bool:
    return isinstance(expr, ast.MoneyLit) and expr.amount == 0


def findings(plan: WaterfallPlan) -> list[str]:
    """Static findings for ``pact analyze``: tiers that can never pay, parties a tier
    can never pay, and a capped last tier (money may be retained)."""
    out: list[str] = []
    w = f"waterfall {plan.name}"
    blocker: Tier | None = None  # the first uncapped split: nothing passes it
    for tier in plan.tiers:
        if blocker is not None:
            out.append(
                f"{w}: {tier.title} can never pay: {blocker.title} is a split without a cap "
                "and takes everything that reaches it"
            )
            continue
        if tier.kind == "capped":
            zero = [line.party for line in tier.pays if _literal_zero(line.cap)]
            if len(zero) == len(tier.pays):
                out.append(f"{w}: {tier.title} can never pay: every cap is 0")
            else:
                out.extend(f"{w}: {tier.title} never pays {p}: its cap is 0" for p in zero)
        else:
            if _literal_zero(tier.cap):
                out.append(f"{w}: {tier.title} can never pay: its cap is 0")
            zero_keys = [s.party for s in tier.splits if s.share == 0]
            out.extend(f"{w}: {tier.title} never pays {p}: its key is 0%" for p in zero_keys)
            if tier.uncapped_split:
                blocker = tier
    if blocker is None:
        last = plan.tiers[-1]
        kind = "capped" if last.kind == "capped" else "a split with a cap"
        out.append(
            f"{w}: the last tier ({last.title}) is {kind}: what exceeds its caps is retained"
        )
    return out
