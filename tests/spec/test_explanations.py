"""LANGUAGE.md §11 — explanations: which inputs, which rule, which months, so that an auditor can check
any number by hand. `pact eval --explain` (text and JSON) and failing tests show them."""

from __future__ import annotations

from pathlib import Path

from spec.spec_helpers import contract, eval_run, pact, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC_EXAMPLE = FIXTURES / "spec_section2.pact"  # the §2 example of LANGUAGE.md, verbatim

SPEC_LINE = (
    "conversion_floor at 2026-03 = breach: rule 1 (conversion < 5% for 3 months) held in 2026-01 (4%), "
    "2026-02 (3%), 2026-03 (2%); conversion at 2026-03 = leads_won 2 / leads_total 100 = 2%"
)
DATA = "period,leads_total,leads_won\n2026-01,100,4\n2026-02,100,3\n2026-03,100,2\n"


def test_the_example_of_section_11_verbatim(tmp_path: Path) -> None:
    data = write(tmp_path, "d.csv", DATA)
    run = pact("eval", SPEC_EXAMPLE, "--data", data, "--explain")
    assert run.exit_code == 0, run.stderr
    assert SPEC_LINE in run.stdout.splitlines()


def test_explanations_in_json(tmp_path: Path) -> None:
    data = write(tmp_path, "d.csv", DATA)
    run = pact("eval", SPEC_EXAMPLE, "--data", data, "--explain", "--format", "json")
    assert run.exit_code == 0
    assert SPEC_LINE in run.json["explanations"]


def test_the_section_2_example_passes_its_own_test() -> None:
    run = pact("test", SPEC_EXAMPLE)
    assert run.exit_code == 0
    assert run.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_a_run_that_did_not_hold_says_which_month_broke_it(tmp_path: Path) -> None:
    """§11: "which inputs, which rule, which months" — an auditor must see, for a `for N`
    rule that did not hold, which month did not satisfy the condition. The §2 example with
    conversion 4%, 6%, 3%: in March rule 1 (< 5% for 3 months) is false (February's 6% is
    not < 5%), rule 2 (< 10%) holds → watch. The explanation used to say "did not hold in
    2026-01 (4%), 2026-02 (6%), 2026-03 (3%)", as if 4% and 3% had failed the test too."""
    data = write(
        tmp_path, "d.csv", "period,leads_total,leads_won\n2026-01,100,4\n2026-02,100,6\n2026-03,100,3\n"
    )
    run = pact("eval", SPEC_EXAMPLE, "--data", data, "--explain")
    assert run.exit_code == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("conversion_floor at 2026-03 = "))
    assert line.startswith(
        "conversion_floor at 2026-03 = watch: rule 1 (conversion < 5% for 3 months) did not hold over "
        "2026-01 (4%: true), 2026-02 (6%: false), 2026-03 (3%: true); "
        "rule 2 (conversion < 10%) held in 2026-03 (3%)"
    ), line


def test_a_window_explanation_lists_each_month_and_its_value(tmp_path: Path) -> None:
    """An auditor recomputes sum(rev, 3 months) at March from the explanation: 100 + 200 + 300.50 = 600.50."""
    src = contract(
        'measure rev "R": money\nlet s3 = sum(rev, 3 months)\nthreshold t {\n  when s3 < 1_000 EUR: breach\n    => pay s3 / 10 from orbis to acme\n}'
    )
    run = eval_run(
        tmp_path,
        src,
        "period,rev\n2026-01,100\n2026-02,200\n2026-03,300.50\n",
        "--explain",
        "--from",
        "2026-03",
        "--format",
        "json",
    )
    assert run.exit_code == 0
    lines = run.json["explanations"]
    s3 = next(line for line in lines if line.startswith("s3 at 2026-03"))
    for month in ("2026-01", "2026-02", "2026-03"):
        assert month in s3
    assert "600.50" in s3 and "300.50" in s3 and "100" in s3 and "200" in s3
    # the payment's explanation shows its arithmetic: 600.50 / 10 = 60.05
    pay = next(line for line in lines if "pay" in line and "60.05" in line)
    assert "600.50" in pay and "10" in pay


def test_no_data_explanation_names_the_missing_value(tmp_path: Path) -> None:
    src = contract('measure x "X": number\nthreshold t {\n  when x < 5: breach\n  otherwise: ok\n}')
    run = eval_run(tmp_path, src, "period,x\n2026-01,\n", "--explain", "--format", "json")
    assert run.exit_code == 0
    line = next(line for line in run.json["explanations"] if line.startswith("t at 2026-01"))
    assert "no-data" in line and "missing" in line and "rule 1" in line


def test_previous_and_division_are_explained_with_their_operands(tmp_path: Path) -> None:
    src = contract('measure rev "R": money\nlet g = rev / previous(rev) - 1')
    run = eval_run(
        tmp_path, src, "period,rev\n2026-01,200\n2026-02,300.50\n", "--explain", "--format", "json"
    )
    line = next(line for line in run.json["explanations"] if line.startswith("g at 2026-02"))
    assert "300.50" in line and "200" in line and "2026-01" in line
    assert "0.5025" in line  # 300.50 / 200 − 1


def test_waterfall_explanation_adds_up(tmp_path: Path) -> None:
    src = contract(
        'measure p "P": money\nwaterfall fund {\n  distributes p\n  tier t {\n    pay acme up to 300 EUR\n    pay orbis up to 200 EUR\n  }\n}'
    )
    run = eval_run(tmp_path, src, "period,p\n2026-01,600\n", "--explain")
    assert run.exit_code == 0
    out = run.stdout
    # 600 to distribute: 300 + 200 paid, 100 retained
    assert "600.00" in out and "300.00" in out and "200.00" in out and "100.00" in out
    assert "retained" in out
