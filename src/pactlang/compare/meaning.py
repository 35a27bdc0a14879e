"""What changed in meaning between two versions of a contract, construct by construct.

Two versions are compared on what every engine runs — the lowered program
(:mod:`pactlang.ir.nodes`: typed expressions, threshold plans, committee,
ladder and waterfall models) — and on the checked declarations for what the
program does not carry (labels of parties, KPI attributes, clause words).
Two things are *the same* when they are structurally equal ignoring where
they are written (:func:`same`): moving a declaration, re-indenting it or
adding a comment changes nothing.

A change is shown in contract notation, cut down to the smallest part that
differs: ``conversion_floor rule 1: 8% → 5%`` rather than the whole rule,
when the two conditions differ in that one operand (:func:`delta`).  The
text of a part is the source text of its span, spaces collapsed.

Rules of a threshold, tiers of a waterfall, steps of a ladder and members of
a committee are matched before they are compared: rules by sequence
alignment (:class:`difflib.SequenceMatcher` over their meanings, so an
inserted rule shows as one new rule, not as every later rule changed), tiers
by name (by position when unnamed), steps, members and decisions by name.
Voting power is recomputed with :mod:`pactlang.kernel.committees` for every
decision of a committee that changed, and a member's Banzhaf and
Shapley–Shubik power is listed when it moved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pactlang.base.values import Duration, exact_str
from pactlang.compare import meaning_extra as more
from pactlang.compare.changes import Change, Changes, Side, delta, key, same
from pactlang.compare.words import texts_by_lang, word_changes
from pactlang.ir import nodes
from pactlang.kernel import committees as C
from pactlang.kernel.escalation import Ladder
from pactlang.kernel.power import power as committee_power
from pactlang.kernel.thresholds import ActionPlan, RulePlan
from pactlang.kernel.waterfalls import Tier, WaterfallPlan
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

__all__ = ["Change", "SECTIONS", "delta", "meaning_changes", "same"]

#: The order sections are listed in (the order of a contract's declarations).
SECTIONS = (
    "header",
    "parties",
    "measures",
    "lets",
    "kpis",
    "thresholds",
    "committees",
    "escalations",
    "waterfalls",
    "contributions",
    "clauses",
)


# ------------------------------------------------------------- compare


def _dur(d: Duration | None) -> str:
    return "" if d is None else str(d)


def _q(text: str | None) -> str:
    return "none" if text is None else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Differ(Changes):
    """Every construct of the two versions compared."""

    # -- header
    def header(self) -> None:
        o, n = self.old.cc, self.new.cc
        pairs: list[tuple[str, str | None, str | None]] = [
            ("title", _q(o.title), _q(n.title)),
            ("id", _q(o.id), _q(n.id)),
            ("version", _q(o.version), _q(n.version)),
            ("effective", _term(o), _term(n)),
            ("currency", o.currency, n.currency),
            ("language", o.language, n.language),
            ("calendar", o.calendar or "none", n.calendar or "none"),
            ("amends", _amends(o), _amends(n)),
            ("signed", self.old.text(o.signed.span) if o.signed else "none",
             self.new.text(n.signed.span) if n.signed else "none"),
        ]
        for subject, a, b in pairs:
            if a != b:
                self.add("header", subject, a, b)

    # -- parties
    def parties(self) -> None:
        def show(side: Side, name: str, d: ast.PartyDecl) -> str:
            return side.text(d.span)

        def compare(name: str, a: ast.PartyDecl, b: ast.PartyDecl) -> None:
            if not same(a.labels, b.labels):
                self.add("parties", f"party {name}", self.old.text(a.labels.span), self.new.text(b.labels.span))
            ia = {i.key: i for i in a.items}
            ib = {i.key: i for i in b.items}
            for k in dict.fromkeys([*ia, *ib]):
                x, y = ia.get(k), ib.get(k)
                if x is not None and y is not None and same(x, y):
                    continue
                self.add(
                    "parties",
                    f"party {name} {k}",
                    self.old.text(x.span) if x else None,
                    self.new.text(y.span) if y else None,
                )

        self.by_name("parties", self.old.cc.parties, self.new.cc.parties, show, compare, "party")

    # -- measures
    def measures(self) -> None:
        def show(side: Side, name: str, d: ast.MeasureDecl) -> str:
            return f"{name}: {d.type.name}"

        def compare(name: str, a: ast.MeasureDecl, b: ast.MeasureDecl) -> None:
            if a.type.name != b.type.name:
                self.add("measures", f"measure {name} type", a.type.name, b.type.name)
            more.measure(self, name, a, b)

        self.by_name("measures", self.old.cc.measures, self.new.cc.measures, show, compare, "measure")

    # -- lets and KPIs
    def definitions(self, section: str, kind: str) -> None:
        olds = {k: d for k, d in self.old.ir.definitions.items() if d.kind == kind}
        news = {k: d for k, d in self.new.ir.definitions.items() if d.kind == kind}

        def show(side: Side, name: str, d: nodes.Definition) -> str:
            return f"{name} = {_definition_text(side, d)}"

        def compare(name: str, a: nodes.Definition, b: nodes.Definition) -> None:
            if a.type != b.type:
                self.add(section, f"{name} type", a.type.name, b.type.name)
            if a.expr is not None and b.expr is not None:
                self.expr(section, name, a.expr, b.expr)
            elif a.schedule is not None and b.schedule is not None:
                sa = {e.start: e for e in a.schedule}
                sb = {e.start: e for e in b.schedule}
                for start in sorted({*sa, *sb}):
                    x, y = sa.get(start), sb.get(start)
                    subject = f"{name} from {start}"
                    if x is None and y is not None:
                        self.add(section, subject, None, self.new.text(y.value.span))
                    elif y is None and x is not None:
                        self.add(section, subject, self.old.text(x.value.span), None)
                    elif x is not None and y is not None:
                        self.expr(section, subject, x.value, y.value)
            else:
                self.add(section, name, _definition_text(self.old, a), _definition_text(self.new, b))
            if kind == "kpi":
                self.kpi_attrs(name)

        self.by_name(section, olds, news, show, compare, "let" if kind == "let" else "kpi")

    def kpi_attrs(self, name: str) -> None:
        a = self.old.cc.kpis.get(name)
        b = self.new.cc.kpis.get(name)
        if a is None or b is None:
            return
        ia = {x.key.name: x for x in a.attrs}
        ib = {x.key.name: x for x in b.attrs}
        for k in dict.fromkeys([*ia, *ib]):
            x, y = ia.get(k), ib.get(k)
            if x is not None and y is not None and same(x.value, y.value):
                continue
            self.add(
                "kpis",
                f"{name} {k}",
                self.old.text(x.value.span) if x else None,
                self.new.text(y.value.span) if y else None,
            )

    # -- thresholds
    def thresholds(self) -> None:
        def show(side: Side, name: str, th: nodes.Threshold) -> str:
            return side.text(th.span)

        self.by_name("thresholds", self.old.ir.thresholds, self.new.ir.thresholds, show, self.threshold, "threshold")

    def threshold(self, name: str, a: nodes.Threshold, b: nodes.Threshold) -> None:
        if a.plan.cadence != b.plan.cadence:
            self.add("thresholds", f"{name} checked", a.plan.cadence, b.plan.cadence)
        ka = [_rule_key(a, r) for r in range(len(a.rules))]
        kb = [_rule_key(b, r) for r in range(len(b.rules))]
        matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                self.rule(name, a, i1 + k, b, j1 + k)
            for i in range(i1 + pairs, i2):
                self.add("thresholds", f"{name} rule {i + 1}", self.old.text(a.rules[i].span), None)
            for j in range(j1 + pairs, j2):
                self.add("thresholds", f"{name} rule {j + 1}", None, self.new.text(b.rules[j].span))
        if a.plan.otherwise_status != b.plan.otherwise_status or a.has_otherwise != b.has_otherwise:
            self.add(
                "thresholds",
                f"{name} otherwise",
                a.plan.otherwise_status if a.has_otherwise else "none (ok)",
                b.plan.otherwise_status if b.has_otherwise else "none (ok)",
            )
        self.actions(f"{name} otherwise", a, a.plan.otherwise_actions, b, b.plan.otherwise_actions)

    def rule(self, name: str, a: nodes.Threshold, i: int, b: nodes.Threshold, j: int) -> None:
        subject = f"{name} rule {j + 1}" + (f" (was rule {i + 1})" if i != j else "")
        ra, rb = a.rules[i], b.rules[j]
        pa, pb = a.plan.rules[i], b.plan.rules[j]
        self.expr("thresholds", subject, ra.cond, rb.cond)
        if pa.persistence != pb.persistence or _dur(ra.written) != _dur(rb.written):
            self.add(
                "thresholds",
                subject,
                f"for {_dur(ra.written)}" if ra.written else "no persistence",
                f"for {_dur(rb.written)}" if rb.written else "no persistence",
            )
        if pa.status != pb.status:
            self.add("thresholds", f"{subject} status", pa.status, pb.status)
        self.actions(subject, a, pa.actions, b, pb.actions)

    def actions(
        self,
        subject: str,
        a: nodes.Threshold,
        xs: tuple[ActionPlan, ...],
        b: nodes.Threshold,
        ys: tuple[ActionPlan, ...],
    ) -> None:
        ka = [key((_action_id(x), a.amounts[x.slot] if x.kind == "pay" else None)) for x in xs]
        kb = [key((_action_id(y), b.amounts[y.slot] if y.kind == "pay" else None)) for y in ys]
        matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            olds, news = list(xs[i1:i2]), list(ys[j1:j2])
            while olds and news and _action_id(olds[0])[:1] == _action_id(news[0])[:1]:
                x, y = olds.pop(0), news.pop(0)
                if x.kind == "pay" and _action_id(x) == _action_id(y):
                    self.expr(
                        "thresholds", f"{subject} pay {y.payer} → {y.payee}", a.amounts[x.slot], b.amounts[y.slot]
                    )
                else:
                    self.add("thresholds", f"{subject} action", _action_text(self.old, a, x), _action_text(self.new, b, y))
            for x in olds:
                self.add("thresholds", f"{subject} action", _action_text(self.old, a, x), None)
            for y in news:
                self.add("thresholds", f"{subject} action", None, _action_text(self.new, b, y))

    # -- committees
    def committees(self) -> None:
        def show(side: Side, name: str, c: C.Committee) -> str:
            members = ", ".join(f"{m.name} {exact_str(m.weight)}" for m in c.members)
            return f"members {members}; " + "; ".join(f"{d.name} requires {_rule_text(d)}" for d in c.decisions)

        self.by_name("committees", self.old.ir.committees, self.new.ir.committees, show, self.committee, "committee")

    def committee(self, name: str, a: C.Committee, b: C.Committee) -> None:
        if same(a, b):
            return
        more.committee(self, name, a, b)
        ma = {m.name: m for m in a.members}
        mb = {m.name: m for m in b.members}
        for m in dict.fromkeys([*ma, *mb]):
            x, y = ma.get(m), mb.get(m)
            if x is not None and y is not None:
                if x.weight != y.weight:
                    self.add("committees", f"{name} member {m} weight", exact_str(x.weight), exact_str(y.weight))
            else:
                self.add(
                    "committees",
                    f"{name} member {m}",
                    f"weight {exact_str(x.weight)}" if x else None,
                    f"weight {exact_str(y.weight)}" if y else None,
                )
        qa = a.quorum.text if a.quorum else "none"
        qb = b.quorum.text if b.quorum else "none"
        if qa != qb:
            self.add("committees", f"{name} quorum", qa, qb)
        if a.consensus_rounds != b.consensus_rounds:
            self.add("committees", f"{name} consensus", _rounds(a.consensus_rounds), _rounds(b.consensus_rounds))
        if a.meets != b.meets:
            self.add("committees", f"{name} meets", a.meets or "none", b.meets or "none")
        da = {d.name: d for d in a.decisions}
        db = {d.name: d for d in b.decisions}
        for d in dict.fromkeys([*da, *db]):
            dx, dy = da.get(d), db.get(d)
            subject = f"{name}.{d}"
            if dx is None or dy is None:
                self.add(
                    "committees",
                    subject,
                    f"requires {_rule_text(dx)}" if dx else None,
                    f"requires {_rule_text(dy)}" if dy else None,
                )
                continue
            if _rule_text(dx) != _rule_text(dy):
                self.add("committees", f"{subject} requires", _rule_text(dx), _rule_text(dy))
            self.power(subject, a, b, d)

    def power(self, subject: str, a: C.Committee, b: C.Committee, decision: str) -> None:
        pa = {m.name: m for m in committee_power(a, decision).members}
        pb = {m.name: m for m in committee_power(b, decision).members}
        for m in dict.fromkeys([*pa, *pb]):
            x, y = pa.get(m), pb.get(m)
            bx = _frac(x.banzhaf) if x else "—"
            by = _frac(y.banzhaf) if y else "—"
            sx = _frac(x.shapley) if x else "—"
            sy = _frac(y.shapley) if y else "—"
            if bx != by or sx != sy:
                self.add("committees", f"{subject} {m}", f"Banzhaf {bx}, Shapley {sx}", f"Banzhaf {by}, Shapley {sy}")
            vx = bool(x and x.effective_veto)
            vy = bool(y and y.effective_veto)
            if vx != vy:
                self.add(
                    "committees", f"{subject} {m} effective veto", "yes" if vx else "no", "yes" if vy else "no"
                )

    # -- escalation ladders
    def ladders(self) -> None:
        def show(side: Side, name: str, ladder: Ladder) -> str:
            return " → ".join(_step_text(s) for s in ladder.steps)

        def compare(name: str, a: Ladder, b: Ladder) -> None:
            if same(a.steps, b.steps):
                return
            sa = {s.name: s for s in a.steps}
            sb = {s.name: s for s in b.steps}
            for s in dict.fromkeys([*sa, *sb]):
                x, y = sa.get(s), sb.get(s)
                if x is None or y is None:
                    self.add("escalations", f"{name} step {s}", _step_text(x) if x else None, _step_text(y) if y else None)
                    continue
                if (x.within, x.final) != (y.within, y.final):
                    self.add("escalations", f"{name} step {s}", _within(x), _within(y))
                ax, ay = dict(x.attributes), dict(y.attributes)
                for k in dict.fromkeys([*ax, *ay]):
                    if key(ax.get(k)) != key(ay.get(k)):
                        self.add(
                            "escalations",
                            f"{name} step {s} {k}",
                            _attr(ax[k]) if k in ax else None,
                            _attr(ay[k]) if k in ay else None,
                        )
            order_a = [s.name for s in a.steps if s.name in sb]
            order_b = [s.name for s in b.steps if s.name in sa]
            if order_a != order_b:
                self.add("escalations", f"{name} order", " → ".join(order_a), " → ".join(order_b))

        self.by_name("escalations", self.old.ir.ladders, self.new.ir.ladders, show, compare, "escalation")

    # -- waterfalls
    def waterfalls(self) -> None:
        def show(side: Side, name: str, w: nodes.Waterfall) -> str:
            return side.text(w.span)

        self.by_name("waterfalls", self.old.ir.waterfalls, self.new.ir.waterfalls, show, self.waterfall, "waterfall")

    def waterfall(self, name: str, a: nodes.Waterfall, b: nodes.Waterfall) -> None:
        self.expr("waterfalls", f"{name} distributes", a.distributes, b.distributes)
        ta = _tiers(a.plan)
        tb = _tiers(b.plan)
        for t in dict.fromkeys([*ta, *tb]):
            x, y = ta.get(t), tb.get(t)
            subject = f"{name} {t}"
            if x is None or y is None:
                self.add(
                    "waterfalls",
                    subject,
                    _tier_text(self.old, x) if x else None,
                    _tier_text(self.new, y) if y else None,
                )
                continue
            if x.index != y.index and x.name:
                self.add("waterfalls", f"{subject} position", str(x.index + 1), str(y.index + 1))
            if x.kind != y.kind:
                self.add("waterfalls", subject, _tier_text(self.old, x), _tier_text(self.new, y))
                continue
            if x.kind == "capped":
                if x.mode != y.mode:
                    self.add("waterfalls", f"{subject} mode", _mode(x.mode), _mode(y.mode))
                px = {p.party: p for p in x.pays}
                py = {p.party: p for p in y.pays}
                for party in dict.fromkeys([*px, *py]):
                    u, v = px.get(party), py.get(party)
                    if u is None or v is None:
                        self.add(
                            "waterfalls",
                            f"{subject} pay {party}",
                            f"up to {self.old.text(u.cap.span)}" if u else None,
                            f"up to {self.new.text(v.cap.span)}" if v else None,
                        )
                    else:
                        self.expr("waterfalls", f"{subject} pay {party} up to", u.cap, v.cap)
                order_x = [p.party for p in x.pays if p.party in py]
                order_y = [p.party for p in y.pays if p.party in px]
                if order_x != order_y and (x.mode == "in_order" or y.mode == "in_order"):
                    self.add("waterfalls", f"{subject} order", ", ".join(order_x), ", ".join(order_y))
            else:
                sx = ", ".join(f"{s.party} {s.text}%" for s in x.splits)
                sy = ", ".join(f"{s.party} {s.text}%" for s in y.splits)
                if [(s.party, s.share) for s in x.splits] != [(s.party, s.share) for s in y.splits]:
                    self.add("waterfalls", f"{subject} split", sx, sy)
                if x.cap is None or y.cap is None:
                    if (x.cap is None) != (y.cap is None):
                        self.add(
                            "waterfalls",
                            f"{subject} up to",
                            self.old.text(x.cap.span) if x.cap is not None else "no cap",
                            self.new.text(y.cap.span) if y.cap is not None else "no cap",
                        )
                else:
                    self.expr("waterfalls", f"{subject} up to", x.cap, y.cap)

    # -- clauses
    def clauses(self) -> None:
        def show(side: Side, name: str, c: ast.ClauseDecl) -> str:
            return f"{c.number.value} " + (_q(c.labels.primary.value) if c.labels.primary else name)

        def compare(name: str, a: ast.ClauseDecl, b: ast.ClauseDecl) -> None:
            if same(a, b):
                return
            subject = f"clause {b.number.value}"
            if a.number.value != b.number.value:
                self.add("clauses", f"clause {name} number", a.number.value, b.number.value)
            if not same(a.labels, b.labels):
                self.add("clauses", f"{subject} label", self.old.text(a.labels.span), self.new.text(b.labels.span))
            if a.binding != b.binding:
                self.add("clauses", subject, _binding(a.binding), _binding(b.binding))
            ga = [g.name for i in a.items if isinstance(i, ast.ClauseGoverns) for g in i.names]
            gb = [g.name for i in b.items if isinstance(i, ast.ClauseGoverns) for g in i.names]
            if ga != gb:
                self.add("clauses", f"{subject} governs", ", ".join(ga) or "nothing", ", ".join(gb) or "nothing")
            xa, xb = a.texts, b.texts
            for k in range(max(len(xa), len(xb))):
                u = xa[k] if k < len(xa) else None
                v = xb[k] if k < len(xb) else None
                where = f"{subject} text {k + 1}" if max(len(xa), len(xb)) > 1 else f"{subject} text"
                if u is None or v is None:
                    self.add("clauses", where, _q(u.text.value) if u else None, _q(v.text.value) if v else None)
                    continue
                for lang, (p, q) in texts_by_lang(u, v, self.old.cc.language, self.new.cc.language).items():
                    if p == q:
                        continue
                    label = where if lang == self.new.cc.language else f"{where} ({lang})"
                    if p is None or q is None:
                        self.add("clauses", label, _q(p) if p else None, _q(q) if q else None)
                        continue
                    for old_words, new_words in word_changes(p, q):
                        self.add("clauses", label, _q(old_words), _q(new_words))

        self.by_name("clauses", self.old.cc.clauses, self.new.cc.clauses, show, compare, "clause")


def meaning_changes(
    old_cc: CheckedContract, old_ir: nodes.Program, new_cc: CheckedContract, new_ir: nodes.Program
) -> list[Change]:
    """Every difference in meaning from ``old`` to ``new``, section by section
    (:data:`SECTIONS`), each section in declaration order."""
    d = _Differ(Side(old_cc, old_ir), Side(new_cc, new_ir))
    d.header()
    d.parties()
    d.measures()
    d.definitions("lets", "let")
    d.definitions("kpis", "kpi")
    d.thresholds()
    d.committees()
    d.ladders()
    d.waterfalls()
    more.contributions(d)
    d.clauses()
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(d.out, key=lambda c: order[c.section])  # stable: declaration order kept


# ------------------------------------------------------------------- pieces


def _term(cc: CheckedContract) -> str:
    if cc.effective is None:
        return "none"
    return cc.effective.isoformat() + (f" until {cc.until.isoformat()}" if cc.until else "")


def _amends(cc: CheckedContract) -> str:
    a = cc.amends
    return "none" if a is None else f"{_q(a.target.value)} from {a.start.value}"


def _definition_text(side: Side, d: nodes.Definition) -> str:
    if d.expr is not None:
        return side.text(d.expr.span)
    assert d.schedule is not None
    return ", ".join(f"{side.text(e.value.span)} from {e.start}" for e in d.schedule)


def _rule_key(th: nodes.Threshold, r: int) -> object:
    plan: RulePlan = th.plan.rules[r]
    src = th.rules[r]
    return key(
        (
            src.cond,
            plan.persistence,
            _dur(src.written),
            plan.status,
            tuple((_action_id(a), th.amounts[a.slot] if a.kind == "pay" else None) for a in plan.actions),
        )
    )


def _action_id(a: ActionPlan) -> tuple[object, ...]:
    """What an action is, without its amount (kind first)."""
    return (a.kind, a.once, a.payer, a.payee, a.label, a.ladder, a.parties, a.text, a.party, a.within)


def _action_text(side: Side, th: nodes.Threshold, a: ActionPlan) -> str:
    once = "once " if a.once else ""
    if a.kind == "pay":
        label = f" {_q(a.label)}" if a.label else ""
        return f"{once}pay {side.text(th.amounts[a.slot].span)} from {a.payer} to {a.payee}{label}"
    if a.kind == "escalate":
        return f"{once}escalate {a.ladder}"
    if a.kind == "notify":
        return f"{once}notify {', '.join(a.parties)}"
    return more.action_text(a) or f"{once}action {_q(a.text)}"


def _rule_text(d: C.Decision | None) -> str:
    if d is None:
        return "none"
    veto = f" veto {', '.join(d.vetoes)}" if d.vetoes else ""
    return f"{d.rule.text}{veto}"


def _rounds(n: int) -> str:
    return "none" if n == 0 else f"{n} round" + ("" if n == 1 else "s")


def _frac(f: Fraction) -> str:
    return str(f)  # exact: 1/2, 1/3, 0, 1


def _within(s: Any) -> str:
    return "final" if s.final else f"within {s.within}"


def _step_text(s: Any) -> str:
    return f"{s.name} {_within(s)}"


def _attr(v: object) -> str:
    if isinstance(v, str):
        return _q(v)
    if isinstance(v, Decimal | int):
        return str(v)
    return str(getattr(v, "value", v))


def _tiers(plan: WaterfallPlan) -> dict[str, Tier]:
    """Tiers by what identifies them: the name, else the position."""
    return {(f"tier {t.name}" if t.name else f"tier {t.index + 1}"): t for t in plan.tiers}


def _tier_text(side: Side, t: Tier) -> str:
    if t.kind == "capped":
        pays = ", ".join(f"pay {p.party} up to {side.text(p.cap.span)}" for p in t.pays)
        return pays + (" in order" if t.mode == "in_order" else "")
    splits = "split " + ", ".join(f"{s.party} {s.text}%" for s in t.splits)
    return splits + (f" up to {side.text(t.cap.span)}" if t.cap is not None else "")


def _mode(m: str | None) -> str:
    return "in order" if m == "in_order" else "pro rata"


def _binding(b: bool) -> str:
    return "binding" if b else "non-binding"


def changed_names(changes: Iterable[Change]) -> Sequence[str]:
    """The construct names the changes are about (first word of each subject)."""
    return list(dict.fromkeys(c.subject.split()[0].split(".")[0] for c in changes))
