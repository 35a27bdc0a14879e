"""The typed abstract syntax tree of a ``.pact`` file.

Every node is a frozen, slotted dataclass carrying the :class:`Span` of the
source text it came from.  The tree is built by :mod:`pactlang.syntax.parser`
without recursion limits; later phases read it and never mutate it.

Names, labels and expressions are in :mod:`pactlang.syntax.ast_expr`, test
blocks in :mod:`pactlang.syntax.ast_tests`; both are re-exported here, so
every node is ``ast.X``.

Expression chains of the same precedence (``a + b - c``, ``a * b / c``,
``a and b and c``) are n-ary nodes, so a 5,000-term sum is two levels deep,
not 5,000.
"""

# ruff: noqa: F405 - the names of ast_expr and ast_tests are used through the star imports
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from pactlang.diagnostics import Span
from pactlang.syntax.ast_expr import *  # noqa: F403 - names, labels and expressions, re-exported
from pactlang.syntax.ast_tests import *  # noqa: F403 - test blocks, re-exported

# ------------------------------------------------------------ declarations

TypeName = Literal[
    "number", "count", "percent", "money", "bool", "date", "period", "duration", "party", "text"
]


@dataclass(frozen=True, slots=True)
class TypeRef:
    name: TypeName
    span: Span


@dataclass(frozen=True, slots=True)
class FreqValue:
    """A cadence word used as an attribute value: ``frequency monthly``."""

    value: Literal["monthly", "quarterly", "yearly"]
    span: Span


@dataclass(frozen=True, slots=True)
class Attr:
    """``key value`` inside ``{ … }`` of a measure, KPI or escalation step.

    A text value may be followed by its translations (``source "CRM partagé"
    en "Shared CRM"``): ``translations`` belong to ``value``."""

    key: Ident
    value: Expr | FreqValue
    span: Span
    translations: tuple[Translation, ...] = ()

    def text(self, lang: str | None = None) -> str | None:
        """The text value in ``lang`` (a translation), or as written when ``lang`` is None."""
        if not isinstance(self.value, StringLit):
            return None
        if lang is None:
            return self.value.value
        return next((x.text.value for x in self.translations if x.lang.name == lang), None)


# header items


@dataclass(frozen=True, slots=True)
class IdDecl:
    value: Text
    span: Span


@dataclass(frozen=True, slots=True)
class VersionDecl:
    value: Text
    span: Span


@dataclass(frozen=True, slots=True)
class AmendsDecl:
    """``amends "ID" from 2027-01``: this version amends the contract whose
    ``id`` is ID; evaluation follows the amended version before that month and
    this one from it on (docs/language.md, "Amendments")."""

    target: Text
    start: PeriodLit
    span: Span


@dataclass(frozen=True, slots=True)
class EffectiveDecl:
    start: DateLit
    until: DateLit | None
    span: Span


@dataclass(frozen=True, slots=True)
class CurrencyDecl:
    code: Ident  # upper-case ISO 4217 code
    span: Span


@dataclass(frozen=True, slots=True)
class LanguageDecl:
    lang: Ident
    span: Span


@dataclass(frozen=True, slots=True)
class CalendarDecl:
    country: Ident  # upper-case country code
    span: Span


@dataclass(frozen=True, slots=True)
class SignedDecl:
    """``signed at "Place" [on DATE]`` / ``signed on DATE``: where and when the
    parties sign (shown above the signature block of annexes)."""

    place: Text | None
    date: DateLit | None
    span: Span


PartyKey = Literal["legal_name", "legal_form", "office", "registration", "represented_by"]


@dataclass(frozen=True, slots=True)
class PartyItem:
    """One particular of a party: ``legal_name "…"``, ``legal_form "…" en "…"``,
    ``office "…"``, ``registration "…"``, ``represented_by "Name" "Capacity" en "…"``.

    ``translations`` belong to ``value`` (``legal_form`` only); ``capacity`` is the
    representative's capacity with its translations (``represented_by`` only).
    """

    key: PartyKey
    value: Text
    translations: tuple[Translation, ...]
    capacity: Labels | None
    span: Span


@dataclass(frozen=True, slots=True)
class PartyDecl:
    name: Ident
    labels: Labels
    span: Span
    items: tuple[PartyItem, ...] = ()

    def item(self, key: str) -> PartyItem | None:
        return next((i for i in self.items if i.key == key), None)


@dataclass(frozen=True, slots=True)
class MeasureDecl:
    name: Ident
    labels: Labels
    type: TypeRef
    attrs: tuple[Attr, ...]
    span: Span
    cadence: CadenceWord | None = None  # `: number quarterly`: reported once per period

    @property
    def reported(self) -> Cadence:
        """How often the measure is reported: monthly unless the declaration says otherwise."""
        return "monthly" if self.cadence is None else self.cadence.value  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    value: Expr
    start: PeriodLit
    span: Span


@dataclass(frozen=True, slots=True)
class Schedule:
    """``10% from 2026-01, 15% from 2027-01``."""

    entries: tuple[ScheduleEntry, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class LetDecl:
    name: Ident
    labels: Labels
    type: TypeRef | None
    value: Expr | Schedule
    span: Span


@dataclass(frozen=True, slots=True)
class KpiDecl:
    name: Ident
    labels: Labels
    type: TypeRef
    expr: Expr
    attrs: tuple[Attr, ...]
    span: Span


# thresholds

Status = Literal["ok", "watch", "breach", "bonus"]
Cadence = Literal["monthly", "quarterly", "yearly"]
#: how often a committee meets (rendered only): the cadences and two more
Rhythm = Literal["monthly", "bimonthly", "quarterly", "semiannually", "yearly"]


@dataclass(frozen=True, slots=True)
class PayAction:
    amount: Expr
    payer: Ident
    payee: Ident
    label: Text | None
    once: bool
    span: Span
    translations: tuple[Translation, ...] = ()  # of the label


@dataclass(frozen=True, slots=True)
class EscalateAction:
    ladder: Ident
    once: bool
    span: Span


@dataclass(frozen=True, slots=True)
class NotifyAction:
    parties: tuple[Ident, ...]
    once: bool
    span: Span


@dataclass(frozen=True, slots=True)
class FreeAction:
    text: Text
    once: bool
    span: Span
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True, slots=True)
class TerminateAction:
    """``terminate by P notice N days|business days``: P ends the contract; the
    notice starts on the last day of the month of the check."""

    party: Ident
    notice: DurationLit
    once: bool
    span: Span


@dataclass(frozen=True, slots=True)
class SuspendAction:
    """``suspend P "text" [LANG "…"]``: what P suspends, listed with the month."""

    party: Ident
    text: Text
    once: bool
    span: Span
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True, slots=True)
class ObligeAction:
    """``oblige P "text" [LANG "…"] within N days|business days``: an obligation of
    P, due N days after the last day of the month of the check."""

    party: Ident
    text: Text
    within: DurationLit
    once: bool
    span: Span
    translations: tuple[Translation, ...] = ()


Action: TypeAlias = (
    PayAction
    | EscalateAction
    | NotifyAction
    | FreeAction
    | TerminateAction
    | SuspendAction
    | ObligeAction
)


@dataclass(frozen=True, slots=True)
class Persistence:
    """``for N months|quarters|years``: N counts checks."""

    count: int
    unit: Literal["month", "quarter", "year"]
    span: Span


@dataclass(frozen=True, slots=True)
class StatusWord:
    value: Status
    span: Span


@dataclass(frozen=True, slots=True)
class Rule:
    cond: Expr
    persistence: Persistence | None
    status: StatusWord
    actions: tuple[Action, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class OtherwiseRule:
    status: StatusWord
    actions: tuple[Action, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class CadenceWord:
    value: Cadence | Literal["bimonthly", "semiannually"]  # the last two for `meets` only
    span: Span


@dataclass(frozen=True, slots=True)
class ThresholdDecl:
    name: Ident
    labels: Labels
    checked: CadenceWord | None
    rules: tuple[Rule, ...]
    otherwise: OtherwiseRule | None
    span: Span


# committees


@dataclass(frozen=True, slots=True)
class MemberDecl:
    party: Ident
    weight: NumberLit
    span: Span


@dataclass(frozen=True, slots=True)
class Fraction:
    """``2/3`` or ``50%`` in a voting rule; compared exactly."""

    numerator: int
    denominator: int
    text: str  # as written: "2/3" or "50%"
    span: Span


@dataclass(frozen=True, slots=True)
class QuorumDecl:
    kind: Literal["members", "weight"]
    count: int | None  # for members
    fraction: Fraction | None  # for weight
    span: Span


@dataclass(frozen=True, slots=True)
class MeetsDecl:
    cadence: CadenceWord
    span: Span


@dataclass(frozen=True, slots=True)
class ConsensusDecl:
    rounds: int
    span: Span


VoteBase = Literal["weight", "present", "cast"]


@dataclass(frozen=True, slots=True)
class VoteRule:
    kind: Literal["majority", "unanimity", "fraction"]
    strict: bool  # '>' when True, '>=' when False (fraction rules only)
    fraction: Fraction | None
    base: VoteBase | None
    span: Span


@dataclass(frozen=True, slots=True)
class Deadlock:
    """``deadlock after N escalate LADDER``: N consecutive recorded votes that do not
    pass the decision open a dispute on LADDER on the date of the N-th."""

    votes: int
    ladder: Ident
    span: Span


@dataclass(frozen=True, slots=True)
class DecisionDecl:
    name: Ident
    labels: Labels
    rule: VoteRule
    vetoes: tuple[Ident, ...]
    span: Span
    deadlock: Deadlock | None = None


@dataclass(frozen=True, slots=True)
class ChairDecl:
    """``chair P``: P's vote breaks a tie (LANGUAGE.md §7)."""

    party: Ident
    span: Span


CommitteeItem: TypeAlias = (
    MemberDecl | QuorumDecl | MeetsDecl | ConsensusDecl | ChairDecl | DecisionDecl
)


@dataclass(frozen=True, slots=True)
class CommitteeDecl:
    name: Ident
    labels: Labels
    items: tuple[CommitteeItem, ...]
    span: Span

    @property
    def members(self) -> tuple[MemberDecl, ...]:
        return tuple(i for i in self.items if isinstance(i, MemberDecl))

    @property
    def decisions(self) -> tuple[DecisionDecl, ...]:
        return tuple(i for i in self.items if isinstance(i, DecisionDecl))

    @property
    def quorum(self) -> QuorumDecl | None:
        return next((i for i in self.items if isinstance(i, QuorumDecl)), None)

    @property
    def consensus(self) -> ConsensusDecl | None:
        return next((i for i in self.items if isinstance(i, ConsensusDecl)), None)

    @property
    def meets(self) -> MeetsDecl | None:
        return next((i for i in self.items if isinstance(i, MeetsDecl)), None)

    @property
    def chair(self) -> ChairDecl | None:
        return next((i for i in self.items if isinstance(i, ChairDecl)), None)


# escalation ladders


@dataclass(frozen=True, slots=True)
class StepDecl:
    name: Ident
    labels: Labels
    within: DurationLit | None  # None for a final step
    final: bool
    attrs: tuple[Attr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class EscalationDecl:
    name: Ident
    labels: Labels
    steps: tuple[StepDecl, ...]
    span: Span


# waterfalls


@dataclass(frozen=True, slots=True)
class CapPay:
    """``pay P up to AMOUNT`` in a capped tier."""

    party: Ident
    cap: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class SplitShare:
    party: Ident
    share: PercentLit
    span: Span


@dataclass(frozen=True, slots=True)
class TierDecl:
    name: Ident | None
    labels: Labels
    pays: tuple[CapPay, ...]
    mode: Literal["pro_rata", "in_order"] | None
    splits: tuple[SplitShare, ...]
    cap: Expr | None  # `up to AMOUNT` of a split tier
    span: Span

    @property
    def is_split(self) -> bool:
        return bool(self.splits)


@dataclass(frozen=True, slots=True)
class WaterfallDecl:
    name: Ident
    labels: Labels
    distributes: Expr
    tiers: tuple[TierDecl, ...]
    span: Span


# clauses


@dataclass(frozen=True, slots=True)
class ClauseText:
    """``text "…" [LANG "…"]…``: one paragraph of a clause and its translations."""

    text: Text
    translations: tuple[Translation, ...]
    span: Span

    def get(self, lang: str | None = None) -> str | None:
        """The paragraph in ``lang`` (a translation), or the original when ``lang`` is None."""
        if lang is None:
            return self.text.value
        for t in self.translations:
            if t.lang.name == lang:
                return t.text.value
        return None


@dataclass(frozen=True, slots=True)
class ClauseGoverns:
    names: tuple[Ident, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ClauseBinding:
    binding: bool  # False for `non-binding`
    span: Span


ClauseItem: TypeAlias = ClauseText | ClauseGoverns | ClauseBinding


@dataclass(frozen=True, slots=True)
class ClauseDecl:
    """``clause NAME "NUMBER" ["Label" …] { text … governs … binding|non-binding }``."""

    name: Ident
    number: Text
    labels: Labels
    items: tuple[ClauseItem, ...]
    span: Span

    @property
    def texts(self) -> tuple[ClauseText, ...]:
        return tuple(i for i in self.items if isinstance(i, ClauseText))

    @property
    def governs(self) -> tuple[Ident, ...]:
        return tuple(n for i in self.items if isinstance(i, ClauseGoverns) for n in i.names)

    @property
    def binding(self) -> bool:
        """Binding unless the clause says ``non-binding`` (the first word given counts)."""
        word = next((i for i in self.items if isinstance(i, ClauseBinding)), None)
        return True if word is None else word.binding


# contributions


@dataclass(frozen=True, slots=True)
class KeyShare:
    """``acme 60%`` in a contribution's ``split``: the share is any percent expression."""

    party: Ident
    share: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ContributionDecl:
    """``contribution NAME ["Label"] { amount EXPR|SCHEDULE  split P 60%, Q 40% }``."""

    name: Ident
    labels: Labels
    amount: Expr | Schedule | None
    keys: tuple[KeyShare, ...]
    span: Span


Decl: TypeAlias = (
    IdDecl
    | VersionDecl
    | EffectiveDecl
    | CurrencyDecl
    | LanguageDecl
    | CalendarDecl
    | AmendsDecl
    | SignedDecl
    | PartyDecl
    | MeasureDecl
    | LetDecl
    | KpiDecl
    | ThresholdDecl
    | CommitteeDecl
    | EscalationDecl
    | WaterfallDecl
    | ClauseDecl
    | ContributionDecl
)

NamedDecl: TypeAlias = (
    PartyDecl
    | MeasureDecl
    | LetDecl
    | KpiDecl
    | ThresholdDecl
    | CommitteeDecl
    | EscalationDecl
    | WaterfallDecl
    | ClauseDecl
    | ContributionDecl
)


@dataclass(frozen=True, slots=True)
class Contract:
    title: Text
    decls: tuple[Decl, ...]
    span: Span
    translations: tuple[Translation, ...] = ()  # of the title

    @property
    def labels(self) -> Labels:
        """The title and its translations, as the labels of a declaration."""
        return Labels(self.title, self.translations, self.title.span)


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # including the leading '#'
    span: Span


@dataclass(frozen=True, slots=True)
class Module:
    """One ``.pact`` file: a contract and its tests, or ``tests for "X.pact"`` and tests."""

    contract: Contract | None
    tests_for: TestsFor | None
    tests: tuple[TestBlock, ...]
    comments: tuple[Comment, ...]
    span: Span
