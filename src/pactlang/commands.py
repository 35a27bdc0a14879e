"""What each ``pact`` command does, as functions of the Python API.

``cli.py`` parses options and calls these (through :mod:`pactlang.api`); each
function takes plain values and a :class:`Streams` (where text goes, whether
it has colours) and returns the exit code (docs/cli.md: 0 success, 1 problems
found, 2 bad usage or unreadable input).  A user mistake raises
:class:`CommandError` (or another error :func:`handle_error` knows), never a
traceback.  Heavy modules are imported inside the functions, so ``pact
--help`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pactlang.contract import UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
STDIN = "-"
STDIN_NAME = "<stdin>"


class CommandError(UsageError):
    """A user mistake found by a command: a message, an optional help line, an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE, help: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.help = help


def fail(message: str, code: int = EXIT_USAGE, help: str | None = None) -> NoReturn:
    raise CommandError(message, code, help)


def shown(text: str) -> str:
    """A message for a terminal: control, bidirectional and invisible characters
    (from file names, data, keys) escaped, never printed raw."""
    from pactlang.base.text import escape_controls

    return escape_controls(text)


@dataclass(slots=True)
class Streams:
    """Where a command writes: data on standard output, diagnostics, warnings,
    errors and progress on standard error; whether each stream has colours."""

    color_out: bool = False
    color_err: bool = False
    progress_bars: bool = False
    #: temporary files standing for standard input, and the name shown instead
    aliases: dict[str, str] = field(default_factory=dict)

    def _named(self, text: str) -> str:
        for path, name in self.aliases.items():
            text = text.replace(path, name)
        return text

    def out(self, text: str = "", nl: bool = True) -> None:
        import click

        click.echo(text, nl=nl)

    def data(self, body: bytes) -> None:
        """Bytes on standard output (md, html, ics…), as they are."""
        import click

        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout: the textual formats are UTF-8
            click.echo(body.decode("utf-8"), nl=False)
        else:
            stream.write(body)
            stream.flush()

    def err(self, text: str = "", nl: bool = True) -> None:
        import click

        click.echo(self._named(text), err=True, nl=nl)

    def warn(self, text: object) -> None:
        self.err(f"warning: {shown(self._named(str(text)))}")

    def error(self, message: str, help: str | None = None) -> None:
        self.err(f"error: {shown(self._named(message))}")
        if help:
            self.err(f"  = help: {shown(help)}")

    @contextlib.contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[], None]]:
        """A rich progress bar on standard error (a terminal, more than one step); nothing otherwise."""
        if not (self.progress_bars and total > 1):
            yield lambda: None
            return
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(transient=True, console=Console(stderr=True))
        bar.start()
        try:
            task = bar.add_task(label, total=total)
            yield lambda: bar.advance(task)
        finally:
            bar.stop()


def handle_error(exc: BaseException, streams: Streams) -> int | None:
    """The exit code for a user-caused exception, its message on standard
    error; None for anything else (a bug: let it show)."""
    from pactlang.contract import PactError
    from pactlang.engine.evaluate import EvaluationError
    from pactlang.io.data import DataError
    from pactlang.io.files import FileProblem

    if isinstance(exc, PactError):
        from pactlang.diagnostics import render_text

        sources = {exc.path: exc.source} if exc.source is not None else {}
        streams.err(render_text(exc.diagnostics, sources, streams.color_err))
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        streams.err(f"{shown(exc.path)}: {errors} error(s); nothing evaluated")
        return EXIT_USAGE
    if isinstance(exc, CommandError):
        streams.error(str(exc), exc.help)
        return exc.code
    if isinstance(exc, RecursionError):
        streams.error("input nested too deeply")
        return EXIT_USAGE
    if isinstance(exc, (UsageError, DataError, EvaluationError, FileProblem)):
        streams.error(str(exc))
        return EXIT_USAGE
    return None


# ------------------------------------------------------------- standard input


def read_stdin_limited(limit: int) -> bytes:
    """At most ``limit`` bytes of standard input (one more tells it is too large)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (tests)
        return sys.stdin.read(limit + 1).encode("utf-8")[: limit + 1]
    data: bytes = stream.read(limit + 1)
    return data


def one_stdin(**inputs: str | Sequence[str] | None) -> None:
    """At most one input of a command is ``-``: standard input is read once."""
    dashes: list[str] = []
    for option, value in inputs.items():
        values = [value] if isinstance(value, str) else list(value or ())
        name = "--" + option[2:] if option.startswith("__") else option
        dashes.extend(name for v in values if v == STDIN)
    if len(dashes) > 1:
        fail(
            "only one input can be read from standard input (`-`); "
            f"{' and '.join(dict.fromkeys(dashes))} both ask for it",
            help="save one of them to a file",
        )


@contextlib.contextmanager
def spooled(path: str | None, streams: Streams) -> Iterator[str | None]:
    """A data or journal path as the readers want it: ``-`` is standard input
    copied to a temporary file (deleted at the end), named ``<stdin>`` in messages."""
    if path != STDIN:
        yield path
        return
    import tempfile

    from pactlang.io.data import MAX_FILE_BYTES

    with tempfile.TemporaryDirectory(prefix="pact-stdin-") as folder:
        tmp = os.path.join(folder, STDIN_NAME)
        body = read_stdin_limited(MAX_FILE_BYTES)
        with open(tmp, "wb") as fh:
            fh.write(body)
        streams.aliases[tmp] = STDIN_NAME  # kept: the error that ends the command names it too
        yield tmp


def is_stdout(output: str | None) -> bool:
    return output is None or output == STDIN


def with_amended(contract: str) -> list[str]:
    """A contract argument and the versions its ``amends`` chain reads: all are
    inputs of the command, which an output must not overwrite."""
    if contract == STDIN:
        return [contract]
    from pactlang.amends import amended_files

    return [contract, *amended_files(contract)]


def refuse(output: str | None, inputs: Sequence[str | None]) -> None:
    """An output file that is one of the inputs is refused before any work."""
    if is_stdout(output):
        return
    from pactlang.io.files import refuse_inputs

    assert output is not None
    refuse_inputs(output, [p for p in inputs if p and p != STDIN])


def write_to(output: str | None, data: bytes, inputs: Sequence[str | None], streams: Streams) -> None:
    """An output: standard output for ``-`` (or none), else a file (:mod:`pactlang.io.files`)."""
    if is_stdout(output):
        streams.data(data)
        return
    from pactlang.io.files import write_bytes

    assert output is not None
    write_bytes(output, data, inputs=[p for p in inputs if p and p != STDIN])


def pact_files(paths: Sequence[str]) -> Iterator[str]:
    """Expand directories to the ``.pact`` files below them, sorted; ``-`` is standard input."""
    for raw in paths:
        if raw == STDIN:
            yield raw
            continue
        p = Path(raw)
        if p.is_dir():
            yield from sorted(str(q) for q in p.rglob("*.pact") if q.is_file())
        elif p.exists():
            yield raw
        else:
            fail(f"{raw}: no such file or directory")


def parse_period(text: str | None, option: str) -> Any:
    if text is None:
        return None
    from pactlang.base.values import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def parse_date(text: str, option: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: `{text}` is not a date (YYYY-MM-DD)")


# ------------------------------------------------------------------ check, fmt, test


def check_command(paths: Sequence[str], fmt: str, streams: Streams) -> int:
    """``pact check``: every diagnostic of every file; exit 1 on errors."""
    from pactlang.base.version import __version__
    from pactlang.contract import check_file
    from pactlang.diagnostics import render_json, render_sarif, render_text

    one_stdin(PATH=list(paths))
    files = list(pact_files(paths))
    if not files:
        fail("no .pact files found")
    diags = []
    sources: dict[str, str] = {}
    unreadable = False
    for f in files:
        try:
            res = check_file(f)
        except UsageError as exc:
            streams.error(str(exc))
            unreadable = True
            continue
        sources[res.path] = res.source
        diags.extend(res.diagnostics)
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    checked = len(sources)
    if fmt == "json":
        streams.out(render_json(diags))
    elif fmt == "sarif":
        streams.out(render_sarif(diags, __version__))
    else:
        if diags:
            streams.out(render_text(diags, sources, streams.color_out))
        if checked:  # no "0 error(s)" line about files that could not be read
            summary = f"checked {checked} file(s): {errors} error(s), {warnings} warning(s)"
            if checked < len(files):
                summary += f"; {len(files) - checked} file(s) could not be read"
            streams.err(summary)
    if unreadable:
        return EXIT_USAGE
    return EXIT_PROBLEMS if errors else EXIT_OK


def fmt_command(paths: Sequence[str], check_only: bool, diff: bool, streams: Streams) -> int:
    """``pact fmt``: the canonical layout; ``-`` formats standard input to standard output."""
    import difflib

    from pactlang.contract import read_source
    from pactlang.diagnostics import render_text
    from pactlang.io.files import FileProblem, write_text
    from pactlang.syntax.format import FormatError, format_source

    one_stdin(PATH=list(paths))
    changed = 0
    broken = False
    unwritable = False
    for f in pact_files(paths):
        src = read_source(f)
        try:
            out = format_source(src.text, src.path)
        except FormatError as exc:
            streams.err(render_text(exc.diagnostics, {src.path: src.text}, streams.color_err))
            streams.err(f"{shown(src.path)}: does not parse; left untouched")
            broken = True
            continue
        if f == STDIN and not (check_only or diff):
            streams.out(out, nl=False)  # a filter: the whole text, changed or not
            continue
        if out == src.text:
            continue
        changed += 1
        if diff:
            lines = difflib.unified_diff(
                _diff_lines(src.text), _diff_lines(out), fromfile=f"a/{src.path}", tofile=f"b/{src.path}"
            )
            streams.out("".join(lines), nl=False)
        elif check_only:
            streams.out(f"would reformat {shown(src.path)}")
        else:
            try:
                write_text(src.path, out)
            except FileProblem as exc:
                streams.error(str(exc))
                unwritable = True
                continue
            streams.err(f"reformatted {shown(src.path)}")
    if unwritable:
        return EXIT_USAGE
    if broken:
        return EXIT_PROBLEMS
    if (check_only or diff) and changed:
        return EXIT_PROBLEMS
    return EXIT_OK


def _diff_lines(text: str) -> list[str]:
    """Lines for ``fmt --diff``: split where the parser splits them, each ending with
    a newline; a CR of the line end, and any control character, shown escaped."""
    import re

    from pactlang.base.text import escape_controls

    pieces = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    return [escape_controls(p.removesuffix("\n"), newlines=False) + "\n" for p in pieces]


def test_command(paths: Sequence[str], keyword: str | None, fmt: str, streams: Streams) -> int:
    """``pact test``: the ``test`` blocks of files."""
    from pactlang.testing import run_paths

    if STDIN in paths:
        fail("pact test reads files (a test file names the contract beside it): `-` is not accepted")
    return run_paths(list(pact_files(paths)), keyword, fmt, color=streams.color_out)


# ------------------------------------------------------------------ small commands


def _json(doc: object) -> str:
    import json

    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


def schema_command(contract: str | None, journal: bool, streams: Streams) -> int:
    from pactlang.contract import load
    from pactlang.io.journal import journal_json_schema

    if journal:
        streams.out(_json(journal_json_schema()))
        return EXIT_OK
    if contract is None:
        fail("give a CONTRACT (or --journal for the journal's schema)")
    streams.out(_json(load(contract).data_schema()))
    return EXIT_OK


def vote_command(contract: str, target: str, ballot: str, round_: int | None, fmt: str, streams: Streams) -> int:
    from pactlang.contract import load, parse_ballot
    from pactlang.kernel import committees as C

    c = load(contract)
    committee_name, _, decision = target.partition(".")
    if not decision:
        fail(f"{target}: expected COMMITTEE.DECISION", help=c.decision_hint(target))
    if committee_name not in c.checked.committees:
        fail(f"no committee `{committee_name}` (committees: {', '.join(c.checked.committees) or 'none'})")
    votes = parse_ballot(ballot)
    try:
        result = C.cast(c.program.committee(committee_name), decision, votes, round_)
    except C.CommitteeError as exc:
        fail(str(exc))
    from pactlang.present.ballot_text import explain_vote, vote_json

    streams.out(_json(vote_json(result)) if fmt == "json" else explain_vote(result))
    return EXIT_OK


def analyze_command(contract: str, fmt: str, fail_on: str | None, streams: Streams) -> int:
    from pactlang.analysis import render_analysis_text
    from pactlang.contract import analyze_file

    report = analyze_file(contract)
    streams.out(_json(report.to_json()) if fmt == "json" else render_analysis_text(report))
    return EXIT_PROBLEMS if fail_on and report.findings else EXIT_OK


def escalate_command(
    contract: str,
    ladder: str,
    opened: str,
    as_of: str | None,
    events: Sequence[str],
    journal_path: str | None,
    fmt: str,
    streams: Streams,
) -> int:
    """``pact escalate``: the plan of a dispute's ladder; with ``--as-of``, where it stands that day."""
    from pactlang.contract import load

    one_stdin(CONTRACT=contract, __journal=journal_path)
    c = load(contract)
    if ladder not in c.checked.escalations:
        fail(f"no escalation ladder `{ladder}` (ladders: {', '.join(c.checked.escalations) or 'none'})")
    opened_d = parse_date(opened, "--opened")
    as_of_d = parse_date(as_of, "--as-of") if as_of else None
    given = []
    for raw in events:
        parts = raw.split(":")
        if len(parts) != 3 or parts[1] not in ("failed", "resolved"):
            fail(f"--event {raw}: expected STEP:failed|resolved:YYYY-MM-DD")
        given.append((parts[0], parts[1], parse_date(parts[2], "--event")))
    with spooled(journal_path, streams) as journal:
        tl = c.escalate(ladder, opened_d, given, as_of=as_of_d, journal=journal)
    if fmt == "json":
        streams.out(_json(tl.to_json()))
        return EXIT_OK
    from pactlang.present.tables import print_table

    rows = [
        [str(s.index + 1), s.name, str(s.start or "—"), str(s.deadline or ("final" if s.start else "—")),
         s.outcome if as_of_d is not None else PLANNED.get(s.outcome, s.outcome)]
        for s in tl.steps
    ]
    print_table(
        f"Escalation {ladder}, opened {opened_d}", ["#", "step", "start", "deadline", "outcome"], rows,
        color=streams.color_out,
    )
    if as_of_d is not None:
        streams.out(f"state on {as_of_d}: {tl.state_on(as_of_d)}")
    else:
        streams.out("no --as-of date: the plan only; no deadline is judged (give --as-of DATE to see where it stands)")
    explanation = tl.explain()
    if as_of_d is None:  # the plan: no step is said to be active on a day nobody gave
        explanation = "\n".join(line.removesuffix("; active") for line in explanation.splitlines())
    streams.out(explanation)
    return EXIT_OK


#: without ``--as-of``, what the plan says instead of a judgement on a date
PLANNED = {"deadline passed": "escalates at the deadline if unresolved", "active": "final step"}


def distribute_command(
    contract: str,
    waterfall: str,
    amount: str,
    state_path: str | None,
    journal_path: str | None,
    lock_timeout: float,
    fmt: str,
    streams: Streams,
) -> int:
    """``pact distribute``: one distribution, from a state file, a journal or nothing."""
    from pactlang.contract import load
    from pactlang.engine.distribute import DistributeError, distribute_state
    from pactlang.io.cells import AMOUNT_FORMS, AmountError, parse_amount
    from pactlang.io.state import StateFile, open_state

    one_stdin(CONTRACT=contract, __journal=journal_path)
    if state_path == STDIN:
        fail("--state is read and rewritten: it cannot be `-`")
    c = load(contract)
    if waterfall not in c.checked.waterfalls:
        fail(f"no waterfall `{waterfall}` (waterfalls: {', '.join(c.checked.waterfalls) or 'none'})")
    try:
        value = parse_amount(amount, c.checked.currency)
    except AmountError as exc:
        fail(f"--amount: {exc}", help=f"write the amount as {AMOUNT_FORMS}")
    if journal_path:
        if state_path:
            fail("--state and --journal: the position comes from one of them, not both")
        with spooled(journal_path, streams) as journal:
            dist, _ = c.distribute(waterfall, value, journal=journal)
    else:
        with contextlib.ExitStack() as stack:
            sf: StateFile | None = None
            if state_path:
                inputs = with_amended(contract) if contract != STDIN else []
                sf = stack.enter_context(open_state(state_path, inputs=inputs, timeout=lock_timeout))
            try:
                dist, new_state = distribute_state(c.program, waterfall, value, sf.state if sf else None)
            except DistributeError as exc:
                fail(str(exc))
            if sf is not None:
                sf.save(new_state)
    from pactlang.present.waterfall_text import distribution_json, month_lines

    plan = c.program.plans[waterfall]
    if fmt == "json":
        streams.out(_json(distribution_json(dist, plan, numbered=True)))
        return EXIT_OK
    # outside a timeline a distribution has a sequence number, not a month
    streams.out("\n".join(month_lines(dist, plan, numbered=True)))
    return EXIT_OK


# ------------------------------------------------------------------ documents


def _files_below(folder: str | None) -> list[str]:
    """Every file below a folder (the inputs an output must not overwrite)."""
    if folder is None:
        return []
    return sorted(str(p) for p in Path(folder).rglob("*") if p.is_file())


def render_command(
    contract: str,
    lang: str | None,
    fmt: str | None,
    output: str | None,
    template_dir: str | None,
    notes: bool,
    streams: Streams,
) -> int:
    """``pact render``: the annex, to standard output or a file."""
    import jinja2

    from pactlang.contract import load
    from pactlang.render import PdfUnavailable, RenderError, render_full

    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output and output != STDIN else ""
        fmt = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx", "pdf": "pdf"}.get(suffix, "md")
    if fmt in ("docx", "pdf") and output is None:
        fail(f"--format {fmt} is a binary format: give an output file with -o FILE (or -o - for standard output)")
    inputs = [*with_amended(contract), *_files_below(template_dir)]
    refuse(output, inputs)  # before any work
    c = load(contract)
    try:
        result = render_full(c, lang, fmt, template_dir=template_dir, notes=notes)
    except PdfUnavailable as exc:
        fail(str(exc))
    except RenderError as exc:
        fail(f"{contract}: {exc}")
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        fail(f"template error{where}: {exc}")
    for w in result.warnings:
        streams.warn(w)
    write_to(output, result.data, inputs, streams)
    return EXIT_OK


def compile_command(contract: str, output: str | None, target: str, dialect: str, streams: Streams) -> int:
    """``pact compile``: a Python module or an SQL script."""
    from pactlang.codegen import CodegenError, compile_module_source
    from pactlang.contract import compile_sql, load

    inputs = with_amended(contract)
    refuse(output, inputs)  # before any work
    c = load(contract)
    if target == "sql":
        source, left = compile_sql(c, dialect)
        for item in left:
            streams.err(f"{contract}: not in the SQL script: {item}")
    else:
        try:
            source = compile_module_source(c)
        except CodegenError as exc:
            fail(f"{contract}: cannot compile: {exc}", EXIT_PROBLEMS)
    write_to(output, source.encode("utf-8"), inputs, streams)
    if not is_stdout(output):
        streams.err(f"wrote {shown(str(output))}")
    return EXIT_OK


def diff_command(
    old: str,
    new: str,
    data_path: str | None,
    lang: str | None,
    fmt: str,
    output: str | None,
    strict: bool,
    streams: Streams,
) -> int:
    """``pact diff``: the changes in meaning (and month by month); exit 1 when they differ."""
    from pactlang.versions import diff, redline

    one_stdin(OLD=old, NEW=new, __data=data_path)
    if fmt == "docx" and output is None:
        fail("--format docx is a binary format: give an output file with -o FILE")
    inputs = [*with_amended(old), *with_amended(new), data_path]
    refuse(output, inputs)  # before any work
    with spooled(data_path, streams) as data:
        result = diff(old, new, data, strict=strict)
    for w in result.warnings:
        streams.warn(w)
    if fmt in ("html", "docx"):
        doc = redline(old, new, result, lang=lang, fmt=fmt)
        for w in doc.warnings:
            streams.warn(w)
        body = doc.data
    elif fmt == "json":
        body = (result.json() + "\n").encode("utf-8")
    else:
        body = (result.text() + "\n").encode("utf-8")
    write_to(output, body, inputs, streams)
    if not is_stdout(output):
        streams.err(f"wrote {shown(str(output))}")
    return EXIT_PROBLEMS if result.differ else EXIT_OK


def calendar_command(
    contract: str,
    data_path: str | None,
    by: str | None,
    journal_path: str | None,
    from_: str | None,
    to: str | None,
    fmt: str,
    lang: str | None,
    output: str | None,
    streams: Streams,
) -> int:
    """``pact calendar``: every dated obligation as iCalendar, CSV or JSON."""
    from pactlang.contract import load

    one_stdin(CONTRACT=contract, __data=data_path, __journal=journal_path)
    inputs = [*with_amended(contract), data_path, journal_path]
    refuse(output, inputs)  # before any work
    c = load(contract)
    with spooled(data_path, streams) as data, spooled(journal_path, streams) as journal:
        out = c.calendar(
            fmt,
            data=data,
            by=by,
            journal=journal,
            start=parse_date(from_, "--from") if from_ else None,
            end=parse_date(to, "--to") if to else None,
            lang=lang,
        )
    for w in out.warnings:
        streams.warn(w)
    write_to(output, out.data, inputs, streams)
    if not is_stdout(output):
        streams.err(f"wrote {shown(str(output))} ({len(out.obligations)} event(s))")
    return EXIT_OK
