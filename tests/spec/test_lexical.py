"""LANGUAGE.md §1 — lexical rules, observed through `pact check` and `pact eval --format json`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from spec.spec_helpers import HEADER, contract, diagnostics, error_codes, evaluate, series, vote

ONE_MONTH = {"2026-01": {"x": "1"}}


def let_value(tmp_path: Path, expr: str, *, header: str = HEADER, extra: str = "") -> object:
    """The value of `let v = EXPR` in January 2026 (a measure `x` = 1 keeps the timeline)."""
    src = contract(f'measure x "X": number\nlet keep = x\nlet v = {expr}\n{extra}', header=header)
    doc = evaluate(tmp_path, src, ONE_MONTH)
    return series(doc, "v")["2026-01"]


# ---------------------------------------------------------------- comments


def test_comment_runs_to_end_of_line_and_hash_inside_a_string_is_text(tmp_path: Path) -> None:
    """`#` starts a comment to the end of the line; inside a string it is an ordinary character."""
    src = contract(
        """
        # a whole-line comment
        measure x "X # not a comment": number  # trailing comment with = 1 +
        let v = x + 1 # + 1000
        let t = "a # b"
        """
    )
    doc = evaluate(tmp_path, src, ONE_MONTH)
    assert series(doc, "v")["2026-01"] == Decimal(2)
    assert doc["lets"]["t"]["2026-01"] == "a # b"


def test_formatter_keeps_every_comment(tmp_path: Path) -> None:
    """§1: comments are part of the document; the formatter keeps every one of them."""
    from spec.spec_helpers import pact, write

    src = (
        '# top\ncontract "C" {  # after brace\n  currency EUR   # money\n'
        '  # before measure\n  measure x  "X":number # trailing\n  let v = x+1\n  # last inside\n}\n# end\n'
    )
    p = write(tmp_path, "c.pact", src)
    assert pact("fmt", p).exit_code == 0
    out = p.read_text(encoding="utf-8")
    for comment in (
        "# top",
        "# after brace",
        "# money",
        "# before measure",
        "# trailing",
        "# last inside",
        "# end",
    ):
        assert out.count(comment) == 1, (comment, out)
    # formatting twice changes nothing (CLI.md, pact fmt)
    assert pact("fmt", "--check", p).exit_code == 0


# ---------------------------------------------------------------- identifiers and keywords


@pytest.mark.parametrize("name", ["leads_won", "_tmp2", "a", "x9_y"])
def test_lowercase_ascii_identifiers_are_names(tmp_path: Path, name: str) -> None:
    src = contract(f'measure {name} "N": number\nlet v = {name} * 2')
    doc = evaluate(tmp_path, src, {"2026-01": {name: "3"}})
    assert series(doc, "v")["2026-01"] == Decimal(6)


@pytest.mark.parametrize("name", ["Revenue", "REVENUE", "revenuÉ", "9lives"])
def test_names_outside_the_identifier_alphabet_are_errors(tmp_path: Path, name: str) -> None:
    assert error_codes(tmp_path, contract(f'measure {name} "N": number'))


@pytest.mark.parametrize(
    "keyword", ["count", "measure", "threshold", "when", "pay", "veto", "yes", "missing"]
)
def test_a_keyword_used_as_a_name_is_an_error_that_says_so(tmp_path: Path, keyword: str) -> None:
    diags = [
        d
        for d in diagnostics(tmp_path, contract(f'measure {keyword} "N": number'))
        if d["severity"] == "error"
    ]
    assert diags, "a reserved keyword was accepted as a name"
    assert any("keyword" in d["message"] and keyword in d["message"] for d in diags), diags


# ---------------------------------------------------------------- strings


def test_string_escapes(tmp_path: Path) -> None:
    r"""`\"`, `\\` and `\n` are the escapes of a string."""
    src = contract('measure x "X": number\nlet keep = x\nlet t = "say \\"yes\\" \\\\ then\\nnext"')
    doc = evaluate(tmp_path, src, ONE_MONTH)
    assert doc["lets"]["t"]["2026-01"] == 'say "yes" \\ then\nnext'


def test_any_unicode_inside_a_string(tmp_path: Path) -> None:
    src = contract(
        'measure x "Chiffre d\'affaires co-généré — 営業 ✓": number\nlet keep = x\nlet t = "Chiffre d\'affaires co-généré"'
    )
    doc = evaluate(tmp_path, src, ONE_MONTH)
    assert doc["lets"]["t"]["2026-01"] == "Chiffre d'affaires co-généré"


def test_unknown_escape_or_unterminated_string_is_an_error(tmp_path: Path) -> None:
    assert error_codes(tmp_path, contract('let t = "a \\q b"'))
    assert error_codes(tmp_path, contract('let t = "never closed\nlet u = 1'))


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("12", "12"),
        ("12.5", "12.5"),
        ("1_000_000", "1000000"),
        ("1_000.25", "1000.25"),
        ("0.000_1", "0.0001"),
    ],
)
def test_number_literals(tmp_path: Path, literal: str, value: str) -> None:
    assert let_value(tmp_path, literal) == Decimal(value)


@pytest.mark.parametrize("literal", ["1__000", "1_000_", "1._5", "1_.5"])
def test_underscores_only_between_digits(tmp_path: Path, literal: str) -> None:
    """`1_000_000`: underscores allowed *between digits* — not doubled, leading into a dot, or trailing."""
    assert error_codes(tmp_path, contract(f"let v = {literal}"))


def test_decimals_have_at_least_28_significant_digits(tmp_path: Path) -> None:
    """1/3 and 2/3 computed to at least 28 significant digits (half-even at the last one)."""
    third = let_value(tmp_path, "1 / 3")
    two_thirds = let_value(tmp_path, "2 / 3")
    assert isinstance(third, Decimal) and isinstance(two_thirds, Decimal)
    assert abs(third - Decimal(1) / Decimal(3)) < Decimal("1e-28")
    assert len(str(third).split(".")[1].rstrip("0")) >= 28
    # half-even (not truncation): 0.666…67 at 28 digits, never 0.666…66
    assert abs(two_thirds * 3 - 2) <= Decimal("1e-27")
    assert str(two_thirds).startswith("0.666666666666666666666666666")
    assert not str(two_thirds).endswith("6") or len(str(two_thirds)) > 30


def test_large_money_sums_are_exact(tmp_path: Path) -> None:
    """0.1 + 0.2 is exactly 0.3 (no binary floating point), and 12 significant-digit money adds exactly."""
    assert let_value(tmp_path, "0.1 + 0.2") == Decimal("0.3")
    assert let_value(tmp_path, "0.1 + 0.2 == 0.3") is True
    assert let_value(tmp_path, "123_456_789_012.34 EUR + 0.01 EUR") == Decimal("123456789012.35")


def test_round_is_half_even(tmp_path: Path) -> None:
    """§1: half-even rounding. round(2.5, 0) = 2, round(3.5, 0) = 4, round(0.125, 2) = 0.12."""
    assert let_value(tmp_path, "round(2.5, 0)") == 2
    assert let_value(tmp_path, "round(3.5, 0)") == 4
    assert let_value(tmp_path, "round(0.125, 2)") == Decimal("0.12")
    assert let_value(tmp_path, "round(0.135, 2)") == Decimal("0.14")


# ---------------------------------------------------------------- percents


@pytest.mark.parametrize(
    ("literal", "value"), [("20%", "0.20"), ("12.5%", "0.125"), ("100%", "1"), ("0.5%", "0.005")]
)
def test_percent_literals(tmp_path: Path, literal: str, value: str) -> None:
    assert let_value(tmp_path, literal) == Decimal(value)


def test_percent_is_a_value_in_arithmetic(tmp_path: Path) -> None:
    # 20% * 250 = 0.20 * 250 = 50
    assert let_value(tmp_path, "20% * 250") == Decimal(50)
    assert let_value(tmp_path, "12.5% == 0.125") is True


# ---------------------------------------------------------------- money


def test_money_literal_in_the_contract_currency(tmp_path: Path) -> None:
    assert let_value(tmp_path, "300_000 EUR") == Decimal(300000)
    assert let_value(tmp_path, "12.50 EUR + 0.5 EUR") == Decimal("13.00")


def test_money_in_another_currency_is_an_error(tmp_path: Path) -> None:
    diags = [
        d
        for d in diagnostics(tmp_path, contract("let v = 300_000 USD"))
        if d["severity"] == "error"
    ]
    assert diags and any("USD" in d["message"] and "EUR" in d["message"] for d in diags), diags


def test_one_currency_per_contract(tmp_path: Path) -> None:
    """A second currency line is an error: one currency per contract."""
    header = '  currency EUR\n  currency USD\n  party acme "A"\n'
    assert error_codes(tmp_path, contract("let v = 1 EUR", header=header))


@pytest.mark.parametrize(
    ("code", "amount", "paid"),
    [
        ("EUR", "10.005", "10.00"),
        ("EUR", "10.015", "10.02"),
        ("JPY", "10.5", "10"),
        ("JPY", "11.5", "12"),
    ],
)
def test_minor_unit_comes_from_the_currency(
    tmp_path: Path, code: str, amount: str, paid: str
) -> None:
    """§3: the currency decides the minor unit (EUR: 2 decimals, JPY: 0); a payment is rounded to it
    (half-even, §1: 10.005 → 10.00, 10.015 → 10.02, 10.5 JPY → 10, 11.5 JPY → 12)."""
    header = f'  effective 2026-01-01\n  currency {code}\n  party acme "A"\n  party orbis "O"\n'
    src = contract(
        f"""
        measure x "X": number
        threshold t {{
          when x > 0: breach
            => pay {amount} {code} from orbis to acme
        }}
        """,
        header=header,
    )
    doc = evaluate(tmp_path, src, ONE_MONTH)
    assert [p["amount"] for p in doc["payments"]] == [paid]


# ---------------------------------------------------------------- dates, periods, durations


def test_date_literals_and_date_arithmetic(tmp_path: Path) -> None:
    assert let_value(tmp_path, "2026-01-01") == "2026-01-01"
    assert let_value(tmp_path, "2026-01-01 + 10 days") == "2026-01-11"
    assert let_value(tmp_path, "2026-01-15 + 3 months") == "2026-04-15"
    assert let_value(tmp_path, "2026-01-15 + 1 year") == "2027-01-15"


def test_ten_business_days_skip_weekends(tmp_path: Path) -> None:
    # 2026-01-02 is a Friday; 10 business days later: Jan 5-9 (5), Jan 12-16 (10) → 2026-01-16
    assert let_value(tmp_path, "2026-01-02 + 10 business days") == "2026-01-16"


def test_invalid_calendar_date_is_an_error(tmp_path: Path) -> None:
    assert error_codes(tmp_path, contract("let v = 2026-02-30"))
    assert error_codes(tmp_path, contract("let v = 10% from 2026-13"))


def test_period_literals_in_schedules(tmp_path: Path) -> None:
    """Periods (months) `2026-03` select schedule entries."""
    src = contract('measure x "X": number\nlet keep = x\nlet v = 1 from 2026-03, 2 from 2026-05')
    rows = {f"2026-{m:02d}": {"x": "1"} for m in range(1, 7)}
    doc = evaluate(tmp_path, src, rows)
    assert list(series(doc, "v").values()) == [None, None, 1, 1, 2, 2]


# ---------------------------------------------------------------- fractions


def test_voting_fractions_are_compared_exactly(tmp_path: Path) -> None:
    """`2/3` in a rule is exact: 2 yes of weight 3 is exactly 2/3, so `>= 2/3` holds and `> 2/3` does not
    (a binary 0.666… would get one of them wrong)."""
    src = contract(
        """
        party nova "Nova"
        committee c {
          member acme weight 1
          member orbis weight 1
          member nova weight 1
          decision ge requires >= 2/3 of weight
          decision gt requires > 2/3 of weight
        }
        """
    )
    assert vote(tmp_path, src, "c.ge", "acme=yes,orbis=yes,nova=no")["outcome"] == "passed"
    assert vote(tmp_path, src, "c.gt", "acme=yes,orbis=yes,nova=no")["outcome"] == "rejected"
