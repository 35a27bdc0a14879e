"""The checked contract: the output of ``sema`` and the input of the engine and outputs.

``sema.check(module)`` fills a :class:`CheckedContract`.  Later phases read it
and never look names up in the raw AST themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from pactlang.base.types import Type
from pactlang.diagnostics import Diagnostic
from pactlang.syntax import ast


@dataclass(frozen=True, slots=True)
class Group:
    """One step of the evaluation schedule (see :mod:`pactlang.sema.graph`).

    ``tasks`` is empty for a construct computed over the whole timeline at
    once; for a recurrence it lists, for one month, what to compute in order:
    ``(construct, tier)`` with ``tier`` the index of a waterfall tier, else -1."""

    names: tuple[str, ...]
    tasks: tuple[tuple[str, int], ...]


@dataclass(slots=True)
class CheckedContract:
    module: ast.Module
    path: str
    contract: ast.Contract
    title: str
    id: str | None = None
    version: str | None = None
    effective: datetime.date | None = None
    until: datetime.date | None = None
    currency: str = "EUR"
    language: str = "en"
    calendar: str | None = None  # ISO country code for public holidays
    source: str = ""  # the file's text (explanations quote rules from it)
    # declarations by name, in declaration order
    parties: dict[str, ast.PartyDecl] = field(default_factory=dict)
    measures: dict[str, ast.MeasureDecl] = field(default_factory=dict)
    lets: dict[str, ast.LetDecl] = field(default_factory=dict)
    kpis: dict[str, ast.KpiDecl] = field(default_factory=dict)
    thresholds: dict[str, ast.ThresholdDecl] = field(default_factory=dict)
    committees: dict[str, ast.CommitteeDecl] = field(default_factory=dict)
    escalations: dict[str, ast.EscalationDecl] = field(default_factory=dict)
    waterfalls: dict[str, ast.WaterfallDecl] = field(default_factory=dict)
    clauses: dict[str, ast.ClauseDecl] = field(default_factory=dict)
    # `signed at "Place" on DATE`: where and when the parties sign (None: not stated)
    signed: ast.SignedDecl | None = None
    # `amends "ID" from MONTH` as written (checked by sema), and the amended
    # version's checked contract, found and attached by the API's loader
    amends: ast.AmendsDecl | None = None
    amended: CheckedContract | None = None
    contributions: dict[str, ast.ContributionDecl] = field(default_factory=dict)
    # type of every checked expression node, keyed by id(node)
    types: dict[int, Type] = field(default_factory=dict)
    # declared/inferred value type of each let, KPI and measure
    value_types: dict[str, Type] = field(default_factory=dict)
    # evaluation order of time-dependent constructs (lets, KPIs, thresholds,
    # waterfalls): every construct comes after those it refers to
    order: list[str] = field(default_factory=list)
    # the same order, as the steps of the evaluation schedule
    groups: list[Group] = field(default_factory=list)
    # for each construct in ``order``, the names of constructs it depends on
    depends: dict[str, frozenset[str]] = field(default_factory=dict)
    # lets and KPIs whose value is the same every month (no measure, window,
    # lag, schedule or construct result behind them): usable without `at`
    constants: frozenset[str] = frozenset()
    # how often each measure, let and KPI changes: "quarterly" or "yearly" for a
    # measure reported so (and for values computed only from such measures and
    # constants); the others are monthly and not listed (LANGUAGE.md §5 "Measure cadence")
    cadences: dict[str, str] = field(default_factory=dict)
    # windows over values reported quarterly or yearly count reports: the months
    # between two of them, keyed by id() of the window argument (`2 quarters`, `to date`)
    window_steps: dict[int, int] = field(default_factory=dict)
    # the kind of each let whose value is a duration: day, business_day or month
    duration_kinds: dict[str, str] = field(default_factory=dict)

    def type_of(self, expr: object) -> Type:
        return self.types.get(id(expr), Type.ERROR)

    def kind_of(self, name: str) -> str | None:
        for kind, table in (
            ("party", self.parties),
            ("measure", self.measures),
            ("let", self.lets),
            ("kpi", self.kpis),
            ("threshold", self.thresholds),
            ("committee", self.committees),
            ("escalation", self.escalations),
            ("waterfall", self.waterfalls),
            ("clause", self.clauses),
            ("contribution", self.contributions),
        ):
            if name in table:
                return kind
        return None


class Loaded(Protocol):
    """A contract loaded by the API (:class:`pactlang.api.Contract`), as the
    outputs below the API read it."""

    @property
    def path(self) -> str: ...

    @property
    def checked(self) -> CheckedContract: ...

    @property
    def diagnostics(self) -> list[Diagnostic]: ...
