"""What the annex says of cost sharing, further consequences and governance, and of translated texts.

:mod:`pactlang.render.layout` lays the annex out; it calls this module for

* the texts a reader sees besides labels — the
  ``source``/``unit``/``description`` of measures and KPIs, the attributes of
  ladder steps (``institution``, ``seat``, ``law``…), payment labels, the texts
  of actions — each in the annex's language (its translation when there is
  one, else the original with one warning per text);
* each contribution (LANGUAGE.md §9a): the amount called and the split, and
  the rounding rule among the annex's conventions;
* the consequences ``terminate``, ``suspend`` and ``oblige``;
* a committee's chair (casting vote) and its decisions' deadlock clauses;
* the cadence of measures reported quarterly or yearly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from pactlang.base.money import minor_digits
from pactlang.render.doc import Block, Item, Items, Para, Rich, code, concat, plain
from pactlang.render.model import Attrs, CommitteeView, ContributionView, Label, Measure, Step
from pactlang.render.words import formula, literal_value
from pactlang.syntax import ast

if TYPE_CHECKING:
    from pactlang.kernel.escalation import AttrValue
    from pactlang.render.layout_base import LayoutBase
    from pactlang.sema.model import CheckedContract

__all__ = [
    "action",
    "attr_text",
    "attr_value",
    "chair",
    "contribution",
    "contribution_rules",
    "deadlocks",
    "measure_notes",
    "text",
    "translated_event_text",
]

_MONTHS_OF = {"quarterly": (3, 6, 9, 12), "yearly": (12,)}


# ------------------------------------------------------------- translated texts


def text(
    lay: LayoutBase,
    original: str,
    translations: tuple[ast.Translation, ...] | tuple[tuple[str, str], ...],
    what: str,
) -> str:
    """A text of the contract in the annex's language: its translation, else the text
    as written with one warning per text (the same text in several places is one
    text; ``what`` names the first place in the warning)."""
    pairs = tuple(
        (t.lang.name, t.text.value) if isinstance(t, ast.Translation) else t for t in translations
    )
    return lay.namer(Label(original, original, pairs), what)


def attr_text(lay: LayoutBase, attrs: Attrs, key: str, owner: str) -> str | None:
    """A text attribute (``source``, ``unit``, ``description``) in the annex's language."""
    value = getattr(attrs, key)
    if not isinstance(value, str):
        return None
    return text(lay, value, attrs.translated(key), f"the {key} of {owner}")


#: attributes that name something (an institution, a city): shown as written unless
#: the contract translates them, and never warned about
_NAMES = frozenset({"institution", "seat"})


def attr_value(lay: LayoutBase, step: Step, owner: str, key: str, value: AttrValue) -> Rich:
    """A ladder step's attribute; a text (``rules``, ``law``) in the annex's language."""
    if not isinstance(value, str) or key == "language":
        return lay.attr_value(key, value)
    tr = next((t for k, t in step.translations if k == key), ())
    if not tr and key in _NAMES:
        return plain(value)
    return plain(text(lay, value, tr, f"the {key} of step `{owner}`"))


# --------------------------------------------------------------- consequences


def action(lay: LayoutBase, a: ast.Action) -> Rich:
    """``terminate``, ``suspend`` and ``oblige`` in words."""
    p = lay.p
    if isinstance(a, ast.TerminateAction):
        return lay.r(
            "action.terminate",
            party=p.party(a.party.name),
            duration=p.duration(a.notice.amount, a.notice.unit),
        )
    if isinstance(a, ast.SuspendAction):
        words = text(lay, a.text.value, a.translations, f"the text of `suspend {a.party.name}`")
        return lay.r("action.suspend", party=p.party(a.party.name), text=lay.c.quote(words))
    if isinstance(a, ast.ObligeAction):
        words = text(lay, a.text.value, a.translations, f"the text of `oblige {a.party.name}`")
        return lay.r(
            "action.oblige",
            party=p.party(a.party.name),
            text=lay.c.quote(words),
            duration=p.duration(a.within.amount, a.within.unit),
        )
    raise TypeError(f"not an action laid out here: {type(a).__name__}")  # pragma: no cover


# ------------------------------------------------------------------ governance


def chair(lay: LayoutBase, c: CommitteeView) -> list[tuple[Rich, Rich]]:
    """The chair's row of a committee's facts."""
    if c.chair is None:
        return []
    return [(lay.tr("committee.chair"), lay.r("chair.rule", p=lay.party_cell(c.chair)))]


def deadlocks(lay: LayoutBase, c: CommitteeView) -> list[Block]:
    """One sentence per decision with a ``deadlock`` clause."""
    out: list[Block] = []
    for d in c.decisions:
        if d.deadlock is None:
            continue
        votes, ladder = d.deadlock
        dec = lay.c.quote(lay.namer(d.label, f"decision `{c.name}.{d.name}`"))
        out.append(
            Para(
                lay.sentence(
                    lay.r(
                        "deadlock.rule", votes, d=dec, ladder=lay.p.ref(ladder), see=lay.see(ladder)
                    )
                )
            )
        )
    return out


# ---------------------------------------------------------------- measures


def measure_notes(lay: LayoutBase, measures: Sequence[Measure]) -> list[Block]:
    """A sentence for each measure reported quarterly or yearly."""
    out: list[Block] = []
    wide = lay.c.locale.months["format"]["wide"]
    for m in measures:
        months = _MONTHS_OF.get(m.cadence)
        if months is None:
            continue
        label = lay.namer(m.label, f"measure `{m.name}`")
        shown = lay.c.join([plain(wide[i]) for i in months])
        out.append(
            Para(
                lay.sentence(
                    lay.r(
                        "measures.cadence",
                        m=lay.c.quote(label),
                        cadence=lay.tr(f"cadence.{m.cadence}"),
                        months=shown,
                    )
                )
            )
        )
    return out


# ------------------------------------------------------------- contributions


def contribution(lay: LayoutBase, cv: ContributionView) -> list[Block]:
    """One contribution: the amount called each month and its split."""
    p = lay.p
    blocks: list[Block] = []
    if isinstance(cv.amount, ast.Schedule):
        parts = [
            lay.r(
                "lets.schedule.entry",
                value=p.words(e.value),
                start=lay.c.month(e.start.value),
            )
            for e in cv.amount.entries
        ]
        first = cv.amount.entries[0].start.value
        blocks.append(Para(concat(lay.tr("contribution.amount.schedule"), " ", lay.c.join(parts))))
        blocks.append(
            Para(lay.sentence(lay.tr("contribution.none_before", start=lay.c.month(first))))
        )
    elif cv.amount is not None:
        words = p.words(cv.amount)
        if not literal_value(cv.amount) and not isinstance(cv.amount, ast.Name):
            words = concat(words, " (", code(formula(cv.amount)), ")")
        blocks.append(Para(lay.r("contribution.amount", amount=words)))
    shares: list[Item] = []
    for party, share in cv.keys:
        words = p.words(share)
        if not literal_value(share) and not isinstance(share, ast.Name):
            words = concat(words, " (", code(formula(share)), ")")
        shares.append(Item(lay.r("tier.split", p=p.party(party), share=words)))
    blocks.append(Items(tuple(shares), role="contribution"))
    if not all(isinstance(share, ast.PercentLit) for _, share in cv.keys):
        blocks.append(Para(lay.tr("contribution.keys.vary"), role="small"))
    return blocks


def contribution_rules(lay: LayoutBase) -> list[Item]:
    """The rounding of calls, among the annex's conventions."""
    if not lay.a.contributions:
        return []
    unit = lay.c.money(_unit(lay), lay.a.header.currency)
    return [Item(lay.tr("contribution.rounding", unit=unit))]


def _unit(lay: LayoutBase) -> Decimal:
    """The currency's minor unit as an amount (0.01 for EUR)."""
    return Decimal(1).scaleb(-minor_digits(lay.a.header.currency))


# ------------------------------------------------------------ outside the annex


def translated_event_text(
    cc: CheckedContract, threshold: str, rule: int, text: str | None, lang: str
) -> str | None:
    """The text of a fired action (an ``action``, ``suspend`` or ``oblige`` text, or a
    payment label) in ``lang`` when the contract translates it: the steering
    report shows events in its own language."""
    decl = cc.thresholds.get(threshold)
    if text is None or decl is None or lang == cc.language:
        return text
    rules: list[ast.Rule | ast.OtherwiseRule] = [*decl.rules]
    if decl.otherwise is not None:
        rules.append(decl.otherwise)
    index = rule - 1 if rule else len(rules) - 1
    if not 0 <= index < len(rules):
        return text
    for a in rules[index].actions:
        original = a.label if isinstance(a, ast.PayAction) else getattr(a, "text", None)
        if isinstance(original, ast.Text) and original.value == text:
            translations = getattr(a, "translations", ())
            return next((x.text.value for x in translations if x.lang.name == lang), text)
    return text
