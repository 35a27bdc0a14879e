"""The documentation stays in sync with the code.

Every check here reads a file of ``docs/`` (or the README) and compares it
with what the code does *now*:

* ``docs/language.md``: every ``pact`` block is a complete file that checks
  without errors (and without warnings, unless the block names the warnings
  it demonstrates), and its ``test`` blocks pass; every built-in function has
  an example; the list of reserved keywords is the grammar's; every numbered
  section has its "Choices where the requirements are silent" subsection;
  the sample explanations are lines ``pact eval --explain`` really prints.
* ``docs/diagnostics.md``: one ``### CODE — title`` heading per code of
  :data:`pactlang.diagnostics.CODES`, with the title of ``CODES``; each
  example block produces its code (and no other error), each ``fix`` block
  checks cleanly; codes without an example are exactly those that no file can
  trigger (E007, checked here with a generated input) and those that no code
  path reports (found by scanning the sources).
* ``docs/cli.md``: one ``## pact NAME`` heading per command of ``pact
  --help`` (and no other), every option, argument and choice of a command in
  its section, and every ``pact …`` line of its ``sh`` blocks runs with the
  exit code it states.
* ``docs/eval-result.schema.json`` is the generated schema, byte for byte.
* ``docs/data.md``: the sample data files load, or fail with exactly the
  messages shown.
* ``docs/architecture.md``: every module of the package is named, and every
  module path it names exists.
* ``README.md``: its commands name only files that exist, and they run.
"""

from __future__ import annotations

import ast as pyast
import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.api import Contract, check_source, load, loads
from pactlang.base.values import Period
from pactlang.cli import main
from pactlang.diagnostics import CODES, Diagnostic, render_text
from pactlang.io.data import DataError, LoadedData, MeasureSpec, load_data
from pactlang.report.results import explanation_lines
from pactlang.report.schema import result_schema
from pactlang.sema.context import BUILTINS
from pactlang.syntax import ast
from pactlang.syntax.grammar import keywords
from pactlang.syntax.parser import MAX_EXPR_DEPTH, MAX_SOURCE_BYTES
from pactlang.testing import run_test

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
SRC = REPO / "src" / "pactlang"
LANGUAGE = DOCS / "language.md"
DIAGNOSTICS = DOCS / "diagnostics.md"
CLI = DOCS / "cli.md"
DATA = DOCS / "data.md"
ARCHITECTURE = DOCS / "architecture.md"
SCHEMA = DOCS / "eval-result.schema.json"
README = REPO / "README.md"

CODE_RE = re.compile(r"[EW]\d{3}")


# ------------------------------------------------------------------ markdown


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string, its text, where it starts and the
    headings it sits under (``## …`` and ``### …``)."""

    info: str
    body: str
    line: int
    h2: str
    h3: str

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.strip() else ""

    @property
    def tags(self) -> list[str]:
        return self.info.split()[1:]

    def ref(self, path: Path) -> str:
        return f"{path.name}:{self.line}"

    @property
    def source(self) -> str:
        """The body, with ``\\u{1b}`` written for characters a page cannot show when
        the block is tagged ``escaped`` (```` ```pact E009 escaped ````)."""
        if "escaped" not in self.tags:
            return self.body
        return re.sub(r"\\u\{([0-9a-fA-F]{1,6})\}", lambda m: chr(int(m.group(1), 16)), self.body)


def blocks(path: Path) -> list[Block]:
    """The top-level fenced blocks of a Markdown file, in order."""
    out: list[Block] = []
    h2 = h3 = ""
    fence: str | None = None
    info = ""
    start = 0
    body: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})(.*)$", line)
            if m:
                fence, info, start, body = m.group(1), m.group(2).strip(), n, []
            elif line.startswith("## "):
                h2, h3 = line[3:].strip(), ""
            elif line.startswith("### "):
                h3 = line[4:].strip()
        elif line.strip() == fence:
            out.append(Block(info, "\n".join(body) + "\n", start, h2, h3))
            fence = None
        else:
            body.append(line)
    assert fence is None, f"{path.name}: a code block opened on line {start} is never closed"
    return out


def _lines_outside_code(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a Markdown file that are not inside a fenced block."""
    fence: str | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^(`{3,}|~{3,})", line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            yield n, line


def _heading(line: str) -> tuple[int, str] | None:
    m = re.match(r"^(#{1,6}) (.+)$", line)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def headings(path: Path, level: int) -> list[str]:
    """Headings of one level, outside code blocks."""
    out = []
    for _, line in _lines_outside_code(path):
        h = _heading(line)
        if h is not None and h[0] == level:
            out.append(h[1])
    return out


def section_text(path: Path, heading: str, level: int = 2) -> str:
    """The text under one heading (code blocks included), up to the next heading
    of the same or a higher level."""
    lines = path.read_text(encoding="utf-8").splitlines()
    marks = [(n, _heading(line)) for n, line in _lines_outside_code(path)]
    starts = [n for n, h in marks if h == (level, heading)]
    assert starts, f"{path.name}: no heading {'#' * level} {heading}"
    start = starts[0]
    ends = [n for n, h in marks if n > start and h is not None and h[0] <= level]
    end = ends[0] if ends else len(lines) + 1
    return "\n".join(lines[start : end - 1])


def first_code_word(text: str) -> str:
    """The first word of a .pact text, skipping comments and blank lines."""
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].strip()
        if stripped:
            return stripped.split()[0]
    return ""


def show(diags: list[Diagnostic], source: str) -> str:
    return render_text(diags, {d.path: source for d in diags})


def errors_of(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.is_error]


# ------------------------------------------------------------ language.md

LANGUAGE_PACT = [b for b in blocks(LANGUAGE) if b.lang == "pact"]


@pytest.mark.parametrize("block", LANGUAGE_PACT, ids=lambda b: b.ref(LANGUAGE))
def test_language_snippet_is_a_complete_file_that_checks(block: Block) -> None:
    assert first_code_word(block.body) == "contract", (
        "every pact block of language.md is a complete file starting with `contract`; "
        "put syntax outlines in `text` blocks"
    )
    res = check_source(block.body, str(LANGUAGE))
    errors = errors_of(res.diagnostics)
    assert not errors, show(errors, block.body)
    # warnings only where the block says which ones it demonstrates: ```pact W001
    allowed = {t for t in block.tags if CODE_RE.fullmatch(t)}
    warned = {d.code for d in res.diagnostics}
    assert warned == allowed, show(res.diagnostics, block.body)


LANGUAGE_TESTED = [b for b in LANGUAGE_PACT if re.search(r'^test "', b.body, re.M)]


@pytest.mark.parametrize("block", LANGUAGE_TESTED, ids=lambda b: b.ref(LANGUAGE))
def test_language_snippet_tests_pass(block: Block) -> None:
    """The expectations written in the reference are what the engine computes."""
    res = check_source(block.body, str(LANGUAGE))
    assert res.ok and res.contract is not None and res.module.contract is not None
    contract = Contract(res.path, res.source, res.module, res.contract, res.diagnostics)
    for test in res.module.tests:
        outcome = run_test(test, res.path, res.source, contract)
        failures = [
            f"line {e.line}: {e.text}: expected {e.expected}, got {e.actual}\n{e.explanation}"
            for e in outcome.expects
            if not e.passed
        ]
        assert outcome.error is None, f"test {outcome.name!r}: {outcome.error}"
        assert not failures, f"test {outcome.name!r}:\n" + "\n".join(failures)
        assert outcome.expects, f"test {outcome.name!r} expects nothing"


def test_the_pages_have_their_examples() -> None:
    """Guards against a parser change that would silently find no block at all."""
    assert len(LANGUAGE_PACT) >= 14 and len(LANGUAGE_TESTED) >= 12
    assert len(EXAMPLES) >= 50 and len(FIXES) >= 50
    assert len(CLI_LINES) >= 25
    assert len(DATA_SAMPLES) >= 6
    assert len(EXPLANATION_SAMPLES) >= 2


def test_language_has_an_example_of_every_function() -> None:
    code = "\n".join(b.body for b in LANGUAGE_PACT)
    missing = sorted(f for f in BUILTINS if not re.search(rf"\b{f}\(", code))
    assert not missing, f"functions without a checked example in language.md: {missing}"


def test_language_lists_the_reserved_keywords() -> None:
    lists = [b for b in blocks(LANGUAGE) if b.lang == "text" and "keywords" in b.tags]
    assert len(lists) == 1, "language.md has one ```text keywords block"
    documented = set(lists[0].body.split())
    assert documented == set(keywords())


def test_language_sections_state_their_choices() -> None:
    text = LANGUAGE.read_text(encoding="utf-8")
    numbered = [h for h in headings(LANGUAGE, 2) if re.match(r"\d+\. ", h)]
    assert len(numbered) >= 10
    for h in numbered:
        body = section_text(LANGUAGE, h)
        assert "### Choices where the requirements are silent" in body, h
    assert text.count("### Choices where the requirements are silent") == len(numbered)


def test_language_states_the_limits_the_code_enforces() -> None:
    text = LANGUAGE.read_text(encoding="utf-8")
    assert f"{MAX_EXPR_DEPTH} levels" in text
    assert f"{MAX_SOURCE_BYTES:,}" in text


def inline_data(test: ast.TestBlock) -> dict[Period, dict[str, object]]:
    """The inline rows of a test block, as the values a data file would give."""
    rows: dict[Period, dict[str, object]] = {}
    for block in test.data:
        assert isinstance(block, ast.InlineData), "explanation samples use inline data"
        for row in block.rows:
            cells = rows.setdefault(row.period.value, {})
            for cell in row.cells:
                v = cell.value
                if isinstance(v, ast.MissingLit):
                    cells[cell.name.name] = None
                elif isinstance(v, ast.MoneyLit):
                    cells[cell.name.name] = v.amount
                else:
                    assert isinstance(v, ast.NumberLit | ast.PercentLit | ast.BoolLit)
                    cells[cell.name.name] = v.value
    return rows


EXPLANATION_SAMPLES = [
    b for b in blocks(LANGUAGE) if b.lang == "text" and b.tags[:1] == ["explanations"]
]


@pytest.mark.parametrize("block", EXPLANATION_SAMPLES, ids=lambda b: b.ref(LANGUAGE))
def test_explanation_samples_are_what_eval_prints(block: Block) -> None:
    source = block.tags[1]
    if source.startswith("language:"):
        title = source.removeprefix("language:")
        [snippet] = [b for b in LANGUAGE_PACT if f'contract "{title}"' in b.body]
        contract = loads(snippet.body, str(LANGUAGE))
        evaluation = contract.evaluate(inline_data(contract.module.tests[0]))  # type: ignore[arg-type]
    else:
        contract_path, data_path = source.split(",")
        contract = load(REPO / contract_path)
        evaluation = contract.evaluate(REPO / data_path)
    printed = explanation_lines(evaluation)
    for line in block.body.splitlines():
        assert line in printed, f"not printed by `pact eval --explain`: {line}"


# --------------------------------------------------------- diagnostics.md

HEADING_RE = re.compile(r"^([EW]\d{3}) — (.+)$")
DIAG_BLOCKS = [b for b in blocks(DIAGNOSTICS) if b.lang == "pact"]


def diagnostic_headings() -> dict[str, str]:
    out: dict[str, str] = {}
    for h in headings(DIAGNOSTICS, 3):
        m = HEADING_RE.match(h)
        assert m, f"diagnostics.md: `### {h}` is not `### CODE — title`"
        assert m.group(1) not in out, f"{m.group(1)} is documented twice"
        out[m.group(1)] = m.group(2)
    return out


def emitted_codes() -> set[str]:
    """Codes some code path reports: the first argument of ``….error(…)`` /
    ``….warning(…)``, a ``code=`` argument, or the first item of a returned tuple."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.name == "diagnostics.py":
            continue
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            candidates: list[pyast.expr] = []
            if isinstance(node, pyast.Call):
                func = node.func
                if isinstance(func, pyast.Attribute) and func.attr in ("error", "warning"):
                    candidates.extend(node.args[:1])
                candidates.extend(k.value for k in node.keywords if k.arg == "code")
            elif isinstance(node, pyast.Return) and isinstance(node.value, pyast.Tuple):
                candidates.extend(node.value.elts[:1])
            for c in candidates:
                if isinstance(c, pyast.Constant) and isinstance(c.value, str):
                    if c.value in CODES:
                        found.add(c.value)
    return found


def test_every_code_has_its_heading_and_title() -> None:
    documented = diagnostic_headings()
    assert set(documented) == set(CODES)
    wrong = {c: (t, CODES[c]) for c, t in documented.items() if t != CODES[c]}
    assert not wrong, f"titles differ from CODES: {wrong}"
    assert list(documented) == sorted(documented), "codes are documented in order"


def test_example_blocks_sit_under_their_code() -> None:
    for b in DIAG_BLOCKS:
        m = HEADING_RE.match(b.h3)
        assert m, f"{b.ref(DIAGNOSTICS)}: a pact block outside a code's section"
        tag = b.tags[0] if b.tags else ""
        assert tag in (m.group(1), "fix"), (
            f"{b.ref(DIAGNOSTICS)}: tag it ```pact {m.group(1)} (an example) or ```pact fix"
        )


EXAMPLES = [b for b in DIAG_BLOCKS if b.tags and CODE_RE.fullmatch(b.tags[0])]
FIXES = [b for b in DIAG_BLOCKS if b.tags[:1] == ["fix"]]


@pytest.mark.parametrize("block", EXAMPLES, ids=lambda b: f"{b.tags[0]}@{b.line}")
def test_diagnostic_example_produces_its_code(block: Block) -> None:
    code = block.tags[0]
    res = check_source(block.source, str(DIAGNOSTICS))
    got = {d.code for d in res.diagnostics}
    assert code in got, show(res.diagnostics, block.body) or "no diagnostics"
    other_errors = {d.code for d in errors_of(res.diagnostics)} - {code}
    assert not other_errors, "a minimal example shows one error:\n" + show(
        res.diagnostics, block.body
    )


@pytest.mark.parametrize("block", FIXES, ids=lambda b: f"fix-{b.h3[:4]}@{b.line}")
def test_diagnostic_fix_checks(block: Block) -> None:
    code = HEADING_RE.match(block.h3).group(1)  # type: ignore[union-attr]
    res = check_source(block.source, str(DIAGNOSTICS))
    assert not errors_of(res.diagnostics), show(res.diagnostics, block.body)
    assert code not in {d.code for d in res.diagnostics}, show(res.diagnostics, block.body)


def test_codes_without_examples_are_explained() -> None:
    with_example = {b.tags[0] for b in EXAMPLES}
    emitted = emitted_codes()
    # E007 (input too large) cannot be shown in a page: it is checked below
    expected = (set(CODES) - emitted) | {"E007"}
    assert set(CODES) - with_example == expected, (
        "every code that a file can trigger has an example; the others are "
        "E007 and the codes no code path reports"
    )
    for code in expected:
        body = section_text(DIAGNOSTICS, f"{code} — {CODES[code]}", level=3)
        assert "not triggered by a file" in body or "never reported" in body, code
    for code in set(CODES) - emitted:
        body = section_text(DIAGNOSTICS, f"{code} — {CODES[code]}", level=3)
        assert "never reported" in body, f"{code}: say that it is reserved, never reported"


def test_input_too_large(tmp_path: Path) -> None:
    from pactlang.api import check_file
    from pactlang.syntax.parser import MAX_STRING_CHARS

    res = check_source("#" * (MAX_SOURCE_BYTES + 1))
    assert [d.code for d in res.diagnostics] == ["E007"]
    big = tmp_path / "big.pact"
    with open(big, "wb") as fh:
        fh.truncate(MAX_SOURCE_BYTES + 1)
    res = check_file(big)
    assert [d.code for d in res.diagnostics] == ["E007"]
    text = 'contract "Demo" {\n  currency EUR\n  party acme "' + "x" * (MAX_STRING_CHARS + 1) + '"\n}\n'
    res = check_source(text)
    assert [(d.code, d.span and (d.span.line, d.span.col)) for d in res.diagnostics] == [("E007", (3, 15))]
    body = section_text(DIAGNOSTICS, f"E007 — {CODES['E007']}", level=3)
    assert f"{MAX_SOURCE_BYTES:,}" in body and f"{MAX_STRING_CHARS:,}" in body


# ----------------------------------------------------------------- cli.md


def commands() -> dict[str, object]:
    return dict(main.commands)  # type: ignore[attr-defined]


def test_every_command_has_its_section() -> None:
    documented = [h[len("pact ") :] for h in headings(CLI, 2) if h.startswith("pact ")]
    assert sorted(documented) == sorted(commands())


@pytest.mark.parametrize("name", sorted(commands()))
def test_command_section_lists_its_options(name: str) -> None:
    import click

    body = section_text(CLI, f"pact {name}")
    cmd = commands()[name]
    assert isinstance(cmd, click.Command)
    for param in cmd.params:
        if isinstance(param, click.Argument):
            shown = param.human_readable_name
            assert shown in body, f"pact {name}: argument {shown} is not documented"
            continue
        for opt in param.opts:
            if opt in ("--help", "-h"):
                continue
            assert re.search(rf"`[^`]*{re.escape(opt)}\b", body), (
                f"pact {name}: option {opt} is not documented (in `code`)"
            )
        if isinstance(param.type, click.Choice):
            for choice in param.type.choices:
                assert re.search(rf"\b{re.escape(str(choice))}\b", body), (
                    f"pact {name}: choice {choice} of {param.opts[0]} is not documented"
                )


def pact_lines(path: Path) -> Iterator[tuple[int, str, int]]:
    """``pact …`` command lines of ``sh`` blocks, with the exit code they state
    (a trailing ``# exit N``; 0 otherwise)."""
    for b in blocks(path):
        if b.lang != "sh":
            continue
        for offset, raw in enumerate(b.body.splitlines(), 1):
            line = raw.strip()
            if not line.startswith("pact "):
                continue
            m = re.search(r"#\s*exit (\d)", line)
            yield b.line + offset, line, int(m.group(1)) if m else 0


OUTPUT_OPTIONS = ("-o", "--output", "--state")


def run_pact_line(line: str, tmp_path: Path) -> int:
    argv = shlex.split(line, comments=True)[1:]
    for i, arg in enumerate(argv[:-1]):
        if arg in OUTPUT_OPTIONS:  # never write into the repository
            argv[i + 1] = str(tmp_path / Path(argv[i + 1]).name)
    if argv[0] == "fmt" and not {"--check", "--diff"} & set(argv):
        pytest.fail(f"{line}: documentation examples must not rewrite files")
    result = CliRunner().invoke(main, argv, env={"NO_COLOR": "1", "COLUMNS": "120"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code


CLI_LINES = list(pact_lines(CLI))


@pytest.mark.parametrize(
    "line,expected",
    [(line, code) for _, line, code in CLI_LINES],
    ids=[f"cli.md:{n}" for n, _, _ in CLI_LINES],
)
def test_cli_examples_run(
    line: str, expected: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert run_pact_line(line, tmp_path) == expected, line


def test_cli_examples_use_existing_commands() -> None:
    for n, line, _ in CLI_LINES:
        assert line.split()[1] in commands(), f"cli.md:{n}: {line}"


def test_result_schema_file_is_generated() -> None:
    expected = json.dumps(result_schema(), indent=2, sort_keys=True) + "\n"
    assert SCHEMA.read_text(encoding="utf-8") == expected, (
        "regenerate docs/eval-result.schema.json from pactlang.report.results.result_schema()"
    )


# ---------------------------------------------------------------- data.md


def data_contract() -> Contract:
    contracts = [b for b in blocks(DATA) if b.lang == "pact"]
    assert len(contracts) == 1, "data.md has one contract, the one its samples are read against"
    res = check_source(contracts[0].body, str(DATA))
    assert res.ok and res.contract is not None, show(res.diagnostics, contracts[0].body)
    return Contract(res.path, res.source, res.module, res.contract, res.diagnostics)


DATA_SAMPLES = [
    b for b in blocks(DATA) if b.lang in ("csv", "json") and b.tags[:1] in (["ok"], ["bad"])
]


def test_data_doc_has_samples() -> None:
    kinds = {(b.lang, b.tags[0]) for b in DATA_SAMPLES}
    assert kinds == {("csv", "ok"), ("csv", "bad"), ("json", "ok"), ("json", "bad")}


@pytest.mark.parametrize("block", DATA_SAMPLES, ids=lambda b: b.ref(DATA))
def test_data_samples(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """```csv ok NAME loads; ```csv bad NAME fails with exactly the lines of the
    ```text block that follows it."""
    contract = data_contract()
    kind, name = block.tags[0], block.tags[1]
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(block.body, encoding="utf-8")
    cc = contract.checked
    specs = [MeasureSpec(n, m.type.name, m.reported) for n, m in cc.measures.items()]
    by = block.tags[2].removeprefix("by=") if len(block.tags) > 2 else None

    def load() -> LoadedData:
        return load_data(
            Path(name), specs, currency=cc.currency, effective=cc.effective, until=cc.until, by=by
        )

    if kind == "ok":
        loaded = load()
        assert loaded.datasets and all(loaded.datasets.values())
        return
    all_blocks = blocks(DATA)
    after = all_blocks[all_blocks.index(block) + 1]
    assert after.lang == "text", f"{block.ref(DATA)}: follow a bad sample with its ```text errors"
    with pytest.raises(DataError) as info:
        load()
    assert [str(p) for p in info.value.problems] == after.body.splitlines()


# --------------------------------------------------------- architecture.md


def test_architecture_names_every_module() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    modules = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if m not in text]
    assert not missing, f"architecture.md does not place these modules: {missing}"


def test_architecture_paths_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for rel in set(
        re.findall(r"\b((?:syntax|sema|engine|analysis|render|report|codegen)/[a-z_]+\.py)\b", text)
    ):
        assert (SRC / rel).is_file(), f"architecture.md names {rel}, which does not exist"
    for rel in set(re.findall(r"`((?:benchmarks|docs|grammar|examples|tests)/[\w./-]+)`", text)):
        assert (REPO / rel).exists(), f"architecture.md names {rel}, which does not exist"


# ----------------------------------------------------------------- README


def readme_commands() -> list[str]:
    """Every ``pact`` command of the README's ``sh`` blocks (also after ``&&``,
    and as ``.venv/bin/pact``), as ``pact …``."""
    out: list[str] = []
    for b in blocks(README):
        if b.lang != "sh":
            continue
        for line in b.body.splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith(".venv/bin/pact "):
                    part = part.removeprefix(".venv/bin/")
                if part.startswith("pact "):
                    out.append(part)
    return out


def path_arguments(line: str) -> Iterator[str]:
    """The input paths a command line names (the outputs of -o/--state excluded)."""
    words = shlex.split(line, comments=True)
    skip = False
    for w in words:
        if skip:
            skip = False
            continue
        if w in OUTPUT_OPTIONS:
            skip = True
            continue
        if w.startswith("-"):
            continue
        if "/" in w or re.search(r"\.(pact|csv|json)$", w):
            yield w


def test_readme_commands_name_existing_files() -> None:
    text = README.read_text(encoding="utf-8")
    assert "## Quick start" in text
    commands_ = readme_commands()
    assert commands_, "README has command examples"
    for line in commands_:
        for p in path_arguments(line):
            assert (REPO / p).exists(), f"README: `{line}` names {p}, which does not exist"


@pytest.mark.parametrize("line", readme_commands())
def test_readme_commands_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert run_pact_line(line, tmp_path) == 0, line


def test_readme_tour_checks() -> None:
    tours = [b for b in blocks(README) if b.lang == "pact"]
    assert tours
    for b in tours:
        res = check_source(b.body, str(README))
        assert not errors_of(res.diagnostics), show(res.diagnostics, b.body)


# -------------------------------------------------------------- running.md

RUNNING = DOCS / "running.md"
RUNNING_LINES = list(pact_lines(RUNNING))


@pytest.mark.parametrize(
    "line,expected",
    [(line, code) for _, line, code in RUNNING_LINES],
    ids=[f"running.md:{n}" for n, _, _ in RUNNING_LINES],
)
def test_running_commands_run(
    line: str, expected: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert run_pact_line(line, tmp_path) == expected, line


def _output_samples(path: Path) -> list[tuple[Block, Block]]:
    """Each ```text block that follows a ```sh block, with that sh block."""
    all_blocks = blocks(path)
    return [
        (prev, b)
        for prev, b in zip(all_blocks, all_blocks[1:], strict=False)
        if prev.lang == "sh" and b.lang == "text"
    ]


@pytest.mark.parametrize("sample", _output_samples(RUNNING), ids=lambda s: s[1].ref(RUNNING))
def test_running_outputs_are_what_the_commands_print(
    sample: tuple[Block, Block], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ```text block after a ```sh block quotes lines its last command prints."""
    monkeypatch.chdir(REPO)
    sh, text = sample
    last = [line for line in sh.body.splitlines() if line.startswith("pact ")][-1]
    argv = shlex.split(last, comments=True)[1:]
    result = CliRunner().invoke(main, argv, env={"NO_COLOR": "1", "COLUMNS": "120"})
    printed = result.stdout.splitlines()
    for line in text.body.splitlines():
        assert line in printed, f"not printed by `{last}`: {line}"


def test_running_journal_excerpts_are_the_example_journal() -> None:
    """The TOML shown on running.md is the example journal's, entry for entry."""
    import tomllib

    journal = tomllib.loads((REPO / "examples" / "journal" / "alliance.toml").read_text("utf-8"))
    excerpts = [b for b in blocks(RUNNING) if b.lang == "toml"]
    assert len(excerpts) >= 3
    for b in excerpts:
        for table, entries in tomllib.loads(b.body).items():
            for entry in entries:
                assert entry in journal[table], f"{b.ref(RUNNING)}: not in the example journal: {entry}"


def test_running_walks_through_the_commands_of_the_issue() -> None:
    commands_ = {line.split()[1] for _, line, _ in RUNNING_LINES}
    assert {"eval", "vote", "calendar", "report", "escalate", "distribute"} <= commands_
    assert any("--format xlsx" in line for _, line, _ in RUNNING_LINES)
