"""The steering report's view model: what :mod:`pactlang.report.html` hands its
template (plain frozen dataclasses), its colours, and the small helpers its
builders share (display rounding, anchors, what a template may print)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from pactlang.base.text import escape_controls
from pactlang.base.types import Type
from pactlang.base.values import CONTEXT
from pactlang.render.words import formula
from pactlang.syntax import ast

if TYPE_CHECKING:
    from pactlang.report.journal_view import JournalPage, TotalRow
    from pactlang.sema.model import CheckedContract


__all__ = ["ReportSection", "ReportWaterfall", "PaymentRow", "Page", "anchor_id"]

STATUSES = ("ok", "watch", "breach", "bonus", "no-data")
STATUS_COLOR = {"ok": "#15803d", "watch": "#b45309", "breach": "#b91c1c", "bonus": "#0e7490"}
TARGET_COLOR = "#374151"
PARTY_COLORS = (
    "#1d4ed8",
    "#d97706",
    "#059669",
    "#7c3aed",
    "#db2777",
    "#0891b2",
    "#65a30d",
    "#9ca3af",
)
RETAINED_COLOR = "#6b7280"
_CHARTED = (Type.NUMBER, Type.COUNT, Type.PERCENT, Type.MONEY)
_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


# =============================================================== view model


@dataclass(frozen=True, slots=True)
class MetaField:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    name: str
    note: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class MonthHead:
    short: str
    full: str


@dataclass(frozen=True, slots=True)
class Block:
    """A grid of rows over the months of one calendar year."""

    year: str
    months: tuple[MonthHead, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    text: str
    color: str
    dash: str = ""  # a line swatch; "" with kind "series"/"box"
    kind: str = "line"  # line | series | box


@dataclass(frozen=True, slots=True)
class Chart:
    anchor: str
    label: str
    name: str  # the KPI, measure or let, or the expression as written
    svg: Markup | None
    legend: tuple[LegendEntry, ...]
    note: str
    kind: str = "kpi"  # kpi | measure | let | expression


@dataclass(frozen=True, slots=True)
class PaymentRow:
    month: str
    threshold: str
    rule: str
    payer: str
    payee: str
    amount: str
    label: str
    once: bool
    status: str = ""  # with a journal: paid, waived, disputed, not recorded
    status_css: str = ""


@dataclass(frozen=True, slots=True)
class DirectionTotal:
    payer: str
    payee: str
    count: str
    amount: str


@dataclass(frozen=True, slots=True)
class ActionRow:
    month: str
    threshold: str
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class WaterfallLine:
    kind: str  # group (a tier's heading) | row | total (a party's total to date)
    text: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class WaterfallBlock:
    year: str
    months: tuple[MonthHead, ...]
    lines: tuple[WaterfallLine, ...]


@dataclass(frozen=True, slots=True)
class ReportWaterfall:
    anchor: str
    label: str
    name: str
    blocks: tuple[WaterfallBlock, ...]
    svg: Markup
    legend: tuple[LegendEntry, ...]
    note: str


@dataclass(frozen=True, slots=True)
class StepRow:
    label: str
    within: str
    start: str
    deadline: str
    details: str
    outcome: str = ""  # with a journal: failed / resolved on, not reached


@dataclass(frozen=True, slots=True)
class DisputeView:
    title: str
    cause: str
    note: str
    steps: tuple[StepRow, ...]
    recorded: str = ""  # with a journal: the events as recorded


@dataclass(frozen=True, slots=True)
class ReportSection:
    """Everything reported for one evaluation."""

    anchor: str
    heading: str | None  # the portfolio key; None for a single evaluation
    empty: bool
    status: tuple[Block, ...]
    values: tuple[Block, ...]
    charts: tuple[Chart, ...]
    payments: tuple[PaymentRow, ...]
    totals: tuple[DirectionTotal, ...]
    actions: tuple[ActionRow, ...]
    waterfalls: tuple[ReportWaterfall, ...]
    disputes: tuple[DisputeView, ...]
    warnings: tuple[str, ...]
    has_thresholds: bool
    has_kpis: bool
    journal_totals: tuple[TotalRow, ...] = ()


@dataclass(frozen=True, slots=True)
class SummaryRow:
    key: str
    anchor: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    key_title: str
    thresholds: tuple[tuple[str, str], ...]  # (label, name)
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True, slots=True)
class TocEntry:
    anchor: str
    text: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    subtitle: str
    meta: tuple[MetaField, ...]
    toc: tuple[TocEntry, ...]
    summary: Summary | None
    sections: tuple[ReportSection, ...]
    notes: tuple[str, ...]
    footer: str
    legend: tuple[tuple[str, str], ...]  # (css class, text) of the status grid
    has_ladders: bool
    t: Callable[..., str] = field(repr=False, compare=False)
    journal: JournalPage | None = None


# ================================================================ helpers


def _round(v: Decimal, places: int) -> Decimal:
    """Round for display only, half-even, when ``v`` has more than ``places`` decimals."""
    exp = v.as_tuple().exponent
    if isinstance(exp, int) and exp < -places:
        return v.quantize(Decimal(1).scaleb(-places), context=CONTEXT)
    return v


def _display(v: Decimal, keep: int, places: int) -> Decimal:
    """``v`` without trailing zeros when it has at most ``keep`` decimals, else
    rounded half-even to ``places`` decimals (display only)."""
    n = v.normalize(CONTEXT)
    exp = n.as_tuple().exponent
    if not isinstance(exp, int):
        return v
    if exp < -keep:
        return v.quantize(Decimal(1).scaleb(-places), context=CONTEXT)
    return n.quantize(Decimal(1), context=CONTEXT) if exp > 0 else n


def _key(e: ast.Expr) -> str:
    """A series' key: a name (``sales``) or the expression as written."""
    return e.dotted if isinstance(e, ast.Name) else formula(e)


def _compares(cond: ast.Expr) -> list[ast.Compare]:
    """The comparisons of a rule condition, through ``and``, ``or`` and ``not``."""
    out: list[ast.Compare] = []
    stack: list[ast.Expr] = [cond]
    while stack:
        node = stack.pop(0)
        if isinstance(node, ast.Logic):
            stack.extend(node.operands)
        elif isinstance(node, ast.Unary) and node.op == "not":
            stack.append(node.operand)
        elif isinstance(node, ast.Compare):
            out.append(node)
    return out


# calls whose value is a construct's result (they change with the data)
_RESULT_FUNCS = frozenset({"paid", "status", "distributed", "retained"})


def _data_dependent(cc: CheckedContract) -> frozenset[str]:
    """Measures, and the lets, KPIs, thresholds and waterfalls computed from data."""
    out = set(cc.measures)
    for name in cc.order:
        if name in cc.thresholds or name in cc.waterfalls:
            out.add(name)
        elif any(d in out for d in cc.depends.get(name, ())):
            out.add(name)
    return frozenset(out)


def _css(status: str | None) -> str:
    return "none" if status is None else status.replace("-", "")


_SLUG = re.compile(r"[^a-z0-9]+")


def anchor_id(*parts: str | None) -> str:
    """An HTML id derived from names only (deterministic): readable when the
    names are plain identifiers, with a short hash when slugging lost anything."""
    raw = "-".join(p or "" for p in parts)
    slug = _SLUG.sub("-", raw.lower()).strip("-") or "x"
    if slug != raw:
        slug += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    if not slug[0].isalpha():
        slug = "k-" + slug
    return slug


def _visible(value: object) -> object:
    """Every ``{{ … }}`` of the report: control, bidirectional and invisible
    characters (a portfolio key, a label) become visible escapes (``\x1b``) before
    autoescaping, so none reaches the page raw."""
    if isinstance(value, str):
        shown = escape_controls(value)
        if shown is value:
            return value
        return Markup(shown) if isinstance(value, Markup) else shown
    return value
