"""A small SVG writer for the evaluation report: monthly line charts and stacked bars.

Every coordinate is computed exactly, with :class:`fractions.Fraction`, from the
exact ``Decimal`` values of the evaluation, then written with two fixed decimals
(half-even rounding of the exact value): no binary float is ever involved, so
the same data always gives the same bytes.

The writer knows nothing about languages: the caller passes every text already
formatted (axis labels, titles) and the functions escape it.  Charts are
self-contained (presentation attributes, no stylesheet, no script) and
accessible: ``role="img"``, an ``aria-label``, a ``<title>`` and a ``<desc>``.

Months are drawn as equal bands along the x axis (one band per month of the
timeline); a value sits at the centre of its band.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from markupsafe import Markup, escape

__all__ = [
    "Bars",
    "LineChart",
    "MonthAxis",
    "RefLine",
    "Segment",
    "coord",
    "line_chart",
    "nice_ticks",
    "stacked_bars",
]

Number = Fraction | Decimal | int

# ------------------------------------------------------------------ geometry

WIDTH = 720
HEIGHT = 270
LEFT = 78  # room for the y tick labels
RIGHT = 64  # room for the labels of the reference lines
TOP = 14
BOTTOM = 40  # month and year labels
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

INK = "#1b1f24"
MUTED = "#5b6470"
GRID = "#e3e6eb"
SERIES = "#1d4ed8"
GAP = "#f1f2f4"


def coord(x: Number) -> str:
    """An exact value written with two decimals (half-even), e.g. ``12.35``."""
    q = round(Fraction(x) * 100)  # Fraction.__round__: exact, ties to even
    sign = "-" if q < 0 else ""
    q = abs(q)
    return f"{sign}{q // 100}.{q % 100:02d}"


def _attrs(pairs: Sequence[tuple[str, object]]) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in pairs if v is not None)


def _el(tag: str, attrs: Sequence[tuple[str, object]], body: str | None = None) -> str:
    if body is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{body}</{tag}>"


def _text(x: Number, y: Number, content: str, **kw: object) -> str:
    pairs: list[tuple[str, object]] = [("x", coord(x)), ("y", coord(y))]
    pairs += [(k.replace("_", "-"), v) for k, v in kw.items()]
    return _el("text", pairs, str(escape(content)))


def _floor_log10(x: Fraction) -> int:
    """The largest k with 10**k <= x (x > 0), exactly."""
    k = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** k > x:
        k -= 1
    while Fraction(10) ** (k + 1) <= x:
        k += 1
    return k


def nice_ticks(
    lo: Fraction, hi: Fraction, *, count: int = 5, integral: bool = False
) -> list[Fraction]:
    """Round tick values covering ``[lo, hi]``: steps of 1, 2, 2.5 or 5 × 10ᵏ, exact.

    ``integral``: the values are counts, so a step is never below 1.
    """
    if hi < lo:
        lo, hi = hi, lo
    if lo == hi:
        pad = abs(lo) / 10 if lo != 0 else Fraction(1)
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    base = Fraction(10) ** _floor_log10(raw)
    step = base * 10
    for m in (Fraction(1), Fraction(2), Fraction(5, 2), Fraction(5)):
        if integral and (m * base).denominator != 1:
            continue  # counts: no fractional step (nor 2.5)
        if m * base >= raw:
            step = m * base
            break
    if integral and step < 1:
        step = Fraction(1)
    start = floor(lo / step) * step
    end = ceil(hi / step) * step
    n = int((end - start) / step)
    return [start + i * step for i in range(n + 1)]


# -------------------------------------------------------------------- axes


@dataclass(frozen=True, slots=True)
class MonthAxis:
    """The x axis: one band per month; ``labels[i]`` is drawn under band i
    (``""`` for none) and ``years[i]`` on a second line (``""`` for none).
    ``names[i]`` is the month's full name, for tooltips."""

    labels: tuple[str, ...]
    years: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.names)


@dataclass(frozen=True, slots=True)
class _Frame:
    n: int
    lo: Fraction
    hi: Fraction
    left: int = LEFT
    top: int = TOP
    width: int = WIDTH - LEFT - RIGHT
    height: int = HEIGHT - TOP - BOTTOM

    def band(self, i: int) -> tuple[Fraction, Fraction]:
        w = Fraction(self.width, max(self.n, 1))
        return self.left + i * w, self.left + (i + 1) * w

    def x(self, i: int) -> Fraction:
        a, b = self.band(i)
        return (a + b) / 2

    def y(self, v: Fraction) -> Fraction:
        return self.top + (self.hi - v) * self.height / (self.hi - self.lo)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def _open_svg(chart_id: str, title: str, desc: str) -> str:
    attrs = _attrs(
        [
            ("id", chart_id),
            ("class", "chart"),
            ("viewBox", f"0 0 {WIDTH} {HEIGHT}"),
            ("width", WIDTH),
            ("height", HEIGHT),
            ("role", "img"),
            ("aria-label", title),
            ("font-family", FONT),
            ("font-size", 11),
        ]
    )
    return (
        f"<svg{attrs}>" + _el("title", [], str(escape(title))) + _el("desc", [], str(escape(desc)))
    )


def _axes(
    f: _Frame, axis: MonthAxis, ticks: Sequence[Fraction], fmt: Callable[[Fraction], str]
) -> list[str]:
    out: list[str] = []
    for t in ticks:
        y = f.y(t)
        out.append(
            _el(
                "line",
                [
                    ("x1", coord(f.left)),
                    ("y1", coord(y)),
                    ("x2", coord(f.right)),
                    ("y2", coord(y)),
                    ("stroke", INK if t == 0 else GRID),
                    ("stroke-width", "1"),
                ],
            )
        )
        out.append(_text(f.left - 6, y + 4, fmt(t), text_anchor="end", fill=MUTED))
    out.append(
        _el(
            "line",
            [
                ("x1", coord(f.left)),
                ("y1", coord(f.bottom)),
                ("x2", coord(f.right)),
                ("y2", coord(f.bottom)),
                ("stroke", MUTED),
                ("stroke-width", "1"),
            ],
        )
    )
    for i in range(f.n):
        x = f.x(i)
        if axis.labels[i]:
            out.append(
                _el(
                    "line",
                    [
                        ("x1", coord(x)),
                        ("y1", coord(f.bottom)),
                        ("x2", coord(x)),
                        ("y2", coord(f.bottom + 4)),
                        ("stroke", MUTED),
                        ("stroke-width", "1"),
                    ],
                )
            )
            out.append(_text(x, f.bottom + 16, axis.labels[i], text_anchor="middle", fill=INK))
        if axis.years[i]:
            out.append(
                _text(
                    x, f.bottom + 30, axis.years[i], text_anchor="middle", fill=MUTED, font_size=10
                )
            )
    return out


def _spread(ys: list[Fraction], gap: Fraction, lo: Fraction, hi: Fraction) -> list[Fraction]:
    """Move label positions apart by at least ``gap`` (order kept), inside [lo, hi]."""
    order = sorted(range(len(ys)), key=lambda i: (ys[i], i))
    placed: list[Fraction] = [Fraction(0)] * len(ys)
    last: Fraction | None = None
    for i in order:
        y = max(ys[i], lo)
        if last is not None and y < last + gap:
            y = last + gap
        placed[i] = y
        last = y
    overflow = (last - hi) if last is not None and last > hi else Fraction(0)
    return [y - overflow for y in placed]


# ------------------------------------------------------------- line chart


@dataclass(frozen=True, slots=True)
class RefLine:
    """A horizontal reference (a target, a threshold's comparison value): one
    value per month (the same every month for a constant; None where unknown)."""

    values: tuple[Fraction | None, ...]
    color: str
    dash: str  # stroke-dasharray, e.g. "6 4"
    label: str  # short text at the right end of the line
    title: str  # tooltip: what the line is


@dataclass(frozen=True, slots=True)
class LineChart:
    chart_id: str
    title: str
    desc: str
    axis: MonthAxis
    values: tuple[Fraction | None, ...]  # one per month; None = missing
    value_text: tuple[str, ...]  # the formatted value of each month (tooltips)
    refs: tuple[RefLine, ...]
    tick_text: Callable[[Fraction], str]
    integral: bool = False
    missing_text: str = "missing"


def _value_range(
    values: Sequence[Fraction | None], refs: Sequence[RefLine]
) -> tuple[Fraction, Fraction]:
    pool = [v for v in values if v is not None] + [
        v for r in refs for v in r.values if v is not None
    ]
    if not pool:
        return Fraction(0), Fraction(1)
    lo, hi = min(pool), max(pool)
    # start the axis at zero when zero is not far below (or above) the data
    if lo >= 0 and lo <= hi - lo:
        lo = Fraction(0)
    elif hi <= 0 and -hi <= hi - lo:
        hi = Fraction(0)
    return lo, hi


def series_path(chart: LineChart, f: _Frame) -> str:
    """``M x y L x y …``: a new ``M`` after every missing month (a gap)."""
    parts: list[str] = []
    pen_down = False
    for i, v in enumerate(chart.values):
        if v is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{coord(f.x(i))} {coord(f.y(v))}")
        pen_down = True
    return " ".join(parts)


def _step_path(values: Sequence[Fraction | None], f: _Frame) -> str:
    """A value per month drawn across each band; consecutive equal values join."""
    parts: list[str] = []
    prev: Fraction | None = None
    for i, v in enumerate(values):
        a, b = f.band(i)
        if v is None:
            prev = None
            continue
        if prev is None:
            parts.append(f"M{coord(a)} {coord(f.y(v))}")
        elif v != prev:
            parts.append(f"V{coord(f.y(v))}")
        parts.append(f"H{coord(b)}")
        prev = v
    return " ".join(parts)


def line_chart(chart: LineChart) -> Markup:
    """A monthly line chart with reference lines and gaps for missing months."""
    n = chart.axis.n
    lo, hi = _value_range(chart.values, chart.refs)
    ticks = nice_ticks(lo, hi, integral=chart.integral)
    # a reference line on the x axis would hide in it: one more step of room below
    refs_at = {v for r in chart.refs for v in r.values if v is not None}
    if ticks[0] != 0 and ticks[0] in refs_at:
        ticks.insert(0, ticks[0] - (ticks[1] - ticks[0]))
    f = _Frame(n, ticks[0], ticks[-1])
    out = [_open_svg(chart.chart_id, chart.title, chart.desc)]
    # missing months: a light band, so a gap reads as "no value", not as a drawing error
    for i, v in enumerate(chart.values):
        if v is None:
            a, b = f.band(i)
            out.append(
                _el(
                    "rect",
                    [
                        ("class", "gap"),
                        ("x", coord(a)),
                        ("y", coord(f.top)),
                        ("width", coord(b - a)),
                        ("height", coord(f.height)),
                        ("fill", GAP),
                    ],
                    _el("title", [], str(escape(f"{chart.axis.names[i]}: {chart.missing_text}"))),
                )
            )
    out.extend(_axes(f, chart.axis, ticks, chart.tick_text))
    # reference lines, then their labels moved apart so that they never overlap
    label_ys: list[Fraction] = []
    drawn: list[RefLine] = []
    labelled: set[tuple[str, Fraction]] = set()
    for ref in chart.refs:
        d = _step_path(ref.values, f)
        if not d:
            continue
        out.append(
            _el(
                "path",
                [
                    ("class", "ref"),
                    ("d", d),
                    ("fill", "none"),
                    ("stroke", ref.color),
                    ("stroke-width", "1.5"),
                    ("stroke-dasharray", ref.dash),
                ],
                _el("title", [], str(escape(ref.title))),
            )
        )
        last = next(v for v in reversed(ref.values) if v is not None)
        if (ref.label, last) in labelled:
            continue  # the same label at the same height once is enough
        labelled.add((ref.label, last))
        label_ys.append(f.y(last) + 4)
        drawn.append(ref)
    for ref, y in zip(
        drawn,
        _spread(label_ys, Fraction(12), Fraction(f.top + 4), Fraction(f.bottom + 4)),
        strict=True,
    ):
        out.append(_text(f.right + 6, y, ref.label, fill=ref.color, font_size=10))
    # the series itself
    d = series_path(chart, f)
    if d:
        out.append(
            _el(
                "path",
                [
                    ("class", "series"),
                    ("d", d),
                    ("fill", "none"),
                    ("stroke", SERIES),
                    ("stroke-width", "2.5"),
                    ("stroke-linejoin", "round"),
                    ("stroke-linecap", "round"),
                ],
            )
        )
    for i, v in enumerate(chart.values):
        if v is None:
            continue
        out.append(
            _el(
                "circle",
                [
                    ("cx", coord(f.x(i))),
                    ("cy", coord(f.y(v))),
                    ("r", "3.5"),
                    ("fill", "#ffffff"),
                    ("stroke", SERIES),
                    ("stroke-width", "2"),
                ],
                _el("title", [], str(escape(f"{chart.axis.names[i]}: {chart.value_text[i]}"))),
            )
        )
    out.append("</svg>")
    return Markup("".join(out))


# ------------------------------------------------------------ stacked bars


@dataclass(frozen=True, slots=True)
class Segment:
    """One stacked series: a name (legend, tooltips), a colour, a value per month."""

    name: str
    color: str
    values: tuple[Fraction, ...]
    value_text: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Bars:
    chart_id: str
    title: str
    desc: str
    axis: MonthAxis
    segments: tuple[Segment, ...]  # stacked bottom to top
    tick_text: Callable[[Fraction], str]


def stacked_bars(chart: Bars) -> Markup:
    """Stacked bars (non-negative values), one bar per month."""
    n = chart.axis.n
    totals = [sum((s.values[i] for s in chart.segments), Fraction(0)) for i in range(n)]
    ticks = nice_ticks(Fraction(0), max(totals, default=Fraction(0)) or Fraction(1))
    f = _Frame(n, ticks[0], ticks[-1])
    out = [_open_svg(chart.chart_id, chart.title, chart.desc)]
    out.extend(_axes(f, chart.axis, ticks, chart.tick_text))
    for i in range(n):
        a, b = f.band(i)
        w = (b - a) * Fraction(3, 5)
        x = a + (b - a - w) / 2
        base = Fraction(0)
        for s in chart.segments:
            v = s.values[i]
            if v <= 0:
                continue
            y_top, y_bottom = f.y(base + v), f.y(base)
            out.append(
                _el(
                    "rect",
                    [
                        ("class", "bar"),
                        ("x", coord(x)),
                        ("y", coord(y_top)),
                        ("width", coord(w)),
                        ("height", coord(y_bottom - y_top)),
                        ("fill", s.color),
                    ],
                    _el(
                        "title",
                        [],
                        str(escape(f"{chart.axis.names[i]}, {s.name}: {s.value_text[i]}")),
                    ),
                )
            )
            base += v
    out.append("</svg>")
    return Markup("".join(out))
