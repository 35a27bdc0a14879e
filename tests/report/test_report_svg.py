"""The SVG writer: exact coordinates, nice ticks, gaps, escaping."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from report_helpers import parse, path_points

from pactlang.render.i18n import exact_decimal
from pactlang.report import svg

COORD = re.compile(r'(?:x|y|x1|y1|x2|y2|cx|cy|width|height)="(-?\d+\.\d\d)"')


def _axis(n: int) -> svg.MonthAxis:
    return svg.MonthAxis(
        tuple(f"m{i}" for i in range(n)),
        tuple("" for _ in range(n)),
        tuple(f"month {i}" for i in range(n)),
    )


def _chart(
    values: list[Fraction | None], refs: tuple[svg.RefLine, ...] = (), title: str = "t"
) -> svg.LineChart:
    return svg.LineChart(
        chart_id="c",
        title=title,
        desc="d",
        axis=_axis(len(values)),
        values=tuple(values),
        value_text=tuple(str(v) for v in values),
        refs=refs,
        tick_text=lambda x: str(exact_decimal(x)),
    )


def test_coordinates_are_exact_with_two_decimals_half_even() -> None:
    assert svg.coord(Fraction(1, 8)) == "0.12"  # 12.5 hundredths: ties to even
    assert svg.coord(Fraction(3, 8)) == "0.38"
    assert svg.coord(Fraction(-3, 8)) == "-0.38"
    assert svg.coord(Fraction(-1, 300)) == "0.00"  # no "-0.00"
    assert svg.coord(Decimal("123.455")) == "123.46"
    assert svg.coord(Fraction(2, 3)) == "0.67"
    assert svg.coord(700) == "700.00"


@settings(max_examples=200, deadline=None)
@given(
    st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**6),
    st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**6),
    st.booleans(),
)
def test_nice_ticks_cover_the_range_with_round_equal_steps(
    a: Fraction, b: Fraction, integral: bool
) -> None:
    lo, hi = min(a, b), max(a, b)
    ticks = svg.nice_ticks(lo, hi, integral=integral)
    assert ticks[0] <= lo and ticks[-1] >= hi
    assert 2 <= len(ticks) <= 12
    steps = {y - x for x, y in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step > 0
    # a step is 1, 2, 2.5 or 5 times a power of ten, so every tick is a finite decimal
    mantissa = step / Fraction(10) ** svg._floor_log10(step)
    assert mantissa in {1, 2, Fraction(5, 2), 5}
    assert all(exact_decimal(t) is not None for t in ticks)
    assert all(t % step == 0 for t in ticks)
    if integral:
        assert step.denominator == 1


value_lists = st.lists(
    st.one_of(st.none(), st.fractions(min_value=-1000, max_value=1000, max_denominator=1000)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(value_lists)
def test_the_series_has_one_point_per_known_month_and_breaks_at_gaps(
    values: list[Fraction | None],
) -> None:
    out = str(svg.line_chart(_chart(values)))
    root, _ = parse(out)
    known = [v for v in values if v is not None]
    series = root.find_all("path", "series")
    if not known:
        assert series == []
        return
    points = path_points(series[0].attrs["d"])
    assert len(points) == len(known)
    # a new sub-path ("M") exactly where the previous month is missing (or at the start)
    expected_moves = sum(
        1 for i, v in enumerate(values) if v is not None and (i == 0 or values[i - 1] is None)
    )
    assert [c for c, _, _ in points].count("M") == expected_moves
    # one marker per known value, one light band per missing month
    assert len(root.find_all("circle")) == len(known)
    assert len(root.find_all("rect", "gap")) == len(values) - len(known)
    # x increases month by month; a larger value is drawn higher (smaller y); inside the frame
    xs = [x for _, x, _ in points]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    pairs = sorted(zip(known, [y for _, _, y in points], strict=True))
    for (v1, y1), (v2, y2) in zip(pairs, pairs[1:], strict=False):
        assert (v1 < v2 and y1 >= y2) or (v1 == v2 and y1 == y2)
    assert all(svg.TOP <= y <= svg.HEIGHT - svg.BOTTOM for _, _, y in points)


def test_every_number_in_the_drawing_has_exactly_two_decimals() -> None:
    out = str(svg.line_chart(_chart([Fraction(1, 3), None, Fraction(2, 7), Fraction(5)])))
    for m in re.finditer(r'(?<= )(?:x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]*)"', out):
        assert re.fullmatch(r"-?\d+\.\d\d|\d+", m.group(1)), m.group(0)
    for d in re.findall(r' d="([^"]*)"', out):
        assert re.fullmatch(r"(?:[MLHV]-?\d+\.\d\d(?: -?\d+\.\d\d)? ?)+", d), d


def test_reference_lines_sit_at_their_value_and_leave_room_at_the_edges() -> None:
    ref = svg.RefLine((Fraction(6),) * 4, "#b91c1c", "3 3", "< 6", "rule")
    out = str(
        svg.line_chart(_chart([Fraction(7), Fraction(8), Fraction(9), Fraction(15, 2)], (ref,)))
    )
    root, _ = parse(out)
    d = root.find("path", "ref").attrs["d"]
    y_ref = Decimal(re.match(r"M(-?\d+\.\d\d) (-?\d+\.\d\d)", d).group(2))  # type: ignore[union-attr]
    # the tick labelled 6 has the same y: the line is not hidden on the frame's bottom edge
    ticks = {
        t.text(): Decimal(t.attrs["y"]) - 4
        for t in root.find_all("text")
        if t.attrs.get("text-anchor") == "end"
    }
    assert ticks["6"] == y_ref
    assert min(ticks, key=lambda k: Decimal(k)) != "6"


def test_text_is_escaped_and_the_chart_is_labelled() -> None:
    out = str(svg.line_chart(_chart([Fraction(1)], title='<script>alert("x")</script>')))
    assert "<script" not in out
    root, _ = parse(out)
    chart = root.find("svg")
    assert chart.attrs["role"] == "img"
    assert chart.attrs["aria-label"] == '<script>alert("x")</script>'
    assert chart.find("title").text() == '<script>alert("x")</script>'


def test_stacked_bars_stack_exactly() -> None:
    axis = _axis(3)
    a = svg.Segment("a", "#000", (Fraction(0), Fraction(30), Fraction(60)), ("0", "30", "60"))
    b = svg.Segment("b", "#111", (Fraction(0), Fraction(20), Fraction(40)), ("0", "20", "40"))
    out = str(svg.stacked_bars(svg.Bars("w", "t", "d", axis, (a, b), lambda x: str(x))))
    root, _ = parse(out)
    bars = root.find_all("rect", "bar")
    assert len(bars) == 4  # zero segments are not drawn
    by_month: dict[str, list[tuple[Decimal, Decimal]]] = {}
    for r in bars:
        by_month.setdefault(r.attrs["x"], []).append(
            (Decimal(r.attrs["y"]), Decimal(r.attrs["height"]))
        )
    for segs in by_month.values():
        (y1, h1), (y2, h2) = segs
        assert y2 + h2 == y1  # b sits right on top of a
    heights = sorted(h1 + h2 for (_, h1), (_, h2) in by_month.values())
    assert heights[1] == 2 * heights[0]  # 100 is twice 50
