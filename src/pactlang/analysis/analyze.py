"""``pact analyze``: the whole report, its JSON form and its plain-text rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pactlang.analysis.committees import (
    CommitteeReport,
    analyze_committee,
    member_flags,
    percent,
    quota_words,
    rule_words,
)
from pactlang.analysis.findings import Finding
from pactlang.analysis.thresholds import ConditionReader, ThresholdAnalysis, analyze_threshold
from pactlang.analysis.unused import unused_findings
from pactlang.analysis.waterfalls import WaterfallReport, analyze_waterfall
from pactlang.base.values import exact_str

if TYPE_CHECKING:
    from pactlang.sema.model import Loaded

__all__ = ["ContractAnalysis", "analyze", "render_analysis_text"]

#: How many minimal winning coalitions the text lists per decision (JSON has more).
TEXT_COALITIONS = 10


@dataclass(frozen=True, slots=True)
class ContractAnalysis:
    """Everything ``pact analyze`` reports on one contract.

    ``items`` holds every finding, section by section (committees, thresholds,
    waterfalls, unused declarations), each section in declaration order.
    ``findings`` are the warnings (what ``--fail-on warning`` fails on),
    ``notes`` the informational remarks."""

    path: str
    title: str
    contract_id: str | None
    version: str | None
    committees: tuple[CommitteeReport, ...]
    thresholds: tuple[ThresholdAnalysis, ...]
    waterfalls: tuple[WaterfallReport, ...]
    unused: tuple[Finding, ...]
    items: tuple[Finding, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "note"]

    def to_json(self) -> dict[str, object]:
        """JSON-ready; exact fractions and decimals as strings ("1/2", "0.08")."""
        return {
            "contract": {
                "path": self.path,
                "title": self.title,
                "id": self.contract_id,
                "version": self.version,
            },
            "committees": [c.to_json() for c in self.committees],
            "thresholds": [t.to_json() for t in self.thresholds],
            "waterfalls": [w.to_json() for w in self.waterfalls],
            "unused": [f.to_json() for f in self.unused],
            "findings": [f.to_json() for f in self.findings],
            "notes": [f.to_json() for f in self.notes],
            "summary": {"warnings": len(self.findings), "notes": len(self.notes)},
        }


def analyze(contract: Loaded) -> ContractAnalysis:
    """Analyse a loaded contract (:func:`pactlang.api.load`)."""
    cc = contract.checked
    reader = ConditionReader(cc)
    committees = tuple(analyze_committee(d) for d in cc.committees.values())
    thresholds = tuple(analyze_threshold(d, reader) for d in cc.thresholds.values())
    waterfalls = tuple(analyze_waterfall(d, cc) for d in cc.waterfalls.values())
    unused = tuple(unused_findings(cc, contract.diagnostics))
    items: list[Finding] = []
    for c in committees:
        items.extend(c.findings)
    for t in thresholds:
        items.extend(t.findings)
    for w in waterfalls:
        items.extend(w.findings)
    items.extend(unused)
    return ContractAnalysis(
        path=contract.path,
        title=cc.title,
        contract_id=cc.id,
        version=cc.version,
        committees=committees,
        thresholds=thresholds,
        waterfalls=waterfalls,
        unused=unused,
        items=tuple(items),
    )


# ------------------------------------------------------------------ text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _table(rows: Sequence[Sequence[str]], indent: str) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=True)]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _finding_lines(findings: Sequence[Finding], indent: str) -> list[str]:
    return [f"{indent}{f.severity}: {f.message}" for f in findings]


def _labelled(name: str, label: str | None) -> str:
    return f'{name} "{label}"' if label else name


def _committee_text(c: CommitteeReport) -> list[str]:
    out = [_labelled(c.name, c.label) + f" (line {c.line})"]
    com, an = c.committee, c.analysis
    if com is None or an is None:
        out.extend(_finding_lines(c.findings, "  "))
        return out
    members = ", ".join(f"{m.name} weight {exact_str(m.weight)}" for m in com.members)
    facts = [f"members {members} (total {exact_str(com.total_weight)})"]
    facts.append(f"quorum {com.quorum.text}" if com.quorum else "no quorum rule")
    if com.consensus_rounds:
        facts.append(f"consensus {_plural(com.consensus_rounds, 'round')}")
    out.append("  " + "; ".join(facts))
    if an.decisions:
        out.append("  power analysis " + "; ".join(an.decisions[0].notes))
    else:
        out.append("  no decisions")
    own = [f for f in c.findings if f.subject == c.name]
    out.extend(_finding_lines(own, "  "))
    for dec, p in zip(com.decisions, an.decisions, strict=True):
        out.append("")
        out.append("  decision " + _labelled(dec.name, c.decision_labels.get(dec.name)))
        written = dec.rule.text + (f" veto {', '.join(dec.vetoes)}" if dec.vetoes else "")
        out.append(f"    requires {rule_words(dec.rule, dec.vetoes)} (`{written}`)")
        quota = quota_words(dec.rule, com.total_weight)
        if quota:
            out.append(f"    {quota}")
        if not p.passable:
            out.append("    no coalition can pass it")
        else:
            rows = [["member", "weight", "Banzhaf", "Shapley-Shubik", ""]]
            for m in p.members:
                rows.append(
                    [
                        m.name,
                        exact_str(m.weight),
                        f"{m.banzhaf} ({percent(m.banzhaf)})",
                        f"{m.shapley} ({percent(m.shapley)})",
                        ", ".join(member_flags(m, dec.rule)),
                    ]
                )
            out.extend(_table(rows, "    "))
            shown = ["{" + ", ".join(coal) + "}" for coal in p.minimal_winning[:TEXT_COALITIONS]]
            more = p.minimal_winning_count - len(shown)
            line = f"    minimal winning coalitions ({p.minimal_winning_count}): " + ", ".join(
                shown
            )
            if more > 0:
                line += f", and {more} more"
            out.append(line)
        subject = f"{c.name}.{dec.name}"
        out.extend(_finding_lines([f for f in c.findings if f.subject == subject], "    "))
    return out


def _threshold_text(t: ThresholdAnalysis) -> list[str]:
    head = _labelled(t.name, t.label) + f" (line {t.line}), checked {t.checked}"
    if t.subject:
        head += f", tests `{t.subject}`"
        if t.domain.integers:
            head += f" ({t.domain.describe()})"
    out = [head]
    rows: list[list[str]] = [["", "condition → status", "values it matches"]]
    for r in t.rules:
        cond = r.condition + (f" for {r.persistence}" if r.persistence else "")
        if r.unreachable:
            what = "never applies"
        elif r.matches is None:
            what = f"not analysed: {r.skipped}"
        else:
            what = (
                r.describe(r.matches, t.currency)
                if r.subject
                else ("always" if r.matches.is_full else "never")
            )
            if r.effective is not None and r.effective != r.matches and r.subject:
                what += f" (what reaches it: {r.describe(r.effective, t.currency)})"
        rows.append([f"rule {r.index}", f"{cond} → {r.status}", what])
    other = (
        f"otherwise → {t.otherwise}" if t.otherwise_declared else f"(no otherwise) → {t.otherwise}"
    )
    if t.otherwise_dead:
        gap_text = "never applies"
    elif t.gaps is not None:
        gap_text = "no value left" if t.gaps.is_empty else t.describe(t.gaps)
    else:
        gap_text = t.gaps_note or ""
    rows.append(["", other, gap_text])
    out.extend(_table(rows, "  "))
    out.extend(_finding_lines(t.findings, "  "))
    return out


def _waterfall_text(w: WaterfallReport) -> list[str]:
    out = [_labelled(w.name, w.label) + f" (line {w.line}), distributes `{w.distributes}`"]
    for tier in w.tiers:
        out.append(f"  {tier.title}: {tier.text}")
    out.extend(_finding_lines(w.findings, "  "))
    return out


def render_analysis_text(report: ContractAnalysis) -> str:
    """The report for people: plain text, deterministic, one section per kind of construct."""
    lines = [f'Analysis of "{report.title}" ({report.path})']
    sections: list[tuple[str, list[list[str]]]] = [
        ("Committees", [_committee_text(c) for c in report.committees]),
        ("Thresholds", [_threshold_text(t) for t in report.thresholds]),
        ("Waterfalls", [_waterfall_text(w) for w in report.waterfalls]),
    ]
    for title, blocks in sections:
        if not blocks:
            continue
        lines += ["", title, "=" * len(title)]
        for i, block in enumerate(blocks):
            if i:
                lines.append("")
            lines.extend(block)
    lines += ["", "Unused declarations", "=" * len("Unused declarations")]
    lines.extend(_finding_lines(report.unused, "") if report.unused else ["none"])
    lines += [
        "",
        f"{_plural(len(report.findings), 'warning')}, {_plural(len(report.notes), 'note')}",
    ]
    return "\n".join(lines)
