"""The words of a waterfall's month: what each tier received, the caps and
what remained of them, who got what, the largest remainder's extra units,
what passed on and what was retained — an explanation an auditor checks by
hand, line by line.

The kernel (:mod:`pactlang.kernel.waterfalls`) settles the month and records
the facts (:class:`~pactlang.kernel.waterfalls.TierResult`,
:class:`~pactlang.kernel.waterfalls.PartyPayout`); this module words them.
The JSON of a distribution (``pact distribute --format json``) and the
explanations of ``pact eval --explain`` carry these sentences.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from pactlang.base.money import format_units, minor_digits
from pactlang.base.values import percent_text
from pactlang.kernel.waterfalls import MonthDistribution, TierResult, WaterfallPlan, once_number

__all__ = ["cap_note", "distribution_json", "month_lines", "rounding_note", "tier_text"]


def cap_note(value: Decimal, units: int, currency: str) -> str:
    """How a cap value became whole minor units, when it is not plain."""
    shown = format_units(units, currency)
    if value < 0:
        return f"cap {value} counts as 0"
    if Fraction(value) * 10 ** minor_digits(currency) != units:
        return f"cap {value} rounded down to {shown}"
    return f"cap {shown}"


def rounding_note(t: TierResult, currency: str) -> str:
    """`` (largest remainder: +0.01 to acme, orbis)``, or nothing."""
    if not t.rounded_up:
        return ""
    return f" (largest remainder: +{format_units(1, currency)} to {', '.join(t.rounded_up)})"


def _capped_text(t: TierResult, cur: str) -> str:
    rem_parts = []
    for p in t.payouts:
        if p.cap is None or p.cap_units is None:
            rem_parts.append(f"{p.party} cap missing: paid nothing by this tier this month")
            continue
        remaining = p.remaining or 0
        note = cap_note(p.cap, p.cap_units, cur)
        if p.earlier or note != f"cap {format_units(p.cap_units, cur)}":
            detail = f"{note} − {format_units(p.earlier, cur)} paid in earlier months"
            rem_parts.append(f"{p.party} {format_units(remaining, cur)} ({detail})")
        else:
            rem_parts.append(f"{p.party} {format_units(remaining, cur)}")
    total_remaining = sum(p.remaining or 0 for p in t.payouts)
    in_order = t.mode == "in_order"
    pays_parts = []
    for p in t.payouts:
        r = p.remaining or 0
        if in_order:
            extra = " (cap reached)" if r and p.units == r else ""
        else:
            extra = f" ({percent_text(Fraction(r, total_remaining))})" if total_remaining else ""
        pays_parts.append(f"{p.party} {format_units(p.units, cur)}{extra}")
    return (
        f"{t.title} ({'in order' if in_order else 'pro rata'}): flow {format_units(t.flow, cur)}; "
        f"remaining caps {', '.join(rem_parts)} (total {format_units(total_remaining, cur)}); "
        f"pays {format_units(t.paid, cur)} → {', '.join(pays_parts)}{rounding_note(t, cur)}; "
        f"passes on {format_units(t.passed, cur)}"
    )


def _split_text(t: TierResult, plan: WaterfallPlan, cur: str) -> str:
    tier = plan.tiers[t.index]
    keys = ", ".join(f"{s.party} {s.text}%" for s in tier.splits)
    if tier.cap is None:
        cap_text = "no tier cap"
    elif None in t.missing or t.tier_cap is None or t.tier_cap_units is None:
        cap_text = "tier cap missing: the tier pays nothing this month"
    else:
        cap_text = (
            f"remaining tier cap {format_units(t.tier_remaining or 0, cur)} "
            f"({cap_note(t.tier_cap, t.tier_cap_units, cur)} − "
            f"{format_units(t.tier_earlier, cur)} paid in earlier months)"
        )
    pays_parts = ", ".join(f"{p.party} {format_units(p.units, cur)}" for p in t.payouts)
    return (
        f"{t.title} (split {keys}): flow {format_units(t.flow, cur)}; {cap_text}; "
        f"pays {format_units(t.paid, cur)} → {pays_parts}{rounding_note(t, cur)}; "
        f"passes on {format_units(t.passed, cur)}"
    )


def tier_text(t: TierResult, plan: WaterfallPlan, currency: str) -> str:
    """One tier's month in one line: its flow, caps, payouts and what it passes on."""
    if t.kind == "capped":
        return _capped_text(t, currency)
    return _split_text(t, plan, currency)


def month_lines(dist: MonthDistribution, plan: WaterfallPlan, *, numbered: bool = False) -> list[str]:
    """The explanation of a month: the amount, a line per tier, what is
    retained, and the total that adds up to the amount.  ``numbered``: a
    distribution outside an evaluation (``pact distribute``) has no month and is
    named by its sequence number, ``distribution #N``."""
    cur = dist.currency
    when = f"distribution #{once_number(dist.period)}" if numbered else str(dist.period)
    lines = [f"waterfall {dist.waterfall}, {when}: {format_units(dist.amount_units, cur)} {cur} to distribute"]
    lines.extend(tier_text(t, plan, cur) for t in dist.tiers)
    lines.append(f"retained {format_units(dist.retained_units, cur)} (what passes the last tier)")
    by_party = dist.by_party()
    ordered = [p for p in plan.party_order if p in by_party]
    terms = [format_units(by_party[p], cur) for p in ordered]
    lines.append(
        "total: "
        + ", ".join(f"{p} {format_units(by_party[p], cur)}" for p in ordered)
        + f"; retained {format_units(dist.retained_units, cur)}; "
        + " + ".join([*terms, format_units(dist.retained_units, cur)])
        + f" = {format_units(dist.amount_units, cur)}"
    )
    return lines


def distribution_json(dist: MonthDistribution, plan: WaterfallPlan, *, numbered: bool = False) -> dict[str, Any]:
    """The JSON document of a distribution: the kernel's figures
    (:meth:`~pactlang.kernel.waterfalls.MonthDistribution.to_dict`) with the
    explanation of each tier and of the month (``numbered`` as in :func:`month_lines`)."""
    doc = dist.to_dict()
    for row, t in zip(doc["tiers"], dist.tiers, strict=True):
        row["explanation"] = tier_text(t, plan, dist.currency)
    doc["explanation"] = month_lines(dist, plan, numbered=numbered)
    return doc
