"""Waterfall state files (:mod:`pactlang.io.state`): schema, consistency, locked updates."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pactlang.cli import main
from pactlang.io.state import StateError, read_state, state_from_json, state_to_json
from pactlang.kernel.waterfalls import WaterfallStateError

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = str(ROOT / "examples" / "contracts" / "alliance.pact")


def distribute(state: Path | str, amount: str = "1000", *extra: str) -> Result:
    return CliRunner().invoke(
        main, ["distribute", ALLIANCE, "fund", "--amount", amount, "--state", str(state), *extra]
    )


def assert_refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    for leak in ("object has no attribute", "Exceeds the limit", "Error:", "errno"):
        assert leak not in result.stderr, result.stderr


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "s.json"
    assert distribute(path, "250000").exit_code == 0
    assert distribute(path, "123.45").exit_code == 0
    return path


def doc_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def test_round_trip_is_exact(good: Path) -> None:
    text = good.read_text("utf-8")
    assert state_to_json(state_from_json(text)) == text
    assert len(doc_of(good)["months"]) == 2


# ------------------------------------------------------------- bad contents

Edit = Callable[[dict[str, Any]], Any]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


BAD: list[tuple[str, Edit, str]] = [
    ("version true", _set(("version",), True), "version: Input should be a valid integer"),
    ("version 1.0", _set(("version",), 1.0), "version: Input should be a valid integer"),
    ("version 2", _set(("version",), 2), "version: unsupported version 2"),
    ("index 0.0", _set(("tiers", 0, "index"), 0.0), "tiers[0].index: Input should be a valid integer"),
    ("index true", _set(("tiers", 1, "index"), True), "tiers[1].index: Input should be a valid integer"),
    ("index wrong", _set(("tiers", 1, "index"), 5), "tiers[1].index: 5, expected 1"),
    ("amount number", _set(("months", 0, "amount"), 5), "months[0].amount: Input should be a valid string"),
    ("amount negative", _set(("months", 0, "amount"), "-5.00"), "months[0].amount: expected a non-negative decimal"),
    ("amount exponent", _set(("months", 0, "amount"), "1e999999999"), "months[0].amount: expected a non-negative decimal"),
    ("amount digits", _set(("retained_to_date",), "1" * 5000), "retained_to_date: expected a non-negative decimal"),
    ("amount cents", _set(("months", 0, "retained"), "0.001"), "months[0].retained: 0.001 EUR has more decimals"),
    ("period int", _set(("months", 0, "period"), 202601), "months[0].period: Input should be a valid string"),
    ("period month 13", _set(("months", 0, "period"), "2026-13"), "months[0].period: month must be 01..12"),
    ("period year 0", _set(("months", 0, "period"), "0000-01"), "months[0].period: year out of range"),
    ("currency", _set(("currency",), "XXQ"), "currency: unknown currency 'XXQ'"),
    ("currency int", _set(("currency",), 978), "currency: Input should be a valid string"),
    ("waterfall null", _set(("waterfall",), None), "waterfall: Input should be a valid string"),
    ("unknown field", _set(("extra",), 1), "extra: Extra inputs are not permitted"),
    ("tiers not a list", _set(("tiers",), {}), "tiers: Input should be a valid list"),
    ("months order", lambda d: d["months"].reverse(), "months out of order"),
    ("total", _set(("tiers", 0, "paid_to_date", "acme"), "1.00"), "does not match the sum of the months"),
    ("paid parties", _set(("months", 0, "paid", 0), {"orbis": "0.00"}), "months[0].paid[0]: parties orbis, expected acme, orbis"),
    ("does not add up", _set(("months", 0, "retained"), "5.00"), "payouts and retained do not add up"),
    ("format", _set(("format",), "something"), "not a waterfall state"),
]


@pytest.mark.parametrize(("name", "edit", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_state_names_the_field_and_the_problem(
    good: Path, name: str, edit: Edit, message: str
) -> None:
    doc = doc_of(good)
    edit(doc)
    good.write_text(json.dumps(doc, indent=2), "utf-8")
    before = good.read_bytes()
    result = distribute(good)
    assert_refused(result, str(good), message)
    assert good.read_bytes() == before  # left as it is


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the state file is empty"),
        ("  \n", "the state file is empty"),
        ('{"format": "pactlang-waterfall-state", "version": 1, "waterfall"', "not valid JSON (line 1"),
        ("[1, 2]", "not a waterfall state"),
        ('{"format": 1' + "0" * 5000 + "}", "a number with 5001 digits"),
        ('{"format": "pactlang-waterfall-state", "version": NaN}', "NaN is not allowed"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_unusable_state_text_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(text, "utf-8")
    assert_refused(distribute(path), message)
    assert path.read_text("utf-8") == text


def test_a_truncated_state_is_refused_and_kept(good: Path) -> None:
    text = good.read_text("utf-8")
    good.write_text(text[: len(text) // 2], "utf-8")
    assert_refused(distribute(good), "not valid JSON")
    assert good.read_text("utf-8") == text[: len(text) // 2]


def test_an_emptied_state_is_not_a_fresh_fund(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    assert distribute(path, "400000").exit_code == 0
    path.write_text("")  # : > s.json
    assert_refused(distribute(path, "5"), "the state file is empty", "left as it is")
    assert path.read_text() == ""


def test_a_state_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b'{"format": "\xff"}')
    assert_refused(distribute(path), "not UTF-8 (byte 0xFF at offset 12)")


def test_a_state_in_a_missing_folder(tmp_path: Path) -> None:
    assert_refused(distribute(tmp_path / "nope" / "s.json"), "does not exist")
    assert not (tmp_path / "nope").exists()


def test_a_state_in_a_folder_that_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pactlang.io import files

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    assert_refused(distribute(tmp_path / "s.json"), "cannot write in the folder", "Permission denied")
    assert not (tmp_path / "s.json").exists()


def test_a_state_that_is_a_directory(tmp_path: Path) -> None:
    result = distribute(tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_a_state_that_is_the_contract_is_refused(tmp_path: Path) -> None:
    assert_refused(distribute(ALLIANCE), "would overwrite an input")


def test_the_last_possible_month(good: Path) -> None:
    doc = doc_of(good)
    doc["months"][0]["period"] = "9999-11"
    doc["months"][1]["period"] = "9999-12"
    good.write_text(json.dumps(doc), "utf-8")
    assert_refused(distribute(good), "9999-12: there is no later month")


def test_a_missing_state_file_is_a_fresh_fund_and_is_created(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    result = distribute(path, "250000")
    assert result.exit_code == 0, result.stderr
    assert "distribution #1" in result.stdout
    assert doc_of(path)["months"][0]["period"] == "0001-01"


def test_a_state_through_a_symlink_is_read_and_written_through_it(tmp_path: Path) -> None:
    shared = tmp_path / "shared.json"
    assert distribute(shared, "400000").exit_code == 0
    mine = tmp_path / "mine.json"
    mine.symlink_to("shared.json")
    result = distribute(mine, "100")
    assert result.exit_code == 0 and "distribution #2" in result.stdout
    assert mine.is_symlink()
    assert len(doc_of(shared)["months"]) == 2


def test_a_locked_state_waits_then_fails(tmp_path: Path) -> None:
    from pactlang.io.files import locked

    path = tmp_path / "s.json"
    with locked(path):
        assert_refused(distribute(path, "1", "--lock-timeout", "0.2"), "in use by another pact process")
    assert not path.exists()


def _one_run(path: str) -> int:
    return distribute(path, "1").exit_code


def test_concurrent_distributions_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(10) as pool:
        codes = pool.map(_one_run, [str(path)] * 10)
    assert codes == [0] * 10
    doc = doc_of(path)
    assert len(doc["months"]) == 10
    assert [m["period"] for m in doc["months"]] == [f"0001-{m:02d}" for m in range(1, 11)]


def test_read_state_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="cannot read the state file"):
        read_state(tmp_path / "missing.json")
    with pytest.raises(WaterfallStateError, match="the state is empty"):
        state_from_json(" ")
