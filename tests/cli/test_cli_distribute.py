"""``pact distribute --amount``: amounts are bounded before any arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.base.money import MoneyError, to_minor
from pactlang.cli import main
from pactlang.io.cells import AmountError, parse_amount

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = str(ROOT / "examples" / "contracts" / "alliance.pact")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("250000", "250000"),
        ("250_000", "250000"),
        (" 250000.50 ", "250000.50"),
        ("100000 EUR", "100000"),
        ("12 eur", "12"),
        ("2.5e5", "2.5E+5"),
        ("9e30", "9E+30"),
        ("-5", "-5"),
    ],
)
def test_amounts_people_type(text: str, value: str) -> None:
    assert parse_amount(text, "EUR") == Decimal(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e999999999", "too large"),
        ("1e99999999999999999999999999999", "too large"),
        ("1e31", "too large"),
        ("1" * 32, "too large"),
        ("1e-99999999999999999999999999999", "too many decimal places"),
        ("0." + "0" * 30 + "1", "too many decimal places"),
        ("1" * 101, "more than 100 characters"),
        ("nan", "is not an amount"),
        ("Infinity", "is not an amount"),
        ("1,5.0", "is not an amount"),
        ("", "is not an amount"),
        ("0x10", "is not an amount"),
    ],
)
def test_absurd_amounts_are_refused_at_once(text: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(text, "EUR")


def test_the_cli_refuses_a_billion_digit_amount_without_computing_it() -> None:
    r = CliRunner().invoke(main, ["distribute", ALLIANCE, "fund", "--amount", "1e999999999"])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: --amount: `1e999999999` is too large (amounts must be below 10^31)\n")


def test_exact_conversion_refuses_absurd_magnitudes() -> None:
    # a defence in depth for amounts that do not come from the CLI (caps, engines)
    with pytest.raises(MoneyError, match="out of range"):
        to_minor(Decimal("1e999999999"), "EUR")
    assert to_minor(Decimal("0E-999999999"), "EUR") == 0
