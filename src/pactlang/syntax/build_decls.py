"""Parse tree → typed AST, part 2: declarations (module, header, constructs).

:class:`Builder` adds to :class:`~pactlang.syntax.build.BuilderBase` the
methods that build the contract and its declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from lark import Token

from pactlang.diagnostics import Span
from pactlang.syntax import ast
from pactlang.syntax.build import ONCE, BuilderBase, _meta_span, _Once, tok_span

__all__ = ["Builder"]


@dataclass(slots=True)
class Builder(BuilderBase):
    # -- module

    def b_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def b_decl_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def b_test_start(self, a: list[Any], m: Any) -> Any:
        return a[0]

    def _module(self, contract: Any, tests_for: Any, tests: list[Any], m: Any) -> ast.Module:
        span = _meta_span(m) or Span(0, 0, 1, 1, 1, 1)
        return ast.Module(contract, tests_for, tuple(tests), (), span)

    def b_module_contract(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(a[0], None, a[1:], m)

    def b_module_tests_for(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(None, a[0], a[1:], m)

    def b_module_tests_only(self, a: list[Any], m: Any) -> ast.Module:
        return self._module(None, None, a, m)

    def b_tests_for(self, a: list[Any], m: Any) -> ast.TestsFor:
        return ast.TestsFor(self.text(a[0]), self._span_of(a, m))

    def b_contract_block(self, a: list[Any], m: Any) -> ast.Contract:
        translations = tuple(x for x in a[1:] if isinstance(x, ast.Translation))
        decls = tuple(x for x in a[1:] if not isinstance(x, ast.Translation))
        return ast.Contract(self.text(a[0]), decls, self._span_of(a, m), translations)

    # -- header

    def b_id_decl(self, a: list[Any], m: Any) -> ast.IdDecl:
        return ast.IdDecl(self.text(a[0]), self._span_of(a, m))

    def b_version_decl(self, a: list[Any], m: Any) -> ast.VersionDecl:
        return ast.VersionDecl(self.text(a[0]), self._span_of(a, m))

    def b_amends_decl(self, a: list[Any], m: Any) -> ast.AmendsDecl:
        return ast.AmendsDecl(self.text(a[0]), self.b_period([a[1]], None), self._span_of(a, m))

    def b_effective_decl(self, a: list[Any], m: Any) -> ast.EffectiveDecl:
        start = self.b_date([a[0]], None)
        until = self.b_date([a[1]], None) if len(a) > 1 and a[1] is not None else None
        return ast.EffectiveDecl(start, until, self._span_of(a, m))

    def b_currency_decl(self, a: list[Any], m: Any) -> ast.CurrencyDecl:
        return ast.CurrencyDecl(self.ident(a[0]), self._span_of(a, m))

    def b_language_decl(self, a: list[Any], m: Any) -> ast.LanguageDecl:
        return ast.LanguageDecl(self.ident(a[0]), self._span_of(a, m))

    def b_calendar_decl(self, a: list[Any], m: Any) -> ast.CalendarDecl:
        return ast.CalendarDecl(self.ident(a[0]), self._span_of(a, m))

    def b_labels(self, a: list[Any], m: Any) -> ast.Labels:
        if not a or a[0] is None:
            return ast.Labels(None, (), Span(0, 0, 1, 1, 1, 1))
        return ast.Labels(self.text(a[0]), tuple(a[1:]), self._span_of(a, m))

    def b_translation(self, a: list[Any], m: Any) -> ast.Translation:
        return ast.Translation(self.ident(a[0]), self.text(a[1]), self._span_of(a, m))

    def _labels_after(self, labels: ast.Labels, name: ast.Ident) -> ast.Labels:
        if labels.primary is None:
            e = name.span
            return ast.Labels(None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col))
        return labels

    def b_signed_at(self, a: list[Any], m: Any) -> ast.SignedDecl:
        date = self.b_date([a[1]], None) if len(a) > 1 and a[1] is not None else None
        return ast.SignedDecl(self.text(a[0]), date, self._span_of(a, m))

    def b_signed_on(self, a: list[Any], m: Any) -> ast.SignedDecl:
        return ast.SignedDecl(None, self.b_date([a[0]], None), self._span_of(a, m))

    def b_party_decl(self, a: list[Any], m: Any) -> ast.PartyDecl:
        name = self.ident(a[0])
        items = a[2] if len(a) > 2 and a[2] is not None else ()
        return ast.PartyDecl(name, self._labels_after(a[1], name), self._span_of(a, m), items)

    def b_party_block(self, a: list[Any], m: Any) -> tuple[ast.PartyItem, ...]:
        return tuple(a)

    def _party_item(self, key: str, a: list[Any], m: Any) -> ast.PartyItem:
        return ast.PartyItem(cast(Any, key), self.text(a[0]), (), None, self._span_of(a, m))

    def b_party_legal_name(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("legal_name", a, m)

    def b_party_office(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("office", a, m)

    def b_party_registration(self, a: list[Any], m: Any) -> ast.PartyItem:
        return self._party_item("registration", a, m)

    def b_party_legal_form(self, a: list[Any], m: Any) -> ast.PartyItem:
        return ast.PartyItem("legal_form", self.text(a[0]), tuple(a[1:]), None, self._span_of(a, m))

    def b_party_represented(self, a: list[Any], m: Any) -> ast.PartyItem:
        value = self.text(a[0])
        capacity: ast.Labels = a[1]
        if capacity.primary is None:
            e = value.span
            capacity = ast.Labels(
                None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col)
            )
        return ast.PartyItem("represented_by", value, (), capacity, self._span_of(a, m))

    def b_type_name(self, a: list[Any], m: Any) -> ast.TypeRef:
        return ast.TypeRef(cast(ast.TypeName, str(a[0])), tok_span(a[0]))

    def b_attr_block(self, a: list[Any], m: Any) -> tuple[ast.Attr, ...]:
        """The attributes; ``LANG "…"`` right after a text attribute is its translation
        (``source "CRM partagé" en "Shared CRM"``): a two-letter key that no
        attribute has, holding a text."""
        out: list[ast.Attr] = []
        for attr in a:
            prev = out[-1] if out else None
            if (
                prev is not None
                and isinstance(prev.value, ast.StringLit)
                and _is_language_key(attr.key.name)
                and isinstance(attr.value, ast.StringLit)
            ):
                tr = ast.Translation(attr.key, ast.Text(attr.value.value, attr.value.span), attr.span)
                out[-1] = ast.Attr(
                    prev.key, prev.value, prev.span.cover(attr.span), (*prev.translations, tr)
                )
                continue
            out.append(attr)
        return tuple(out)

    def b_attr_key(self, a: list[Any], m: Any) -> ast.Ident:
        return self.ident(a[0])

    def b_attr(self, a: list[Any], m: Any) -> ast.Attr:
        return ast.Attr(a[0], a[1], self._span_of(a, m))

    def b_cadence(self, a: list[Any], m: Any) -> ast.FreqValue:
        return ast.FreqValue(cast(Any, str(a[0])), tok_span(a[0]))

    def b_measure_decl(self, a: list[Any], m: Any) -> ast.MeasureDecl:
        name = self.ident(a[0])
        cadence = next((x for x in a[3:] if isinstance(x, ast.FreqValue)), None)
        attrs = next((x for x in a[3:] if isinstance(x, tuple)), ())
        word = ast.CadenceWord(cadence.value, cadence.span) if cadence is not None else None
        return ast.MeasureDecl(
            name, self._labels_after(a[1], name), a[2], attrs, self._span_of(a, m), word
        )

    def b_let_decl(self, a: list[Any], m: Any) -> ast.LetDecl:
        name = self.ident(a[0])
        typ = a[2] if len(a) == 4 else None
        return ast.LetDecl(name, self._labels_after(a[1], name), typ, a[-1], self._span_of(a, m))

    def b_kpi_decl(self, a: list[Any], m: Any) -> ast.KpiDecl:
        name = self.ident(a[0])
        attrs = a[4] if len(a) > 4 else ()
        return ast.KpiDecl(name, self._labels_after(a[1], name), a[2], a[3], attrs, self._span_of(a, m))

    def b_schedule(self, a: list[Any], m: Any) -> ast.Schedule:
        return ast.Schedule(tuple(a), self._span_of(a, m))

    def b_schedule_entry(self, a: list[Any], m: Any) -> ast.ScheduleEntry:
        return ast.ScheduleEntry(a[0], self.b_period([a[1]], None), self._span_of(a, m))

    # -- thresholds

    def b_threshold_decl(self, a: list[Any], m: Any) -> ast.ThresholdDecl:
        name = self.ident(a[0])
        checked = None
        rules: list[ast.Rule] = []
        other = None
        for item in a[2:]:
            if isinstance(item, ast.CadenceWord):
                checked = item
            elif isinstance(item, ast.Rule):
                rules.append(item)
            elif isinstance(item, ast.OtherwiseRule):
                other = item
        return ast.ThresholdDecl(
            name, self._labels_after(a[1], name), checked, tuple(rules), other, self._span_of(a, m)
        )

    def b_checked(self, a: list[Any], m: Any) -> ast.CadenceWord:
        f: ast.FreqValue = a[0]
        return ast.CadenceWord(f.value, f.span)

    def b_rule(self, a: list[Any], m: Any) -> ast.Rule:
        cond = a[0]
        rest = a[1:]
        persistence = None
        if rest and isinstance(rest[0], ast.Persistence):
            persistence = rest.pop(0)
        status = rest.pop(0)
        return ast.Rule(cond, persistence, status, tuple(rest), self._span_of(a, m))

    def b_persistence(self, a: list[Any], m: Any) -> ast.Persistence:
        count = self.integer(a[0], "the number of checks")
        unit = str(a[1]).rstrip("s")
        return ast.Persistence(count, cast(Any, unit), self._span_of(a, m))

    def b_period_unit(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_otherwise_rule(self, a: list[Any], m: Any) -> ast.OtherwiseRule:
        return ast.OtherwiseRule(a[0], tuple(a[1:]), self._span_of(a, m))

    def b_status(self, a: list[Any], m: Any) -> ast.StatusWord:
        return ast.StatusWord(cast(Any, str(a[0])), tok_span(a[0]))

    def b_once(self, a: list[Any], m: Any) -> _Once:
        return ONCE

    def b_action(self, a: list[Any], m: Any) -> ast.Action:
        once = len(a) == 2
        body = a[-1]
        span = self._span_of(a, m)
        if isinstance(body, ast.PayAction):
            return ast.PayAction(
                body.amount, body.payer, body.payee, body.label, once, span, body.translations
            )
        if isinstance(body, ast.EscalateAction):
            return ast.EscalateAction(body.ladder, once, span)
        if isinstance(body, ast.NotifyAction):
            return ast.NotifyAction(body.parties, once, span)
        if isinstance(body, ast.TerminateAction):
            return ast.TerminateAction(body.party, body.notice, once, span)
        if isinstance(body, ast.SuspendAction):
            return ast.SuspendAction(body.party, body.text, once, span, body.translations)
        if isinstance(body, ast.ObligeAction):
            return ast.ObligeAction(
                body.party, body.text, body.within, once, span, body.translations
            )
        return ast.FreeAction(body.text, once, span, body.translations)

    def b_pay_action(self, a: list[Any], m: Any) -> ast.PayAction:
        labels: ast.Labels = a[3]
        return ast.PayAction(
            a[0],
            self.ident(a[1]),
            self.ident(a[2]),
            labels.primary,
            False,
            self._span_of(a, m),
            labels.translations,
        )

    def b_terminate_action(self, a: list[Any], m: Any) -> ast.TerminateAction:
        return ast.TerminateAction(self.ident(a[0]), a[1], False, self._span_of(a, m))

    def b_suspend_action(self, a: list[Any], m: Any) -> ast.SuspendAction:
        return ast.SuspendAction(
            self.ident(a[0]), self.text(a[1]), False, self._span_of(a, m), tuple(a[2:])
        )

    def b_oblige_action(self, a: list[Any], m: Any) -> ast.ObligeAction:
        return ast.ObligeAction(
            self.ident(a[0]), self.text(a[1]), a[-1], False, self._span_of(a, m), tuple(a[2:-1])
        )

    def b_escalate_action(self, a: list[Any], m: Any) -> ast.EscalateAction:
        return ast.EscalateAction(self.ident(a[0]), False, self._span_of(a, m))

    def b_notify_action(self, a: list[Any], m: Any) -> ast.NotifyAction:
        return ast.NotifyAction(tuple(self.ident(t) for t in a), False, self._span_of(a, m))

    def b_free_action(self, a: list[Any], m: Any) -> ast.FreeAction:
        return ast.FreeAction(self.text(a[0]), False, self._span_of(a, m), tuple(a[1:]))

    # -- committees

    def b_committee_decl(self, a: list[Any], m: Any) -> ast.CommitteeDecl:
        name = self.ident(a[0])
        return ast.CommitteeDecl(name, self._labels_after(a[1], name), tuple(a[2:]), self._span_of(a, m))

    def b_member_decl(self, a: list[Any], m: Any) -> ast.MemberDecl:
        return ast.MemberDecl(self.ident(a[0]), self.b_number([a[1]], None), self._span_of(a, m))

    def b_quorum_members(self, a: list[Any], m: Any) -> ast.QuorumDecl:
        return ast.QuorumDecl("members", self.integer(a[0], "a quorum"), None, self._span_of(a, m))

    def b_quorum_weight(self, a: list[Any], m: Any) -> ast.QuorumDecl:
        return ast.QuorumDecl("weight", None, a[0], self._span_of(a, m))

    def b_meets_decl(self, a: list[Any], m: Any) -> ast.MeetsDecl:
        word: Token = a[0]
        return ast.MeetsDecl(ast.CadenceWord(cast(Any, str(word)), tok_span(word)), self._span_of(a, m))

    def b_rhythm(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_chair_decl(self, a: list[Any], m: Any) -> ast.ChairDecl:
        return ast.ChairDecl(self.ident(a[0]), self._span_of(a, m))

    def b_consensus_decl(self, a: list[Any], m: Any) -> ast.ConsensusDecl:
        return ast.ConsensusDecl(self.integer(a[0], "the number of rounds"), self._span_of(a, m))

    def b_decision_decl(self, a: list[Any], m: Any) -> ast.DecisionDecl:
        name = self.ident(a[0])
        vetoes = next((tuple(x) for x in a[3:] if isinstance(x, list)), ())
        deadlock = next((x for x in a[3:] if isinstance(x, ast.Deadlock)), None)
        return ast.DecisionDecl(
            name, self._labels_after(a[1], name), a[2], vetoes, self._span_of(a, m), deadlock
        )

    def b_deadlock(self, a: list[Any], m: Any) -> ast.Deadlock:
        votes = self.integer(a[0], "the number of votes")
        return ast.Deadlock(votes, self.ident(a[1]), self._span_of(a, m))

    # -- contributions

    def b_contribution_decl(self, a: list[Any], m: Any) -> ast.ContributionDecl:
        name = self.ident(a[0])
        span = self._span_of(a, m)
        amount: ast.Expr | ast.Schedule | None = None
        keys: tuple[ast.KeyShare, ...] = ()
        split_lines = 0
        for kind, item, where in a[2:]:
            if kind == "amount":
                if amount is not None:
                    self.bag.error(
                        "E090",
                        f"contribution `{name.name}` gives its `amount` twice",
                        where,
                        help="keep one `amount` line; a schedule gives amounts that change "
                        "over time: `amount 10_000 EUR from 2026-01, 12_000 EUR from 2027-01`",
                    )
                    continue
                amount = item
            else:
                split_lines += 1
                if split_lines == 2:
                    self.bag.error(
                        "E090",
                        f"contribution `{name.name}` has one `split` line",
                        where,
                        help="list every share on one line: `split a 60%, b 40%`",
                    )
                    continue
                keys = tuple(item)
        return ast.ContributionDecl(name, self._labels_after(a[1], name), amount, keys, span)

    def b_contribution_amount(self, a: list[Any], m: Any) -> tuple[str, Any, Span]:
        return ("amount", a[0], self._span_of(a, m))

    def b_contribution_split(self, a: list[Any], m: Any) -> tuple[str, Any, Span]:
        return ("split", list(a), self._span_of(a, m))

    def b_key_share(self, a: list[Any], m: Any) -> ast.KeyShare:
        return ast.KeyShare(self.ident(a[0]), a[1], self._span_of(a, m))

    def b_veto(self, a: list[Any], m: Any) -> list[ast.Ident]:
        return [self.ident(t) for t in a]

    def b_rule_majority(self, a: list[Any], m: Any) -> ast.VoteRule:
        return ast.VoteRule("majority", True, None, None, self._span_of(a, m))

    def b_rule_unanimity(self, a: list[Any], m: Any) -> ast.VoteRule:
        return ast.VoteRule("unanimity", False, None, None, self._span_of(a, m))

    def b_rule_fraction(self, a: list[Any], m: Any) -> ast.VoteRule:
        strict = str(a[0]) == ">"
        return ast.VoteRule("fraction", strict, a[1], cast(Any, str(a[2])), self._span_of(a, m))

    def b_frac_op(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_vote_base(self, a: list[Any], m: Any) -> Token:
        return cast(Token, a[0])

    def b_fraction_ratio(self, a: list[Any], m: Any) -> ast.Fraction:
        num = self.integer(a[0], "a numerator")
        den = self.integer(a[1], "a denominator")
        span = tok_span(a[0]).cover(tok_span(a[1]))
        if den == 0:
            self.bag.error("E042", "a fraction cannot have a zero denominator", span)
            den = 1
        return ast.Fraction(num, den, f"{a[0]}/{a[1]}", span)

    def b_fraction_percent(self, a: list[Any], m: Any) -> ast.Fraction:
        f = Fraction(self.decimal(a[0])) / 100
        return ast.Fraction(f.numerator, f.denominator, str(a[0]), tok_span(a[0]))

    # -- escalation

    def b_escalation_decl(self, a: list[Any], m: Any) -> ast.EscalationDecl:
        name = self.ident(a[0])
        return ast.EscalationDecl(name, self._labels_after(a[1], name), tuple(a[2:]), self._span_of(a, m))

    def b_step_decl(self, a: list[Any], m: Any) -> ast.StepDecl:
        name = self.ident(a[0])
        term = a[2]
        attrs = a[3] if len(a) > 3 else ()
        within = term if isinstance(term, ast.DurationLit) else None
        return ast.StepDecl(
            name, self._labels_after(a[1], name), within, within is None, attrs, self._span_of(a, m)
        )

    def b_step_within(self, a: list[Any], m: Any) -> ast.DurationLit:
        return cast(ast.DurationLit, a[0])

    def b_step_final(self, a: list[Any], m: Any) -> None:
        return None

    # -- waterfalls

    def b_waterfall_decl(self, a: list[Any], m: Any) -> ast.WaterfallDecl:
        name = self.ident(a[0])
        return ast.WaterfallDecl(name, self._labels_after(a[1], name), a[2], tuple(a[3:]), self._span_of(a, m))

    def b_tier_decl(self, a: list[Any], m: Any) -> ast.TierDecl:
        span = self._span_of(a, m)
        name = None
        if a and isinstance(a[0], Token) and a[0].type == "NAME":
            name = self.ident(a.pop(0))
        labels = a.pop(0)
        if name is not None:
            labels = self._labels_after(labels, name)
        elif labels.primary is None:  # `tier {`: an empty label right after the keyword
            e = span.start + len("tier")
            col = span.col + len("tier")
            labels = ast.Labels(None, (), Span(e, e, span.line, col, span.line, col))
        pays: list[ast.CapPay] = []
        splits: list[ast.SplitShare] = []
        mode = None
        cap = None
        split_lines = 0
        for item in a:
            if isinstance(item, ast.CapPay):
                pays.append(item)
            elif isinstance(item, list):
                split_lines += 1
                if split_lines == 2:
                    self.bag.error(
                        "E062",
                        "a tier has one `split` line",
                        item[0].span if item else span,
                        help="list every share on one line: `split a 60%, b 40%`",
                    )
                splits.extend(item)
            elif item in ("pro_rata", "in_order"):
                if mode is not None:
                    self.bag.error("E062", "a tier states `pro rata` or `in order` once", span)
                mode = item
            elif isinstance(item, tuple) and item and item[0] == "cap":
                if cap is not None:
                    self.bag.error("E062", "a tier has one `up to` cap", item[1].span)
                cap = item[1]
        return ast.TierDecl(name, labels, tuple(pays), mode, tuple(splits), cap, span)

    def b_cap_pay(self, a: list[Any], m: Any) -> ast.CapPay:
        return ast.CapPay(self.ident(a[0]), a[1], self._span_of(a, m))

    def b_mode_pro_rata(self, a: list[Any], m: Any) -> str:
        return "pro_rata"

    def b_mode_in_order(self, a: list[Any], m: Any) -> str:
        return "in_order"

    def b_split_line(self, a: list[Any], m: Any) -> list[ast.SplitShare]:
        return list(a)

    def b_split_share(self, a: list[Any], m: Any) -> ast.SplitShare:
        return ast.SplitShare(self.ident(a[0]), self.b_percent([a[1]], None), self._span_of(a, m))

    def b_tier_cap(self, a: list[Any], m: Any) -> tuple[str, Any]:
        return ("cap", a[0])

    # -- clauses

    def b_clause_decl(self, a: list[Any], m: Any) -> ast.ClauseDecl:
        name = self.ident(a[0])
        number = self.text(a[1])
        labels: ast.Labels = a[2]
        if labels.primary is None:
            e = number.span
            labels = ast.Labels(None, (), Span(e.end, e.end, e.end_line, e.end_col, e.end_line, e.end_col))
        return ast.ClauseDecl(name, number, labels, tuple(a[3:]), self._span_of(a, m))

    def b_clause_text(self, a: list[Any], m: Any) -> ast.ClauseText:
        return ast.ClauseText(self.text(a[0]), tuple(a[1:]), self._span_of(a, m))

    def b_clause_governs(self, a: list[Any], m: Any) -> ast.ClauseGoverns:
        return ast.ClauseGoverns(tuple(self.ident(t) for t in a), self._span_of(a, m))

    def b_clause_binding(self, a: list[Any], m: Any) -> ast.ClauseBinding:
        return ast.ClauseBinding(True, self._span_of(a, m))

    def b_clause_non_binding(self, a: list[Any], m: Any) -> ast.ClauseBinding:
        return ast.ClauseBinding(False, self._span_of(a, m))


def _is_language_key(key: str) -> bool:
    """A key that can only be a language tag (``en``, ``fr``, ``de``…): two letters."""
    return len(key) == 2 and key.isalpha()
