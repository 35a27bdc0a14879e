"""The report builder's ground (words, labels, numbers in the report's language)
and its grids and charts: the status grid, the values grid, one line chart per
series with its targets and the thresholds' comparison values."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from pactlang.base.money import minor_digits
from pactlang.base.types import Type
from pactlang.base.values import CONTEXT, Period
from pactlang.engine.evaluate import Evaluation, EvaluationError
from pactlang.render.i18n import Catalog, exact_decimal
from pactlang.render.words import formula
from pactlang.report import svg
from pactlang.syntax import ast
from pactlang.syntax.walk import walk

if TYPE_CHECKING:
    from pactlang.io.journal import Journal
    from pactlang.sema.model import CheckedContract

from pactlang.report.html_view import (
    _CHARTED,
    _FLIP,
    _OPS,
    _RESULT_FUNCS,
    STATUS_COLOR,
    TARGET_COLOR,
    Block,
    Cell,
    Chart,
    LegendEntry,
    MonthHead,
    Row,
    _compares,
    _css,
    _data_dependent,
    _display,
    _key,
    _round,
    anchor_id,
)

__all__ = ["ChartBuilder"]


# ================================================================= builder


class ChartBuilder:
    def __init__(
        self,
        cc: CheckedContract,
        cat: Catalog,
        by: str | None,
        advance: Callable[[], None] | None = None,
        journal: Journal | None = None,
    ) -> None:
        self.advance = advance or (lambda: None)
        self.journal = journal
        self.cc = cc
        self.cat = cat
        self.lang = cat.lang
        self.by = by
        self.currency = cc.currency
        self.digits = minor_digits(cc.currency)
        self.data_dependent = _data_dependent(cc)
        self.series = self._series()

    # ------------------------------------------------------------- words

    def t(self, key: str, n: int | None = None, /, **kw: object) -> str:
        return self.cat.t(key, n, **kw)

    def label(self, labels: ast.Labels | None, name: str) -> str:
        text = labels.get(self.lang) if labels is not None else None
        return text or name

    def party(self, name: str) -> str:
        decl = self.cc.parties.get(name)
        return self.label(decl.labels if decl else None, name)

    def event_text(self, threshold: str, rule: int, text: str | None) -> str | None:
        """An action's text or a payment's label, in the report's language."""
        from pactlang.render.layout_extra import translated_event_text

        return translated_event_text(self.cc, threshold, rule, text, self.lang)

    def threshold_label(self, name: str) -> str:
        decl = self.cc.thresholds.get(name)
        return self.label(decl.labels if decl else None, name)

    def status_word(self, status: str | None) -> str:
        if status is None:
            return self.t("report.status.none")
        return self.t(f"status.{status}")

    def month_full(self, p: Period) -> str:
        return self.cat.month(p)

    def month_short(self, p: Period) -> str:
        return format_skeleton("MMM", datetime.date(p.year, p.month, 1), locale=self.cat.locale)

    def value(self, v: object, typ: Type | None) -> str:
        """A value for display: exact when it has at most four decimals (of a
        percentage, for percents), else rounded half-even to two (``7.1333…`` → ``7.13``,
        ``11.111…%`` → ``11.11%``, but ``0.235`` stays ``0.235``)."""
        if v is None:
            return self.t("report.missing")
        if isinstance(v, bool):
            return self.t("bool.true" if v else "bool.false")
        if isinstance(v, Decimal):
            if typ is Type.MONEY:
                return self.money(v)
            if typ is Type.PERCENT:
                return self.cat.percent(_display(v, 6, 4))
            return self.cat.number(_display(v, 4, 2))
        return str(v)

    def money(self, v: Decimal) -> str:
        return self.cat.money(_round(v, self.digits), self.currency)

    def amount(self, v: Decimal, cents: bool = True) -> str:
        """An amount without the currency sign (tables that state the currency once),
        grouped by Babel for the report language; with the currency's decimals, or
        none (``cents=False``, for rows of whole amounts)."""
        digits = self.digits if cents else 0
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(_round(v, digits), format=pattern, locale=self.cat.locale)

    def tick(self, typ: Type | None) -> Callable[[Fraction], str]:
        def fmt(x: Fraction) -> str:
            d = exact_decimal(x)
            assert d is not None  # ticks are multiples of 1, 2, 2.5 or 5 × 10^k
            if typ is Type.PERCENT:
                return self.cat.percent(d)
            return self.cat.number(d)

        return fmt

    # ------------------------------------------------------------ grids

    def years(self, ev: Evaluation) -> list[tuple[int, list[int]]]:
        """Month indices grouped by calendar year."""
        out: list[tuple[int, list[int]]] = []
        for i, p in enumerate(ev.months):
            if not out or out[-1][0] != p.year:
                out.append((p.year, []))
            out[-1][1].append(i)
        return out

    def heads(self, ev: Evaluation, idx: list[int]) -> tuple[MonthHead, ...]:
        return tuple(
            MonthHead(self.month_short(ev.months[i]), self.month_full(ev.months[i])) for i in idx
        )

    def status_grid(self, ev: Evaluation) -> tuple[Block, ...]:
        rows_by_name: dict[str, list[Cell]] = {}
        for name, run in ev.thresholds.items():
            label = self.threshold_label(name)
            cells: list[Cell] = []
            last_check: Period | None = None
            for i, p in enumerate(ev.months):
                status = run.status[i]
                word = self.status_word(status)
                text = self.t("report.cell", threshold=label, month=self.month_full(p), status=word)
                if run.is_check[i]:
                    last_check = p
                    rule = run.decided_by[i]
                    if rule == 0:
                        text = self.t("report.cell.otherwise", text=text)
                    elif rule is not None:
                        text = self.t("report.cell.rule", text=text, n=str(rule))
                    cells.append(Cell(word, f"st-{_css(status)}", text))
                elif status is None:
                    cells.append(Cell("—", "st-none", text))
                else:
                    assert last_check is not None
                    text = self.t(
                        "report.cell.carried", text=text, month=self.month_full(last_check)
                    )
                    cells.append(Cell("·", f"st-{_css(status)} carried", text))
            rows_by_name[name] = cells
        blocks = []
        for year, idx in self.years(ev):
            rows = tuple(
                Row(
                    self.threshold_label(name),
                    name,
                    self.t(f"report.cadence.{ev.thresholds[name].cadence}"),
                    tuple(cells[i] for i in idx),
                )
                for name, cells in rows_by_name.items()
            )
            blocks.append(Block(str(year), self.heads(ev, idx), rows))
        return tuple(blocks)

    def values_grid(self, ev: Evaluation) -> tuple[Block, ...]:
        blocks = []
        for year, idx in self.years(ev):
            rows = []
            for name, decl in self.cc.kpis.items():
                typ = self.cc.value_types.get(name)
                series = ev.env.series.get(name, [None] * len(ev.months))
                whole = all(
                    not isinstance(v, Decimal) or v == v.to_integral_value() for v in series
                )
                cells = tuple(self.value_cell(series[i], typ, not whole) for i in idx)
                note = self.currency if typ is Type.MONEY else ""
                rows.append(Row(self.label(decl.labels, name), name, note, cells))
            blocks.append(Block(str(year), self.heads(ev, idx), tuple(rows)))
        return tuple(blocks)

    def value_cell(self, v: object, typ: Type | None, cents: bool = True) -> Cell:
        if v is None:
            return Cell(self.t("report.missing"), "num missing")
        if typ is Type.MONEY and isinstance(v, Decimal):
            return Cell(self.amount(v, cents), "num")
        return Cell(self.value(v, typ), "num")

    # ------------------------------------------------------------ charts

    def axis(self, months: list[Period]) -> svg.MonthAxis:
        n = len(months)
        every = max(1, -(-n // 12))  # at most about twelve month labels
        labels, years = [], []
        for i, p in enumerate(months):
            labels.append(self.month_short(p) if i % every == 0 else "")
            years.append(str(p.year) if i == 0 or p.month == 1 else "")
        return svg.MonthAxis(tuple(labels), tuple(years), tuple(self.month_full(p) for p in months))

    def reference(self, ev: Evaluation, expr: ast.Expr) -> tuple[Fraction | None, ...] | None:
        """A comparison value per month: a constant (any time-independent
        expression) or an expression over agreed values (lets, schedules); None
        for anything that depends on the data."""
        n = len(ev.months)
        try:
            v = ev.expression(expr, None)
        except EvaluationError:
            pass
        else:
            return (Fraction(v),) * n if isinstance(v, Decimal) else None
        for node in walk(expr):
            if isinstance(node, ast.Name):
                if node.head.name not in self.cc.lets or len(node.parts) != 1:
                    return None
            elif isinstance(node, (ast.Call, ast.ToDate, ast.YearToDate)):
                return None
        out: list[Fraction | None] = []
        for p in ev.months:
            v = ev.expression(expr, p)
            out.append(Fraction(v) if isinstance(v, Decimal) else None)
        return tuple(out) if any(x is not None for x in out) else None

    def _series(self) -> dict[str, ast.Expr | None]:
        """What the report charts, by key: every numeric KPI (``None``: its own
        series), then every other series a threshold rule compares — a measure,
        a let or any expression whose value depends on the data — in the order
        the thresholds test them."""
        out: dict[str, ast.Expr | None] = {}
        for name in self.cc.kpis:
            if self.cc.value_types.get(name) in _CHARTED:
                out[name] = None
        for decl in self.cc.thresholds.values():
            for rule in decl.rules:
                for cmp in _compares(rule.cond):
                    for side in (cmp.left, cmp.right):
                        if not self.is_series(side):
                            continue
                        key = _key(side)
                        if key in out or self._type(key, side) not in _CHARTED:
                            continue
                        out[key] = side
        return out

    def is_series(self, e: ast.Expr) -> bool:
        """Whether ``e`` changes with the data (so it is charted, not drawn as a line)."""
        for node in walk(e):
            if isinstance(node, ast.Name) and node.head.name in self.data_dependent:
                return True
            if isinstance(node, ast.Call) and node.func.name in _RESULT_FUNCS:
                return True
        return False

    def _type(self, key: str, expr: ast.Expr | None) -> Type | None:
        if key in self.cc.value_types:
            return self.cc.value_types[key]
        return self.cc.type_of(expr) if expr is not None else None

    def comparisons(self, key: str) -> list[tuple[str, int, ast.Rule, str, ast.Expr]]:
        """``(threshold, rule number, rule, op, other side)`` for each comparison of
        the series ``key`` in a rule condition (through ``and``/``or``/``not``),
        the series on the left."""
        found: list[tuple[str, int, ast.Rule, str, ast.Expr]] = []
        for tname, decl in self.cc.thresholds.items():
            for r, rule in enumerate(decl.rules, start=1):
                for node in _compares(rule.cond):
                    if _key(node.left) == key:
                        found.append((tname, r, rule, node.op, node.right))
                    elif _key(node.right) == key:
                        found.append((tname, r, rule, _FLIP[node.op], node.left))
        return found

    def series_values(self, ev: Evaluation, key: str, expr: ast.Expr | None) -> list[object]:
        if key in ev.env.series:
            return list(ev.env.series[key])
        if expr is None:
            return [None] * len(ev.months)
        out: list[object] = []
        for p in ev.months:
            try:
                out.append(ev.expression(expr, p))
            except EvaluationError:
                out.append(None)
        return out

    def chart(
        self, ev: Evaluation, key: str, expr: ast.Expr | None, section_anchor: str
    ) -> Chart | None:
        cc = self.cc
        typ = self._type(key, expr)
        if typ not in _CHARTED:
            return None
        decl: ast.KpiDecl | ast.MeasureDecl | ast.LetDecl | None
        if key in cc.kpis:
            kind, decl = "kpi", cc.kpis[key]
        elif key in cc.measures:
            kind, decl = "measure", cc.measures[key]
        elif key in cc.lets:
            kind, decl = "let", cc.lets[key]
        else:
            kind, decl = "expression", None
        label = self.label(decl.labels, key) if decl is not None else key
        series = self.series_values(ev, key, expr)
        values = tuple(Fraction(v) if isinstance(v, Decimal) else None for v in series)
        refs: list[svg.RefLine] = []
        legend: list[LegendEntry] = [
            LegendEntry(self.t("report.chart.series"), svg.SERIES, "", "series")
        ]
        attrs = decl.attrs if isinstance(decl, ast.KpiDecl | ast.MeasureDecl) else ()
        target = next((a.value for a in attrs if a.key.name == "target"), None)
        if target is not None and not isinstance(target, ast.FreqValue):
            tv = self.reference(ev, target)
            if tv is not None:
                shown = self.ref_text(tv, typ)
                text = self.t("report.chart.target", value=self.ref_name(tv, target, typ))
                refs.append(svg.RefLine(tv, TARGET_COLOR, "8 4", shown, text))
                legend.append(LegendEntry(text, TARGET_COLOR, "8 4"))
        seen: set[tuple[object, ...]] = set()
        for tname, r, rule, op, other in self.comparisons(key):
            rv = self.reference(ev, other)
            if rv is None:
                continue
            status = rule.status.value
            ref_key = (rv, op, status)
            if ref_key in seen:
                continue
            seen.add(ref_key)
            shown = self.ref_text(rv, typ)
            cond = f"{_OPS[op]} {self.ref_name(rv, other, typ)}"
            if rule.persistence is not None and rule.persistence.count > 1:
                cond = self.t(
                    f"persistence.{rule.persistence.unit}", rule.persistence.count, cond=cond
                )
            title = self.t(
                "report.chart.rule",
                threshold=self.threshold_label(tname),
                n=str(r),
                cond=cond,
                status=self.status_word(status),
            )
            color = STATUS_COLOR.get(status, TARGET_COLOR)
            refs.append(svg.RefLine(rv, color, "3 3", f"{_OPS[op]} {shown}", title))
            legend.append(LegendEntry(title, color, "3 3"))
        known = sum(1 for v in values if v is not None)
        if any(v is None for v in values):
            legend.append(LegendEntry(self.t("report.chart.gap"), svg.GAP, "", "box"))
        note = self.t("report.chart.unit", currency=self.currency) if typ is Type.MONEY else ""
        anchor = anchor_id(section_anchor, "kpi" if kind == "kpi" else "series", key)
        if not known:
            return Chart(anchor, label, key, None, tuple(legend), self.t("report.chart.none"), kind)
        title = self.t("report.chart.title", kpi=label)
        desc = self.t(
            "report.chart.desc",
            kpi=label,
            start=self.month_full(ev.months[0]),
            end=self.month_full(ev.months[-1]),
            known=self.cat.number(known),
            total=self.cat.number(len(values)),
        )
        drawing = svg.line_chart(
            svg.LineChart(
                chart_id=f"{anchor}-svg",
                title=title,
                desc=desc,
                axis=self.axis(ev.months),
                values=values,
                value_text=tuple(self.value(v, typ) for v in series),
                refs=tuple(refs),
                tick_text=self.tick(typ),
                integral=typ is Type.COUNT,
                missing_text=self.t("report.missing"),
            )
        )
        return Chart(anchor, label, key, drawing, tuple(legend), note, kind)

    def ref_name(
        self, values: tuple[Fraction | None, ...], expr: ast.Expr, typ: Type | None
    ) -> str:
        """What a reference line stands for: its value when constant, else the
        agreed value's label (a schedule) or the expression as written."""
        if len(set(values)) == 1:
            return self.ref_text(values, typ)
        if isinstance(expr, ast.Name) and expr.head.name in self.cc.lets:
            return self.label(self.cc.lets[expr.head.name].labels, expr.head.name)
        return formula(expr)

    def ref_text(self, values: tuple[Fraction | None, ...], typ: Type | None) -> str:
        """The last known value of a reference line, for its label."""
        last = next(v for v in reversed(values) if v is not None)
        d = exact_decimal(last)
        if d is None:  # a constant such as 1/3: rounded for display
            d = CONTEXT.divide(Decimal(last.numerator), Decimal(last.denominator))
        if typ is Type.MONEY:
            return self.cat.number(_round(d, 2))
        return self.value(d, typ)
