"""The ``pact`` command line: options parsed here, everything else done by
:mod:`pactlang.api` (which this module alone imports from the package, with
:mod:`pactlang.cli_support`).

Exit codes (docs/cli.md): 0 success; 1 the command ran and found problems; 2
bad usage or unreadable input.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from pactlang import api
from pactlang.cli_support import (
    COLOR_CHOICES,
    ConfigError,
    completion_script,
    default_map,
    find_config,
    load_config,
    lsp_command,
    streams_for,
)

F = TypeVar("F", bound=Callable[..., Any])


def _example(*lines: str) -> str:
    """An epilog with examples, kept as written (click's ``\\b``)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _command(fn: Callable[..., int]) -> Callable[..., None]:
    """Run an API command with the streams of ``--color``; user mistakes become
    a message and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        ctx = click.get_current_context()
        streams = streams_for((ctx.find_root().obj or {}).get("color", "auto"))
        try:
            code = fn(*args, streams=streams, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handle_error re-raises what is not a user mistake
            handled = api.handle_error(exc, streams)
            if handled is None:
                raise
            code = handled
        sys.exit(code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_example(
    "pact check examples/contracts/",
    "cat contract.pact | pact check -",
    "pact --color never eval contract.pact --data data.csv",
))
@click.version_option(package_name="pactlang", prog_name="pact")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Colours: auto (a terminal, NO_COLOR unset), always or never.")
@click.option("--calendar", "calendar", metavar="CC", default=None,
              help="Public holidays of country CC for contracts that state no `calendar` line.")
@click.pass_context
def main(ctx: click.Context, color: str, calendar: str | None) -> None:
    """pact — contract logic as code: check, evaluate, explain and render .pact contracts.

    Defaults for any option can be set in `[tool.pact]` of pyproject.toml or in
    pact.toml (docs/cli.md, "Configuration"); options given here win.
    """
    ctx.obj = {"color": color}
    found = find_config()
    if found is not None:  # a bad file is a ConfigError: "error: FILE: KEY: …", exit 2
        table = dict(load_config(found))
        # `calendar = "FR"` (a default of `pact --calendar`); `[tool.pact.calendar]` is the command's table
        configured = table.pop("calendar") if not isinstance(table.get("calendar", {}), dict) else None
        ctx.default_map = default_map(main, found, table)
        if configured is not None and calendar is None:
            if not isinstance(configured, str):
                raise ConfigError(f"{found}: calendar: expected a string, got {configured!r}")
            try:
                ctx.call_on_close(api.default_calendar(configured))
            except api.UsageError as exc:
                raise ConfigError(f"{found}: {exc}") from None
    if calendar is not None:
        try:
            ctx.call_on_close(api.default_calendar(calendar))
        except api.UsageError as exc:
            raise click.BadParameter(str(exc).removeprefix("calendar: "), param_hint="'--calendar'") from None


# ------------------------------------------------------------------ check, fmt, test


@main.command(epilog=_example("pact check examples/contracts/alliance.pact", "pact check --format sarif src/ > pact.sarif", "cat alliance.pact | pact check -"))
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text")
@_command
def check(paths: tuple[str, ...], fmt: str, streams: api.Streams) -> int:
    """Parse, resolve names, type-check and lint .pact files (`-`: standard input)."""
    return api.check_command(paths, fmt, streams)


@main.command(epilog=_example("pact fmt --check examples/contracts/", "pact fmt --diff alliance.pact", "cat alliance.pact | pact fmt - > formatted.pact"))
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when a file would change; write nothing.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@_command
def fmt(paths: tuple[str, ...], check_only: bool, diff: bool, streams: api.Streams) -> int:
    """Rewrite files in the canonical layout (comments kept); `-` formats standard input to standard output."""
    return api.fmt_command(paths, check_only, diff, streams)


@main.command(epilog=_example("pact test examples/contracts/", "pact test alliance.test.pact -k floor --format junit"))
@click.argument("paths", nargs=-1, required=True)
@click.option("-k", "keyword", help="Only tests whose name contains this text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text")
@_command
def test(paths: tuple[str, ...], keyword: str | None, fmt: str, streams: api.Streams) -> int:
    """Run the `test` blocks of .pact files."""
    return api.test_command(paths, keyword, fmt, streams)


# ------------------------------------------------------------------- eval


@main.command(name="eval", epilog=_example(
    "pact eval alliance.pact --data alliance.csv --from 2026-03 --to 2026-06",
    "pact eval alliance.pact --data alliance.csv --explain            # rounded for reading",
    "pact eval alliance.pact --data alliance.csv --explain --exact    # every digit",
    "cat alliance.csv | pact eval alliance.pact --data - --format json",
))
@click.argument("contract")
@click.option("--data", "data_path", required=True, help="CSV or JSON monthly data (`-`: standard input).")
@click.option("--from", "from_", metavar="YYYY-MM", help="First month to show.")
@click.option("--to", metavar="YYYY-MM", help="Last month to show.")
@click.option("--by", metavar="KEY", help="Evaluate one contract per value of this key column.")
@click.option("--explain", is_flag=True, help="Show how every value was computed (long decimals rounded for reading).")
@click.option("--exact", is_flag=True, help="With --explain: every digit of every value, nothing rounded.")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@click.option("--fail-on", type=click.Choice(["breach", "watch", "no-data"]), help="Exit 1 if this status occurs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv", "parquet", "xlsx"]), default="text")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): shown next to what is computed.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write to this file (required for xlsx and parquet; default or `-`: standard output).")
@click.option("--engine", type=click.Choice(["interpreter", "duckdb", "spark"]), default="interpreter", help="Where the evaluation runs (docs/engines.md).")
@click.option("--spark-master", metavar="URL", default=None, help="Spark master for --engine spark (default: SPARK_REMOTE, else local[2]).")
@_command
def eval_(contract: str, data_path: str, from_: str | None, to: str | None, by: str | None, explain: bool, exact: bool,
          strict: bool, fail_on: str | None, fmt: str, journal_path: str | None, output: str | None, engine: str,
          spark_master: str | None, streams: api.Streams) -> int:
    """Evaluate a contract month by month over measurement data."""
    return api.eval_command(
        contract, data_path, from_=from_, to=to, by=by, explain=explain, exact=exact, strict=strict, fail_on=fail_on,
        fmt=fmt, journal_path=journal_path, output=output, engine=engine, spark_master=spark_master, streams=streams,
    )


# ----------------------------------------------------------------- schema, vote, analyze


@main.command(epilog=_example("pact schema alliance.pact > data.schema.json", "pact schema --journal"))
@click.argument("contract", required=False)
@click.option("--journal", "journal", is_flag=True, help="The JSON Schema of a journal file instead (no contract needed).")
@_command
def schema(contract: str | None, journal: bool, streams: api.Streams) -> int:
    """JSON Schema of the contract's monthly data (or, with --journal, of a journal)."""
    return api.schema_command(contract, journal, streams)


@main.command(epilog=_example("pact vote alliance.pact steering.budget --ballot acme=yes,orbis=no"))
@click.argument("contract")
@click.argument("target", metavar="COMMITTEE.DECISION")
@click.option("--ballot", required=True, help="Votes: acme=yes,orbis=no (yes|no|abstain|absent).")
@click.option("--round", "round_", type=int, default=None, help="Consensus round number (default 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_command
def vote(contract: str, target: str, ballot: str, round_: int | None, fmt: str, streams: api.Streams) -> int:
    """One vote's outcome, with the arithmetic shown."""
    return api.vote_command(contract, target, ballot, round_, fmt, streams)


@main.command(epilog=_example("pact analyze alliance.pact", "pact analyze alliance.pact --fail-on warning --format json"))
@click.argument("contract")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--fail-on", type=click.Choice(["warning"]), help="Exit 1 when there is any finding.")
@_command
def analyze(contract: str, fmt: str, fail_on: str | None, streams: api.Streams) -> int:
    """Voting power, effective vetoes, threshold and waterfall findings, unused declarations."""
    return api.analyze_command(contract, fmt, fail_on, streams)


# --------------------------------------------------------------- escalate, distribute


@main.command(epilog=_example(
    "pact escalate alliance.pact disputes --opened 2026-05-31                      # the plan",
    "pact escalate alliance.pact disputes --opened 2026-05-31 --as-of 2026-07-20   # where it stands",
))
@click.argument("contract")
@click.argument("ladder")
@click.option("--opened", required=True, metavar="DATE", help="Date the dispute was opened (YYYY-MM-DD).")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the deadlines on this date (without it: the plan only).")
@click.option("--event", "events", multiple=True, metavar="STEP:failed|resolved:DATE")
@click.option("--journal", "journal_path", metavar="FILE", help="Add the events the journal records for this dispute (same ladder, same opening day).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_command
def escalate(contract: str, ladder: str, opened: str, as_of: str | None, events: tuple[str, ...], journal_path: str | None,
             fmt: str, streams: api.Streams) -> int:
    """The dispute timeline: the plan of steps and deadlines; with --as-of, the active step."""
    return api.escalate_command(contract, ladder, opened, as_of, events, journal_path, fmt, streams)


@main.command(epilog=_example("pact distribute alliance.pact fund --amount '250 000 EUR'", "pact distribute alliance.pact fund --amount 250000 --state fund.json"))
@click.argument("contract")
@click.argument("waterfall")
@click.option("--amount", required=True, help="Amount to distribute, in the contract currency.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), help="Cumulative position: read, then updated atomically, under a lock.")
@click.option("--journal", "journal_path", metavar="FILE", help="Start from the distributions the journal records (instead of --state).")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS", help="How long to wait for another run holding the --state file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_command
def distribute(contract: str, waterfall: str, amount: str, state_path: str | None, journal_path: str | None, lock_timeout: float,
               fmt: str, streams: api.Streams) -> int:
    """One distribution through a waterfall, tier by tier."""
    return api.distribute_command(contract, waterfall, amount, state_path, journal_path, lock_timeout, fmt, streams)


# ----------------------------------------------------------------- documents


@main.command(name="render", epilog=_example("pact render alliance.pact --lang en -o annex.html", "pact render alliance.pact --format pdf -o annex.pdf", "pact render alliance.pact -o - | less"))
@click.argument("contract")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the annex (default: the contract's `language`).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "pdf"]), default=None, help="Output format (default: from the -o extension, else md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write the annex to this file (required for docx and pdf; `-`: standard output).")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False), default=None, help="Templates here replace the packaged ones of the same name.")
@click.option("--notes", is_flag=True, default=False, help="Add the negotiator's notes (voting power, implied vetoes, rules that never apply); the annex for signature has none.")
@_command
def render_cmd(contract: str, lang: str | None, fmt: str | None, output: str | None, template_dir: str | None, notes: bool,
               streams: api.Streams) -> int:
    """The human-readable contract annex: Markdown, HTML, DOCX or PDF."""
    return api.render_command(contract, lang, fmt, output, template_dir, notes, streams)


@main.command(name="report", epilog=_example("pact report alliance.pact --data alliance.csv -o report.html", "pact report alliance.pact --data portfolio.csv --by partner -o report.xlsx"))
@click.argument("contract")
@click.option("--data", "data_path", required=True, help="CSV or JSON monthly data (`-`: standard input).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True), help="The HTML (or XLSX) file to write (`-`: standard output).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the report (default: the contract's `language`).")
@click.option("--by", metavar="KEY", help="A portfolio: one section per value of this key column, and a summary.")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): votes, payments, dispute events, shown next to what is computed.")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx"]), default=None, help="html (default; xlsx when -o ends in .xlsx) or the workbook for finance.")
@_command
def report_cmd(contract: str, data_path: str, output: str, lang: str | None, by: str | None, strict: bool,
               journal_path: str | None, fmt: str | None, streams: api.Streams) -> int:
    """A self-contained HTML evaluation report a steering committee can read."""
    return api.report_command(contract, data_path, output, lang, by, strict, journal_path, fmt, streams)


@main.command(name="calendar", epilog=_example("pact calendar alliance.pact --data alliance.csv -o alliance.ics", "pact calendar alliance.pact --format csv --from 2026-01-01 --to 2026-06-30"))
@click.argument("contract")
@click.option("--data", "data_path", metavar="FILE", help="Monthly data: the disputes its thresholds open (`-`: standard input).")
@click.option("--by", metavar="KEY", help="A portfolio: the disputes of each value of this key column.")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): dispute events, amendments.")
@click.option("--from", "from_", metavar="DATE", help="First day (default: the contract's effective date).")
@click.option("--to", metavar="DATE", help="Last day (default: the end of the term).")
@click.option("--format", "fmt", type=click.Choice(["ics", "csv", "json"]), default="ics")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the event titles (default: the contract's `language`).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write to this file (default or `-`: standard output).")
@_command
def calendar_cmd(contract: str, data_path: str | None, by: str | None, journal_path: str | None, from_: str | None, to: str | None,
                 fmt: str, lang: str | None, output: str | None, streams: api.Streams) -> int:
    """Every dated obligation: meetings, reports, dispute deadlines, term end."""
    return api.calendar_command(contract, data_path, by, journal_path, from_, to, fmt, lang, output, streams)


@main.command(name="compile", epilog=_example("pact compile alliance.pact -o alliance_contract.py", "pact compile alliance.pact --target sql --dialect postgres"))
@click.argument("contract")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write the module to this file (default or `-`: standard output).")
@click.option("--target", type=click.Choice(["python", "sql"]), default="python", help="A Python module (default) or an SQL script.")
@click.option("--dialect", type=click.Choice(["duckdb", "spark", "postgres"]), default="duckdb", help="The SQL dialect of --target sql.")
@_command
def compile_cmd(contract: str, output: str | None, target: str, dialect: str, streams: api.Streams) -> int:
    """A standalone Python module, or an SQL script, that evaluates the contract like `pact eval`."""
    return api.compile_command(contract, output, target, dialect, streams)


@main.command(name="diff", epilog=_example("pact diff v1.pact v2.pact", "pact diff v1.pact v2.pact --data alliance.csv --format json", "pact diff v1.pact v2.pact --format html -o redline.html"))
@click.argument("old")
@click.argument("new")
@click.option("--data", "data_path", default=None, help="CSV or JSON monthly data: also show how each month changes (`-`: standard input).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the redlined annex (default: the new version's `language`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "docx"]), default="text", help="text and json: the changes; html and docx: the redlined annex.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Write to this file (required for docx; `-`: standard output).")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@_command
def diff_cmd(old: str, new: str, data_path: str | None, lang: str | None, fmt: str, output: str | None, strict: bool,
             streams: api.Streams) -> int:
    """What changed between two versions of a contract; exit 1 when they differ."""
    return api.diff_command(old, new, data_path, lang, fmt, output, strict, streams)


# ------------------------------------------------------------------ tools


@main.command(name="lsp", epilog=_example("pact lsp    # started by the editor"))
def lsp_cmd() -> None:
    """The language server for editors, on standard input and output."""
    _command(lambda streams: lsp_command())()


@main.command(name="completion", epilog=_example(
    "pact completion bash > ~/.local/share/bash-completion/completions/pact",
    "pact completion zsh > ~/.zfunc/_pact",
    "pact completion fish > ~/.config/fish/completions/pact.fish",
))
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_cmd(shell: str) -> None:
    """Print the shell completion script of `pact` for bash, zsh or fish."""
    click.echo(completion_script(main, shell), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="pact")  # `python -m pactlang.cli`: the same name, the same _PACT_COMPLETE
