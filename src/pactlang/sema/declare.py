"""Passes 1 and 2: the header items, and the table of every declared name.

Header (LANGUAGE.md §3): at most one of each item; exactly one ``currency``
(an ISO 4217 code known to Babel); ``language`` is ``en`` or ``fr`` (default
``en``); ``effective`` starts on or before ``until``; ``calendar`` names a
country with a public-holiday table.

Names (§2): every top-level name is declared once per contract, in one shared
namespace (parties, measures, lets, KPIs, thresholds, committees, ladders,
waterfalls); a name may not be that of a built-in function.  Label
translations are tagged ``en`` or ``fr``, not the contract's own language, and
at most once each.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar

import babel.numbers
from babel.core import get_global

from pactlang.base.types import Type
from pactlang.base.values import Period
from pactlang.diagnostics import Related, replace_with
from pactlang.sema.context import (
    BUILTINS,
    KIND_OF_DECL,
    KIND_TEXT,
    KPI,
    LANGUAGES,
    MEASURE,
    Checker,
    closest,
)
from pactlang.syntax import ast

HEADER_KEYWORD: dict[type, str] = {
    ast.IdDecl: "id",
    ast.VersionDecl: "version",
    ast.EffectiveDecl: "effective",
    ast.CurrencyDecl: "currency",
    ast.LanguageDecl: "language",
    ast.CalendarDecl: "calendar",
    ast.SignedDecl: "signed",
    ast.AmendsDecl: "amends",
}

# Value types a measure (and a KPI) may have: monthly series of these.
SERIES_TYPES = frozenset({Type.NUMBER, Type.COUNT, Type.PERCENT, Type.MONEY, Type.BOOL})


@functools.cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes known to Babel."""
    return frozenset(babel.numbers.list_currencies())


@functools.cache
def current_currencies() -> tuple[str, ...]:
    """Codes legal tender somewhere today (suggestions prefer these to historic codes)."""
    out: set[str] = set()
    for entries in get_global("territory_currencies").values():
        for code, _start, end, tender in entries:
            if end is None and tender:
                out.add(code)
    return tuple(sorted(out & currencies()))


#: The public-holiday calendar of a contract that states none (CLI.md:
#: ``[tool.pact]`` gives defaults for the calendar; ``pact --calendar CC``
#: wins over it).  A contract's own ``calendar`` line always wins; the CLI sets
#: this for one command and resets it after.
DEFAULT_CALENDAR: ContextVar[str | None] = ContextVar("pact_default_calendar", default=None)


def known_calendar(code: str) -> bool:
    """Whether ``calendar CODE`` names a country with public holidays."""
    # imported here: the engine package may import sema, never the other way at import time
    from pactlang.base.calendars import known_country

    return known_country(code)


# ------------------------------------------------------------------ header


def header(ck: Checker) -> None:
    cc = ck.cc
    first: dict[type, ast.Decl] = {}
    for d in cc.contract.decls:
        keyword = HEADER_KEYWORD.get(type(d))
        if keyword is None:
            continue
        prev = first.get(type(d))
        if prev is not None:
            ck.bag.error(
                "E016",
                f"`{keyword}` is given twice",
                d.span,
                help=f"keep one `{keyword}` line",
                related=[Related(prev.span, f"`{keyword}` is first given here")],
            )
            continue
        first[type(d)] = d
        if isinstance(d, ast.IdDecl):
            cc.id = d.value.value
        elif isinstance(d, ast.VersionDecl):
            cc.version = d.value.value
        elif isinstance(d, ast.EffectiveDecl):
            _effective(ck, d)
        elif isinstance(d, ast.CurrencyDecl):
            _currency(ck, d)
        elif isinstance(d, ast.LanguageDecl):
            _language(ck, d)
        elif isinstance(d, ast.CalendarDecl):
            _calendar(ck, d)
        elif isinstance(d, ast.SignedDecl):
            cc.signed = d
        elif isinstance(d, ast.AmendsDecl):
            cc.amends = d
    if cc.amends is not None:
        _amends(ck, cc.amends)
    elif ast.CalendarDecl not in first:
        cc.calendar = DEFAULT_CALENDAR.get()
    if ast.CurrencyDecl not in first:
        ck.bag.error(
            "E017",
            f"contract {cc.title!r} has no `currency`",
            cc.contract.title.span,
            help="add a line such as `currency EUR` (an ISO 4217 code): it decides money literals",
        )


def _amends(ck: Checker, d: ast.AmendsDecl) -> None:
    """``amends "ID" from MONTH``: an id as written on the amended version, and
    a month inside this version's term, after its first month."""
    cc = ck.cc
    target = d.target.value
    if not target.strip() or target != target.strip() or any(not ch.isprintable() for ch in target):
        ck.bag.error(
            "E084",
            f"`amends {target!r}`: an id is a non-empty text without surrounding spaces or control characters",
            d.target.span,
            help='write the `id` of the amended version as it is written there, e.g. `amends "ASD-2026-01" from 2027-01`',
        )
        return
    if cc.id is not None and target == cc.id:
        ck.bag.error(
            "E084",
            f"this version amends itself: its own `id` is {target!r}",
            d.target.span,
            help="give the amending version its own id (e.g. \"" + target + "-A1\") and keep the amended one's here",
        )
        return
    month = d.start.value
    if cc.effective is not None:
        first = Period(cc.effective.year, cc.effective.month)
        if month <= first:
            ck.bag.error(
                "E084",
                f"the amendment applies from {month}, not after the term's first month {first}: "
                "the amended version would never apply",
                d.start.span,
                help=f"give a month after {first}, or drop `amends` (this version then applies from the start)",
            )
            return
    if cc.until is not None:
        last = Period(cc.until.year, cc.until.month)
        if month > last:
            ck.bag.error(
                "E084",
                f"the amendment applies from {month}, after the term's last month {last}",
                d.start.span,
                help=f"give a month from the term, at the latest {last}",
            )


def _effective(ck: Checker, d: ast.EffectiveDecl) -> None:
    ck.cc.effective = d.start.value
    if d.until is None:
        return
    if d.until.value < d.start.value:
        ck.bag.error(
            "E064",
            f"the term ends on {d.until.value.isoformat()}, before it starts on "
            f"{d.start.value.isoformat()}",
            d.until.span,
            help="`effective START until END` needs START on or before END",
            related=[Related(d.start.span, "the term starts here")],
        )
        return
    ck.cc.until = d.until.value


def _currency(ck: Checker, d: ast.CurrencyDecl) -> None:
    code = d.code.name
    if code in currencies():
        ck.cc.currency = code
        ck.currency_known = True
        return
    near = closest(code, current_currencies())
    ck.bag.error(
        "E066",
        f"`{code}` is not an ISO 4217 currency code",
        d.code.span,
        help=f"did you mean `{near}`?" if near else "use a code such as EUR, USD, GBP or JPY",
        fixes=replace_with(d.code.span, near),
    )


def _language(ck: Checker, d: ast.LanguageDecl) -> None:
    lang = d.lang.name
    if lang in LANGUAGES:
        ck.cc.language = lang
        return
    ck.bag.error(
        "E065",
        f"`{lang}` is not a contract language: labels are written in `en` or `fr`",
        d.lang.span,
        help="write `language en` or `language fr`",
    )


def _calendar(ck: Checker, d: ast.CalendarDecl) -> None:
    code = d.country.name
    if known_calendar(code):
        ck.cc.calendar = code
        return
    ck.bag.error(
        "E051",
        f"`{code}` is not a country with a public-holiday calendar",
        d.country.span,
        help="use an ISO 3166 country code such as FR, DE, GB or US",
    )


# ------------------------------------------------------------------- names


def names(ck: Checker) -> None:
    cc = ck.cc
    tables: dict[str, dict[str, ast.NamedDecl]] = {
        "party": cc.parties,  # type: ignore[dict-item]
        "measure": cc.measures,  # type: ignore[dict-item]
        "let": cc.lets,  # type: ignore[dict-item]
        "kpi": cc.kpis,  # type: ignore[dict-item]
        "threshold": cc.thresholds,  # type: ignore[dict-item]
        "committee": cc.committees,  # type: ignore[dict-item]
        "escalation": cc.escalations,  # type: ignore[dict-item]
        "waterfall": cc.waterfalls,  # type: ignore[dict-item]
        "clause": cc.clauses,  # type: ignore[dict-item]
        "contribution": cc.contributions,  # type: ignore[dict-item]
    }
    for i, d in enumerate(cc.contract.decls):
        kind = KIND_OF_DECL.get(type(d))
        if kind is None:
            continue
        nd: ast.NamedDecl = d  # type: ignore[assignment]
        name = nd.name.name
        if name in BUILTINS:
            ck.bag.error(
                "E018",
                f"`{name}` is the name of a built-in function and cannot name {KIND_TEXT[kind]}",
                nd.name.span,
                help=f"choose another name, e.g. `{name}_{kind}`",
            )
        prev = ck.kind.get(name)
        if prev is not None:
            first = ck.decl[name]
            again = "again " if prev == kind else ""
            ck.bag.error(
                "E011",
                f"`{name}` is declared twice: {again}as {KIND_TEXT[kind]}, first as {KIND_TEXT[prev]}",
                nd.name.span,
                help="every name is declared once per contract; rename or remove one of them",
                related=[Related(first.name.span, f"`{name}` is first declared here")],
            )
            ck.duplicates.append(nd)
            continue
        ck.kind[name] = kind
        ck.decl[name] = nd
        ck.index[name] = i
        tables[kind][name] = nd
        _value_type(ck, nd)
    check_labels(ck, cc.contract.labels)
    for d in cc.contract.decls:
        _decl_labels(ck, d)


def _value_type(ck: Checker, d: ast.NamedDecl) -> None:
    """Record the declared value type of a measure, KPI or typed let."""
    name = d.name.name
    if isinstance(d, ast.MeasureDecl | ast.KpiDecl):
        t = Type(d.type.name)
        if t not in SERIES_TYPES:
            what = MEASURE if isinstance(d, ast.MeasureDecl) else KPI
            ck.bag.error(
                "E027",
                f"{KIND_TEXT[what]} cannot be of type {t}",
                d.type.span,
                help=f"{what}s are number, count, percent, money or bool",
            )
            t = Type.ERROR
        ck.cc.value_types[name] = t
        if isinstance(d, ast.MeasureDecl) and d.reported != "monthly":
            ck.cc.cadences[name] = d.reported
    elif isinstance(d, ast.LetDecl) and d.type is not None:
        t = Type(d.type.name)
        if t is Type.PARTY:
            ck.bag.error(
                "E027",
                "a let cannot hold a party",
                d.type.span,
                help="name the party directly where one is expected",
            )
            t = Type.ERROR
        ck.cc.value_types[name] = t
    # lets without a declared type are typed by the typecheck pass


def _texts(d: ast.Decl) -> list[ast.Labels]:
    """The translated texts of a declaration other than its labels: attribute texts
    (``source``, ``unit``…), payment labels, action, suspension and obligation texts."""
    out: list[ast.Labels] = []
    attrs: list[ast.Attr] = []
    if isinstance(d, ast.MeasureDecl | ast.KpiDecl):
        attrs.extend(d.attrs)
    elif isinstance(d, ast.EscalationDecl):
        for s in d.steps:
            attrs.extend(s.attrs)
    elif isinstance(d, ast.ThresholdDecl):
        rules: list[ast.Rule | ast.OtherwiseRule] = [*d.rules]
        if d.otherwise is not None:
            rules.append(d.otherwise)
        for r in rules:
            for a in r.actions:
                if isinstance(a, ast.PayAction) and a.label is not None:
                    out.append(ast.Labels(a.label, a.translations, a.label.span))
                elif isinstance(a, ast.FreeAction | ast.SuspendAction | ast.ObligeAction):
                    out.append(ast.Labels(a.text, a.translations, a.text.span))
    for attr in attrs:
        if isinstance(attr.value, ast.StringLit):
            text = ast.Text(attr.value.value, attr.value.span)
            out.append(ast.Labels(text, attr.translations, attr.span))
    return out


def _decl_labels(ck: Checker, d: ast.Decl) -> None:
    labels = getattr(d, "labels", None)
    if isinstance(labels, ast.Labels):
        check_labels(ck, labels)
    for text in _texts(d):
        check_labels(ck, text)
    if isinstance(d, ast.CommitteeDecl):
        for dec in d.decisions:
            check_labels(ck, dec.labels)
    elif isinstance(d, ast.EscalationDecl):
        for s in d.steps:
            check_labels(ck, s.labels)
    elif isinstance(d, ast.WaterfallDecl):
        for t in d.tiers:
            check_labels(ck, t.labels)
    elif isinstance(d, ast.PartyDecl):
        for item in d.items:
            if item.translations:
                check_labels(ck, ast.Labels(item.value, item.translations, item.span))
            if item.capacity is not None:
                check_labels(ck, item.capacity)
    elif isinstance(d, ast.ClauseDecl):
        for clause_text in d.texts:
            check_labels(ck, ast.Labels(clause_text.text, clause_text.translations, clause_text.span))


def check_labels(ck: Checker, labels: ast.Labels) -> None:
    seen: dict[str, ast.Translation] = {}
    own = ck.cc.language
    for t in labels.translations:
        lang = t.lang.name
        if lang not in LANGUAGES:
            ck.bag.error(
                "E065",
                f"`{lang}` is not a label language: translations are tagged `en` or `fr`",
                t.lang.span,
                help='write the translation as `en "…"` or `fr "…"`',
            )
        elif lang == own:
            ck.bag.error(
                "E065",
                f"a translation tagged `{lang}`, the contract's own language",
                t.lang.span,
                help=f"the first label is already in `{own}`; translate into the other language",
            )
        elif lang in seen:
            ck.bag.error(
                "E065",
                f"two `{lang}` translations of one label",
                t.lang.span,
                help="keep one",
                related=[Related(seen[lang].span, f"the first `{lang}` translation")],
            )
        else:
            seen[lang] = t
