"""The HTML evaluation report: structure, hand-checked cells, charts, escaping, determinism.

Expected statuses and amounts come from ``examples/contracts/README.md`` (computed
by hand); counts of points come from the evaluation itself.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from report_helpers import (
    ALLIANCE,
    ALLIANCE_CSV,
    PORTFOLIO_CSV,
    Node,
    parse,
    path_points,
    status_grid,
)

import pactlang
from pactlang.api import Contract
from pactlang.base.values import Period
from pactlang.engine.evaluate import Evaluation
from pactlang.report.html import ReportResult, anchor_id, build_report, render_report

EVIL = "<script>alert(1)</script>"


@cache
def alliance() -> Contract:
    return pactlang.load(ALLIANCE)


@cache
def report(lang: str | None = None, by: str | None = None) -> ReportResult:
    return build_report(alliance(), PORTFOLIO_CSV if by else ALLIANCE_CSV, by=by, lang=lang)


@cache
def evaluation() -> Evaluation:
    return alliance().evaluate(ALLIANCE_CSV)


def doc(lang: str | None = None, by: str | None = None) -> Node:
    root, doctype = parse(report(lang, by).html)
    assert doctype is not None and doctype.lower() == "doctype html"
    return root


def months_of(ev: Evaluation) -> list[str]:
    return [str(p) for p in ev.months]


# ------------------------------------------------------------ self-contained


@pytest.mark.parametrize("by", [None, "partner"])
def test_the_file_is_self_contained_and_inert(by: str | None) -> None:
    html = report("en", by).html
    root = doc("en", by)
    assert "<script" not in html.lower()
    assert not re.search(r"https?://", html)  # no resource, no namespace URL either
    for node in root.iter():
        for attr in ("src", "href", "xlink:href", "srcset", "data", "action"):
            value = node.attrs.get(attr)
            if value is not None:
                assert value.startswith("#"), (node.tag, attr, value)  # in-page anchors only
        assert not any(a.startswith("on") for a in node.attrs), node.attrs  # no event handler
    assert (
        root.find_all("link") == [] and root.find_all("img") == [] and root.find_all("iframe") == []
    )
    assert "@import" not in html and "url(" not in html
    # every in-page link points at an element of the page
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for a in root.find_all("a"):
        assert a.attrs["href"][1:] in ids


def test_header_names_the_contract_period_currency_and_data() -> None:
    root = doc("en")
    header = root.find("header").clean_text()
    assert "Evaluation report — Alliance Solutions Durables" in header
    assert "ASD-2026-01" in header and "2.1" in header
    assert "January 2026 to December 2026 (12 months)" in header
    assert "EUR" in header and "alliance.csv" in header
    assert str(ALLIANCE_CSV.parent) not in header  # the file's name, not where it sits
    assert root.find("html").attrs["lang"] == "en"


def test_default_language_is_the_contracts() -> None:
    assert report().lang == "fr"
    root = doc()
    assert root.find("html").attrs["lang"] == "fr"
    assert "Rapport d'évaluation — Alliance Solutions Durables" in root.find("h1").text()
    # French labels of the contract and Babel's French formats
    text = root.clean_text()
    assert "Plancher de conversion" in text and "mai 2026" in text and "5 000,00 €" in text


# --------------------------------------------------------------- status grid


def test_status_grid_cells_match_the_hand_checked_tables() -> None:
    ev = evaluation()
    grid = status_grid(doc("en"))
    months = months_of(ev)
    assert list(grid) == ["conversion_floor", "revenue_review", "csat_quality"]
    assert all(len(cells) == len(months) for cells in grid.values())

    def cell(name: str, month: str) -> set[str]:
        return grid[name][months.index(month)]

    # README, alliance.csv: three months below 8 % (Mar-May) → breach in May
    assert "st-breach" in cell("conversion_floor", "2026-05") and "carried" not in cell(
        "conversion_floor", "2026-05"
    )
    assert "st-breach" in cell("conversion_floor", "2026-06")
    assert "st-nodata" in cell("conversion_floor", "2026-07")  # July leads blank
    assert "st-bonus" in cell("conversion_floor", "2026-10")
    assert "st-watch" in cell("conversion_floor", "2026-02")
    assert "st-breach" in cell("revenue_review", "2026-08")
    assert "st-nodata" in cell("revenue_review", "2026-01")
    # quarterly: nothing before March, the March status kept (lighter, "·") in April and May
    assert "st-none" in cell("csat_quality", "2026-01")
    assert "st-ok" in cell("csat_quality", "2026-03") and "carried" not in cell(
        "csat_quality", "2026-03"
    )
    assert {"st-ok", "carried"} <= cell("csat_quality", "2026-04")
    assert {"st-watch", "carried"} <= cell("csat_quality", "2026-08")
    assert "st-bonus" in cell("csat_quality", "2026-12")


def test_grid_agrees_with_the_evaluation_everywhere() -> None:
    ev = evaluation()
    grid = status_grid(doc())
    for name, run in ev.thresholds.items():
        for i, status in enumerate(run.status):
            classes = grid[name][i]
            expected = "st-none" if status is None else "st-" + status.replace("-", "")
            assert expected in classes, (name, i)
            assert ("carried" in classes) == (status is not None and not run.is_check[i])


def test_grid_cells_say_the_status_in_words_and_explain_on_hover() -> None:
    root = doc("en")
    table = root.find("table", "t-status")
    row = next(
        tr
        for tr in table.find_all("tr")
        if tr.find_all("code") and tr.find("code").text() == "conversion_floor"
    )
    may = row.find_all("td")[4]
    assert may.text() == "breach"
    assert may.attrs["title"] == "Conversion floor, May\u00a02026: breach (rule 1)"  # no break in a month
    april_quality = next(
        tr
        for tr in table.find_all("tr")
        if tr.find_all("code") and tr.find("code").text() == "csat_quality"
    ).find_all("td")[3]
    assert april_quality.text() == "·"
    assert "status of March\u00a02026 kept" in april_quality.attrs["title"]
    legend = root.find("div", "legend").clean_text()
    for word in (
        "ok",
        "watch",
        "breach",
        "bonus",
        "no data",
        "not checked yet",
        "the status of the last check stands",
    ):
        assert word in legend


# -------------------------------------------------------------------- charts


def test_one_chart_per_kpi_with_a_point_per_known_month() -> None:
    ev = evaluation()
    root = doc("en")
    figures = {
        f.attrs["data-kpi"]: f for f in root.find_all("figure", "chart") if "data-kpi" in f.attrs
    }
    assert list(figures) == list(ev.contract.kpis)
    for name, fig in figures.items():
        svgs = fig.find_all("svg", "chart")
        assert len(svgs) == 1
        chart = svgs[0]
        assert chart.attrs["role"] == "img" and chart.attrs["aria-label"]
        assert chart.find("title").text() == chart.attrs["aria-label"]
        known = sum(1 for v in ev.env.series[name] if v is not None)
        series = chart.find_all("path", "series")
        assert len(series) == 1
        assert len(path_points(series[0].attrs["d"])) == known
        assert len(chart.find_all("circle")) == known
        assert len(chart.find_all("rect", "gap")) == len(ev.months) - known
    # README: only July has no conversion (blank leads); csat_avg is missing in Jan, Feb, Aug-Oct
    assert len(path_points(figures["conversion"].find("path", "series").attrs["d"])) == 11
    assert len(path_points(figures["csat_avg"].find("path", "series").attrs["d"])) == 7


def _tick_y(chart: Node) -> dict[str, Decimal]:
    return {
        t.clean_text(): Decimal(t.attrs["y"]) - 4
        for t in chart.find_all("text")
        if t.attrs.get("text-anchor") == "end"
    }


def _line_y(path: Node) -> Decimal:
    m = re.match(r"M(-?\d+\.\d\d) (-?\d+\.\d\d)", path.attrs["d"])
    assert m
    return Decimal(m.group(2))


def test_target_and_threshold_lines_sit_at_their_values() -> None:
    root = doc("en")
    fig = root.find("figure", data_kpi="conversion")
    chart = fig.find("svg")
    refs = chart.find_all("path", "ref")
    # target 20 % (dashed), then `< 8%` (breach), `< 12%` (watch), `>= 25%` (bonus)
    assert len(refs) == 4
    assert refs[0].attrs["stroke-dasharray"] == "8 4"
    assert all(r.attrs["stroke-dasharray"] == "3 3" for r in refs[1:])
    ticks = _tick_y(chart)
    y0, y10, y20 = ticks["0%"], ticks["10%"], ticks["20%"]
    assert _line_y(refs[0]) == y20
    # the linear map is exact: 8 % is 80 % of the way from 0 % to 10 %
    assert _line_y(refs[1]) == (y0 + (y10 - y0) * Decimal("0.8")).quantize(Decimal("0.01"))
    labels = [
        t.text()
        for t in chart.find_all("text")
        if t.attrs.get("font-size") == "10" and "x" in t.attrs
    ]
    assert {"20%", "< 8%", "< 12%", "≥ 25%"} <= set(labels)
    legend = fig.find("ul", "chart-legend").clean_text()
    assert "Target: 20%" in legend
    assert "Conversion floor, rule 1: < 8% for 3 consecutive months → breach" in legend
    # revenue_3m: the renegotiation floor (a constant let) and the schedule revenue_floor
    rev = root.find("figure", data_kpi="revenue_3m")
    assert len(rev.find_all("path", "ref")) == 3
    assert "< 300,000" in rev.clean_text() and "< 450,000" in rev.clean_text()


def test_axis_labels_are_babel_formatted_in_the_report_language() -> None:
    fr = doc().find("figure", data_kpi="conversion").find("svg")
    en = doc("en").find("figure", data_kpi="conversion").find("svg")
    fr_texts = [t.text() for t in fr.find_all("text")]
    en_texts = [t.text() for t in en.find_all("text")]
    assert "10\u00a0%" in fr_texts and "10%" in en_texts
    assert "mai" in fr_texts and "May" in en_texts
    money = doc("en").find("figure", data_kpi="revenue_3m").find("svg")
    assert "400,000" in [t.text() for t in money.find_all("text")]


# ---------------------------------------------------------- ledger, waterfall


def test_payments_ledger_and_totals_per_direction() -> None:
    ev = evaluation()
    root = doc("en")
    rows = root.find("table", "t-payments").find("tbody").find_all("tr")
    assert len(rows) == len(ev.payments) == 3
    first = [td.clean_text() for td in rows[0].find_all("td")]
    assert first[:5] == [
        "May 2026",
        "Conversion floor",
        "1",
        "Orbis Industries SA → ACME SAS",
        "€5,000.00",
    ]
    assert "once only" in rows[2].clean_text()
    totals = {
        tr.find("th").clean_text(): [td.clean_text() for td in tr.find_all("td")]
        for tr in root.find("table", "t-totals").find("tbody").find_all("tr")
    }
    # README: penalties in May and June (5 000 each), the bonus once in October
    assert totals == {
        "Orbis Industries SA → ACME SAS": ["2", "€10,000.00"],
        "ACME SAS → Orbis Industries SA": ["1", "€10,000.00"],
    }


def waterfall_rows(root: Node) -> list[tuple[str, str, list[str]]]:
    """``(group, row label, cells)`` of the waterfall grid, years joined."""
    rows: dict[tuple[str, str], list[str]] = {}
    for table in root.find_all("table", "t-waterfall"):
        group = ""
        for tr in table.find("tbody").find_all("tr"):
            if "group" in tr.classes:
                group = tr.clean_text()
                continue
            rows.setdefault((group, tr.find("th").clean_text()), []).extend(
                td.clean_text() for td in tr.find_all("td")
            )
    return [(g, label, cells) for (g, label), cells in rows.items()]


def test_waterfall_positions_are_cumulative_per_party_and_tier() -> None:
    ev = evaluation()
    root = doc("en")
    rows = waterfall_rows(root)
    assert [(g, label) for g, label, _ in rows] == [
        ("", "Distributed in the month"),
        ("Tier 1 — Repayment of initial contributions", "ACME SAS"),
        ("Tier 1 — Repayment of initial contributions", "Orbis Industries SA"),
        ("Tier 2 — Sharing of the surplus", "ACME SAS"),
        ("Tier 2 — Sharing of the surplus", "Orbis Industries SA"),
        ("Total to date", "ACME SAS"),
        ("Total to date", "Orbis Industries SA"),
        ("Total to date", "Retained to date"),
    ]
    assert all(len(cells) == len(ev.months) for _, _, cells in rows)
    table = {
        label if not g.startswith("Tier") else f"{g[:6]} {label}": cells for g, label, cells in rows
    }
    sep, dec = ev.months.index(Period(2026, 9)), ev.months.index(Period(2026, 12))
    # README: September repays the last 90 000 / 60 000 and shares 100 000 60/40;
    # December shares 180 000 → acme 468 000, orbis 312 000 to date (whole euros: no cents)
    assert table["Distributed in the month"][sep] == "250,000"
    assert [
        table[k][sep]
        for k in (
            "Tier 1 ACME SAS",
            "Tier 1 Orbis Industries SA",
            "Tier 2 ACME SAS",
            "Tier 2 Orbis Industries SA",
        )
    ] == ["300,000", "200,000", "60,000", "40,000"]
    assert [
        table["ACME SAS"][dec],
        table["Orbis Industries SA"][dec],
        table["Retained to date"][dec],
    ] == ["468,000", "312,000", "0"]
    chart = root.find("figure", data_waterfall="fund").find("svg")
    assert chart.attrs["role"] == "img"
    assert len(chart.find_all("rect", "bar")) == 2 * 10  # both parties, from March (nothing before)


def test_waterfall_amounts_keep_their_cents_and_missing_months_show(tmp_path: Path) -> None:
    data = tmp_path / "cents.csv"
    data.write_text(
        "period,proceeds\n2026-01,100000.01\n2026-02,\n2026-03,50000\n", encoding="utf-8"
    )
    root, _ = parse(build_report(alliance(), data, lang="en").html)
    table = {label: cells for _, label, cells in waterfall_rows(root)}
    # README (largest remainder test): 100 000.01 → acme 60 000.01, orbis 40 000.00
    assert table["Distributed in the month"] == [
        "100,000.01",
        "amount missing: nothing distributed",
        "50,000.00",
    ]
    # March: caps left 239 999.99 / 160 000; 50 000 pro rata → 29 999.99875 / 20 000.00125,
    # whole cents 29 999.99 / 20 000.00 and the last cent to the larger remainder (acme)
    assert table["ACME SAS"] == ["60,000.01", "60,000.01", "90,000.01"]
    assert table["Orbis Industries SA"] == ["40,000.00", "40,000.00", "60,000.00"]


def test_disputes_show_the_projected_timeline() -> None:
    root = doc("en")
    disputes = root.find_all("div", "dispute")
    assert len(disputes) == 2  # README: breaches in May and June open a dispute each
    first = disputes[0]
    assert "Dispute resolution, opened on May 31, 2026" in first.find("h3").clean_text()
    steps = [
        [c.clean_text() for c in tr.find_all("td")] for tr in first.find("tbody").find_all("tr")
    ]
    # README: managers until 2026-06-10, executives until 06-24, mediation until 07-24
    assert [s[2] for s in steps] == ["June 10, 2026", "June 24, 2026", "July 24, 2026", "—"]
    assert steps[1][0] == "10 business days"
    assert "Institution: CMAP" in steps[2][3]


# ----------------------------------------------------------------- portfolio


def test_portfolio_has_a_section_per_key_and_a_breach_summary() -> None:
    root = doc("en", "partner")
    evs = alliance().evaluate_portfolio(PORTFOLIO_CSV, "partner")
    summary = root.find("table", "t-summary")
    heads = [th.find("code").text() for th in summary.find("thead").find_all("th")[1:]]
    assert heads == ["conversion_floor", "revenue_review", "csat_quality"]
    rows = {
        tr.find("th").clean_text(): [td.clean_text() for td in tr.find_all("td")]
        for tr in summary.find("tbody").find_all("tr")
    }
    assert list(rows) == [str(ev.key) for ev in evs] == ["orbis", "nordvik", "sudhaus"]
    for ev in evs:  # the summary counts the months in breach, as the grid shows them
        assert rows[str(ev.key)] == [
            str(run.status.count("breach")) for run in ev.thresholds.values()
        ]
    # README: sudhaus breaches conversion_floor in March and August, revenue_review in
    # May-July, csat_quality at the September check (kept in October and November)
    assert rows["sudhaus"] == ["2", "3", "3"]
    assert rows["nordvik"] == ["0", "0", "0"]
    sections = root.find_all("section", "evaluation")
    assert [s.find("h2").clean_text() for s in sections] == [
        "partner orbis",
        "partner nordvik",
        "partner sudhaus",
    ]
    for ev, sec in zip(evs, sections, strict=True):
        grid = status_grid(sec)
        for name, run in ev.thresholds.items():
            assert ["st-none" if s is None else "st-" + s.replace("-", "") for s in run.status] == [
                next(c for c in cells if c.startswith("st-")) for cells in grid[name]
            ]
        assert len(sec.find_all("svg", "chart")) == len(ev.contract.kpis) + len(ev.waterfalls)


def test_portfolio_keys_become_safe_distinct_ids() -> None:
    assert anchor_id("key", "orbis") == "key-orbis"
    odd = [anchor_id("key", k) for k in ("a b", "a-b", "A B", "é", "<x>", "1")]
    assert len(set(odd)) == len(odd)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in odd)


# ------------------------------------------------------------------ escaping

EVIL_CONTRACT = f"""
contract "Evil {EVIL} & co" {{
  id "X{EVIL}"
  effective 2026-01-01 until 2026-12-31
  currency EUR
  language en
  party a "{EVIL} A"
  party b "B & \\"co\\""
  measure m "{EVIL} m": number
  measure cash "cash": money
  kpi k "{EVIL} k": number = m {{
    owner a
    source "{EVIL}"
    frequency monthly
    target 5
  }}
  threshold t "{EVIL} t" {{
    when k < 3: breach
      => pay 10 EUR from a to b "{EVIL} pay"
      => action "{EVIL} act"
      => escalate e
    otherwise: ok
  }}
  escalation e "{EVIL} e" {{
    step s1 "{EVIL} s1" within 5 days {{ institution "{EVIL}" }}
    step s2 "s2" final
  }}
  waterfall w "{EVIL} w" {{
    distributes cash
    tier one "{EVIL} tier" {{
      split a 50%, b 50%
    }}
  }}
}}
"""


def test_labels_with_markup_render_inert(tmp_path: Path) -> None:
    path = tmp_path / "evil.pact"
    path.write_text(EVIL_CONTRACT, encoding="utf-8")
    data = tmp_path / f"data{EVIL.replace('/', '')}.csv"
    data.write_text("period,m,cash\n2026-01,2,100\n2026-02,,50\n2026-03,4,10\n", encoding="utf-8")
    c = pactlang.load(path)
    html = build_report(c, data).html
    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 15
    root, _ = parse(html)
    assert root.find_all("script") == []
    text = root.text()
    assert f"Evil {EVIL} & co" in text
    for fragment in ("A", "k", "t", "pay", "act", "e", "s1", "w", "tier"):
        assert f"{EVIL} {fragment}" in text, fragment
    assert 'B & "co"' in text
    # inside SVG too: titles and aria-labels carry the text, not markup
    chart = root.find("figure", data_kpi="k").find("svg")
    assert chart.attrs["aria-label"] == f"{EVIL} k, month by month"
    assert chart.find("title").text() == f"{EVIL} k, month by month"


# ------------------------------------------------------------- determinism


def test_same_inputs_give_the_same_bytes() -> None:
    a = build_report(alliance(), ALLIANCE_CSV, lang="en").html
    b = build_report(pactlang.load(ALLIANCE), ALLIANCE_CSV, lang="en").html
    assert a == b
    assert report("en").html == a
    p1 = build_report(alliance(), PORTFOLIO_CSV, by="partner").html
    p2 = build_report(alliance(), PORTFOLIO_CSV, by="partner").html
    assert p1 == p2


def test_no_data_months_in_the_term_is_reported_plainly() -> None:
    c = alliance()
    ev = c.program.run({})
    result = render_report(c, [ev], data_name="empty.csv", lang="en")
    root, _ = parse(result.html)
    assert "No month of data falls inside the contract term" in root.clean_text()
    assert root.find_all("svg") == []


def test_unknown_language_is_refused_and_an_untranslated_contract_falls_back() -> None:
    with pytest.raises(ValueError):
        render_report(alliance(), [evaluation()], data_name="x.csv", lang="de")
    # sema only admits en and fr; a checked contract built otherwise still gets a report
    checked = dataclasses.replace(alliance().checked, language="de")
    result = render_report(checked, [evaluation()], data_name="x.csv")
    assert result.lang == "en"
    assert result.warnings and "`de`" in result.warnings[0]


# ------------------------------------------------- series a threshold tests


def test_every_series_a_threshold_tests_is_charted_with_its_threshold_lines() -> None:
    """A threshold that reads a measure, or an expression, directly gets its chart
    too (not only KPIs); agreed values and schedules are lines, not series."""
    c = pactlang.load(ALLIANCE.parent / "distribution.pact")
    data = ALLIANCE.parent.parent / "data" / "distribution.csv"
    root, _ = parse(build_report(c, data, lang="en").html)
    figs = {
        f.attrs["data-series"]: f
        for f in root.find_all("figure", "chart")
        if "data-series" in f.attrs
    }
    # KPIs first, then the measure `sales` that `sales_floor` reads
    assert list(figs) == ["sales_3m", "return_rate", "sales"]
    assert "data-kpi" in figs["sales_3m"].attrs and "data-kpi" not in figs["sales"].attrs
    sales = figs["sales"]
    assert len(sales.find("svg").find_all("circle")) == 12
    legend = sales.find("ul", "chart-legend").clean_text()
    assert "Sales floor, rule 1: < 50,000 for 3 consecutive months → breach" in legend
    assert "Sales floor, rule 2: < 60,000 → watch" in legend
    assert len(sales.find("svg").find_all("path", "ref")) == 2
    # nothing is charted for the agreed values compared with
    assert not ({"floor_amount", "alert_amount", "sales_target"} & set(figs))


def test_an_expression_in_a_rule_is_charted_under_its_formula() -> None:
    c = pactlang.loads(
        """contract "E" {
  currency EUR
  measure revenue "Revenue": money
  threshold t "Rolling revenue" {
    when sum(revenue, 3 months) < 300 EUR: watch
  }
}
""",
        "e.pact",
    )
    ev = c.evaluate({Period(2026, m): {"revenue": Decimal(100 * m)} for m in range(1, 7)})
    root, _ = parse(render_report(c, [ev], data_name="x.csv").html)
    fig = root.find("figure", "chart", data_series="sum(revenue, 3 months)")
    # January and February have no 3-month window: 4 points from March
    assert len(fig.find("svg").find_all("circle")) == 4
    assert "< 300" in fig.find("ul", "chart-legend").clean_text()


def test_printed_report_numbers_its_pages_and_keeps_headings_with_their_content() -> None:
    html = report("en").html
    assert '"Page" " " counter(page) " " "of" " " counter(pages)' in html
    assert "section > h3 + *" in html and "break-before: avoid" in html
