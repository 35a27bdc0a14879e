#!/usr/bin/env python3
"""Fuzz the ``pact`` command line: mutated contracts, data files and state files.

    python scripts/fuzz_cli.py [--contracts 10000] [--data 1000] [--states 1000]
                               [--subprocess 300] [--workers 2] [--seed 1]
                               [--out fuzz-out] [--markdown FILE]

Every case is a set of input files made by mutating a real one (the example
contracts, the engine fixtures and their data, state files written by ``pact
distribute``) and one or two CLI invocations on them:

* **contracts**: ``check`` and one more command chosen by the case (``fmt``,
  ``fmt --diff``, ``eval`` with the seed's data, ``render`` md/html/docx and
  ``--notes``, ``analyze``, ``schema``, ``test``, ``compile``, ``distribute``,
  ``vote``, ``escalate``, ``calendar``, ``diff`` against the seed);
* **data files**: ``eval`` (sometimes ``--by``, ``--strict``, JSON, or
  ``report``) of the seed contract on a mutated CSV or JSON file, or on its
  data with a mutated journal (``--journal``);
* **state files**: ``pact distribute --state`` on a mutated state.

Mutations are deterministic (``--seed``): deletions, duplications (up to
thousands of lines), hostile characters (controls, ESC, NUL, bidi overrides,
zero-width, U+2028, lone CR, invalid UTF-8, BOM), boundary numbers
(``1e999999999``, 5,000 digits, ``NaN``), deep nesting, huge strings, type
changes in JSON, truncation, line swaps, splices from other files.

Cases run **in-process** through click's ``CliRunner`` in worker processes
limited to 1 GiB of address space (``RLIMIT_AS``), each invocation under a
10 s CPU-time alarm (``ITIMER_PROF``: on a shared machine wall time measures
the neighbours; wall times over 10 s are counted too): an exception other than
``SystemExit`` is a *traceback*, the alarm a *hang*, ``MemoryError`` a
*process over 1 GiB*.  A sample (``--subprocess``) also runs as real ``python
-m pactlang.cli`` processes with ``RLIMIT_AS`` 1 GiB and ``RLIMIT_CPU`` 10 s
(and a 60 s wall-clock safety net), whose peak RSS is measured (``wait4``).

The summary goes to ``OUT/summary.json`` (and to ``--markdown`` if given);
every failing case is saved under ``OUT/failures/`` with its files and
command line, to reproduce it.  Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 1 << 30  # 1 GiB
TIMEOUT = 10.0
MAX_INPUT = 2_000_000  # mutated inputs stay below 2 MB

# --------------------------------------------------------------------- seeds

#: contract -> data file evaluated with it (None: no data)
CONTRACT_SEEDS: list[tuple[str, str | None]] = [
    ("examples/contracts/alliance.pact", "examples/data/alliance.csv"),
    ("examples/contracts/reseller_sla.pact", "examples/data/reseller_sla.csv"),
    ("examples/contracts/coinvest_fund.pact", "examples/data/coinvest_fund.json"),
    ("examples/contracts/alliance.test.pact", None),
    ("tests/render/fixtures/forms.pact", None),
]
for _p in sorted((ROOT / "tests" / "engine" / "fixtures").glob("*.pact")):
    _data = [q for q in (_p.with_suffix(".csv"), _p.with_suffix(".json")) if q.exists()]
    CONTRACT_SEEDS.append(
        (str(_p.relative_to(ROOT)), str(_data[0].relative_to(ROOT)) if _data else None)
    )
for _folder in ("tests/sema/fixtures", "tests/analysis/fixtures"):
    for _p in sorted((ROOT / _folder).glob("*.pact")):
        if not _p.name.endswith(".test.pact"):
            CONTRACT_SEEDS.append((str(_p.relative_to(ROOT)), None))

#: (contract, data file, --by key or None)
DATA_SEEDS: list[tuple[str, str, str | None]] = [
    ("examples/contracts/alliance.pact", "examples/data/alliance.csv", None),
    ("examples/contracts/alliance.pact", "examples/data/alliance_portfolio.csv", "partner"),
    ("examples/contracts/reseller_sla.pact", "examples/data/reseller_sla.csv", None),
    ("examples/contracts/coinvest_fund.pact", "examples/data/coinvest_fund.json", None),
]
for _p in sorted((ROOT / "tests" / "engine" / "fixtures").glob("*.pact")):
    for _q in (_p.with_suffix(".csv"), _p.with_suffix(".json")):
        if _q.exists():
            DATA_SEEDS.append((str(_p.relative_to(ROOT)), str(_q.relative_to(ROOT)), None))

#: (contract, waterfall) for state files
STATE_SEEDS: list[tuple[str, str]] = [
    ("examples/contracts/alliance.pact", "fund"),
    ("tests/engine/fixtures/waterfall.pact", "fund"),
    ("tests/engine/fixtures/currency_jpy.pact", "w"),
    ("tests/analysis/fixtures/waterfalls.pact", "fund"),
]

HOSTILE = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[2J", "\x1b]0;x\x07", "\x7f",
    "\x85", "\x9b", "\r", "\r\n", "\n", "\t", "\u2028", "\u2029", "\u202e", "\u202d", "\u2066",
    "\u2069", "\u200b", "\u200d", "\ufeff", "\ufffe", "\uffff", "\U0001f600", "é", "\u0645",
    '"', "\\", "{", "}", "(", ")", "#", "%", ",", ";", ":", "=>", "..", "-", "_", " ",
]
NUMBERS = [
    "0", "-0", "1", "-1", "0.0", "00", "1_000", "1__0", "1e999999999", "1E-999999999", "NaN",
    "Infinity", "-inf", "9" * 41, "9" * 5000, "0." + "0" * 60 + "1", "100%", "1e6",
    "99999999999999999999999999999999", "0.001", "1,5", "1 000 000", "2026-13", "0000-01",
    "9999-12", "10000-01", "2026-02-30", "TRUE", "",
]
WORDS = [
    "contract", "party", "measure", "let", "kpi", "threshold", "when", "otherwise", "committee",
    "member", "weight", "decision", "requires", "veto", "escalation", "step", "within", "final",
    "waterfall", "tier", "pay", "up", "to", "split", "pro", "rata", "in", "order", "for", "months",
    "sum", "avg", "lag", "round", "distributed", "retained", "banzhaf", "shapley", "missing",
    "test", "expect", "data", "is", "at", "EUR", "JPY", "XXX", "money", "count", "percent",
]


def _read(rel: str) -> bytes:
    return (ROOT / rel).read_bytes()


# ----------------------------------------------------------------- mutators


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _times(times: int, line: str, size: int) -> int:
    """As many copies of ``line`` as asked, or fewer, to stay under MAX_INPUT."""
    room = max(MAX_INPUT - size, 0) // (len(line) + 1)
    return min(times, room)


def mutate_text(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """One to four random mutations of a text file (kept under MAX_INPUT bytes)."""
    for _ in range(rng.randint(1, 4)):
        text = _text(data)
        kind = rng.randrange(15)
        n = len(text)
        pos = rng.randint(0, n)
        if kind == 0 and n:  # delete a span
            text = text[:pos] + text[pos + rng.randint(1, 60) :]
        elif kind == 1:  # hostile characters
            text = text[:pos] + "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 5))) + text[pos:]
        elif kind == 2:  # a number token replaced by a boundary value
            matches = list(re.finditer(r"\d[\d_.]*%?", text))
            if matches:
                m = rng.choice(matches)
                text = text[: m.start()] + rng.choice(NUMBERS) + text[m.end() :]
        elif kind == 3:  # duplicate a line, a few or many times
            lines = _lines(text)
            i = rng.randrange(len(lines))
            times = _times(rng.choice([1, 2, 10, 100, 1000, 5000]), lines[i], n)
            lines[i:i] = [lines[i]] * times
            text = "\n".join(lines)
        elif kind == 4:  # swap two lines
            lines = _lines(text)
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == 5:  # truncate
            text = text[:pos]
        elif kind == 6:  # deep nesting
            k = min(rng.choice([10, 100, 1000, 5000]), max(MAX_INPUT - n, 0) // 2)
            text = text[:pos] + "(" * k + "1" + ")" * k + text[pos:]
        elif kind == 7:  # a huge string literal or token
            size = min(rng.choice([1000, 100_001, 300_000]), max(MAX_INPUT - n, 0))
            text = text[:pos] + '"' + "x" * size + '"' + text[pos:]
        elif kind == 8:  # a keyword or name inserted
            text = text[:pos] + " " + rng.choice(WORDS) + " " + text[pos:]
        elif kind == 9:  # identifiers renamed / swapped
            names = re.findall(r"\b[a-z_][a-z0-9_]*\b", text)
            if len(names) > 1:
                a, b = rng.choice(names), rng.choice(names)
                text = re.sub(rf"\b{re.escape(a)}\b", b, text, count=rng.randint(1, 3))
        elif kind == 10 and 2 * n < MAX_INPUT:  # line ends
            text = text.replace("\n", rng.choice(["\r", "\r\n", "\n\n", "\u2028"]))
        elif kind == 11:  # splice a line from another file
            other = _lines(_text(rng.choice(others)))
            lines = _lines(text)
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(other))
            text = "\n".join(lines)
        elif kind == 12:  # grow a block: repeat a line with fresh names
            lines = _lines(text)
            candidates = [i for i, ln in enumerate(lines) if re.search(r"\b(member|party|pay|tier|step|measure)\b", ln)]
            if candidates:
                i = rng.choice(candidates)
                line = lines[i]
                times = _times(rng.choice([10, 200, 1000]), line, n)
                grown = [re.sub(r"\b(member|party|pay|step|measure) ([a-z_][a-z0-9_]*)", rf"\1 \2_g{k}", line) for k in range(times)]
                lines[i + 1 : i + 1] = grown
                text = "\n".join(lines)
        else:  # raw bytes: invalid UTF-8, BOM, NUL
            raw = _bytes(text)
            bad = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x00", b"\xe2\x80"])
            p = rng.randint(0, len(raw))
            data = raw[:p] + bad + raw[p:]
            continue
        data = _bytes(text)
        if len(data) > MAX_INPUT:
            data = data[:MAX_INPUT]
    return data


def mutate_json(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """Structural mutations of a JSON document, or text mutations of it."""
    if rng.random() < 0.35:
        return mutate_text(rng, data, others)
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return mutate_text(rng, data, others)
    nodes: list[tuple[Any, Any]] = []  # (container, key)

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k in list(x):
                nodes.append((x, k))
                walk(x[k])
        elif isinstance(x, list):
            for i in range(len(x)):
                nodes.append((x, i))
                walk(x[i])

    walk(doc)
    values: list[Any] = [
        None, True, False, 0, 0.0, -1, 1.5, 10**40, "1e999999999", "-5.00", "NaN", "",
        "9" * 5000, "9999-12", "2026-13", [], {}, [[[[[]]]]], "x" * 10_000, "\x1b[2J", "\u202e",
        {"format": "pactlang-waterfall-state"}, 1e308,
    ]
    for _ in range(rng.randint(1, 4)):
        if not nodes:
            break
        container, key = rng.choice(nodes)
        action = rng.randrange(4)
        try:
            if action == 0:
                container[key] = rng.choice(values)
            elif action == 1:
                if isinstance(container, dict):
                    del container[key]
                else:
                    container.pop(key)
            elif action == 2 and isinstance(container, dict):
                container[rng.choice(["extra", "version", "index", "period", str(key) + "_"])] = rng.choice(values)
            else:
                if isinstance(container, list) and container:
                    container.extend(container[: rng.randint(1, 3)] * rng.choice([1, 10, 500]))
        except (IndexError, KeyError, TypeError):
            pass
    return json.dumps(doc, indent=rng.choice([None, 2])).encode("utf-8")[:MAX_INPUT]


# -------------------------------------------------------------------- cases


@dataclasses.dataclass
class Case:
    kind: str
    index: int
    files: dict[str, bytes]  # name -> content, written in the case's folder
    commands: list[list[str]]  # argv lists; "{dir}" is the case's folder


def _contract_case(rng: random.Random, index: int, others: list[bytes]) -> Case:
    contract, data = rng.choice(CONTRACT_SEEDS)
    text = mutate_text(rng, _read(contract), others)
    files = {"c.pact": text}
    if data:
        files["d" + Path(data).suffix] = _read(data)
    d = "{dir}"
    source = _text(text)
    names = {
        kind: re.findall(rf"\b{kind} ([a-z_][a-z0-9_]*)", source)
        for kind in ("waterfall", "committee", "decision", "escalation", "member")
    }
    choices: list[list[str]] = [
        ["fmt", f"{d}/c2.pact"],
        ["fmt", "--diff", f"{d}/c.pact"],
        ["analyze", f"{d}/c.pact", "--format", rng.choice(["text", "json"])],
        ["schema", f"{d}/c.pact"],
        ["test", f"{d}/c.pact", "--format", rng.choice(["text", "json", "junit"])],
        ["render", f"{d}/c.pact", "--lang", rng.choice(["fr", "en"]), "--format", rng.choice(["md", "html"])],
        ["render", f"{d}/c.pact", "-o", f"{d}/annex.docx"],
        ["check", f"{d}/c.pact", "--format", rng.choice(["json", "sarif"])],
        ["render", f"{d}/c.pact", "--notes", "--format", "html"],
        ["calendar", f"{d}/c.pact", "--format", rng.choice(["ics", "csv", "json"])],
        ["diff", f"{d}/seed.pact", f"{d}/c.pact", "--format", rng.choice(["text", "json", "html"])],
    ]
    files["seed.pact"] = _read(contract)
    if rng.random() < 0.15:
        choices.append(["compile", f"{d}/c.pact", "-o", f"{d}/m.py"])
    if data:
        data_name = f"{d}/d{Path(data).suffix}"
        choices += [
            ["eval", f"{d}/c.pact", "--data", data_name],
            ["eval", f"{d}/c.pact", "--data", data_name, "--format", "json", "--explain"],
            ["report", f"{d}/c.pact", "--data", data_name, "-o", f"{d}/r.html"],
        ]
    if names["waterfall"]:
        choices.append(
            ["distribute", f"{d}/c.pact", rng.choice(names["waterfall"]), "--amount", rng.choice(["250000", "0.01", "1e30", "1e999999999", "-5", "x"]), "--state", f"{d}/s.json"]
        )
    if names["committee"] and names["decision"]:
        members = names["member"] or ["acme"]
        ballot = ",".join(f"{m}={rng.choice(['yes', 'no', 'abstain', 'absent'])}" for m in members[:50])
        choices.append(["vote", f"{d}/c.pact", f"{rng.choice(names['committee'])}.{rng.choice(names['decision'])}", "--ballot", ballot, "--round", str(rng.choice([1, 2, 3, 10**6]))])
    if names["escalation"]:
        choices.append(["escalate", f"{d}/c.pact", rng.choice(names["escalation"]), "--opened", rng.choice(["2026-07-04", "9999-12-31", "0001-01-01"])])
    files["c2.pact"] = text  # `fmt` rewrites this copy
    commands = [["check", f"{d}/c.pact"], rng.choice(choices)]
    return Case("contract", index, files, commands)


def _data_case(rng: random.Random, index: int, others: list[bytes]) -> Case:
    contract, data, by = rng.choice(DATA_SEEDS)
    raw = _read(data)
    mutated = mutate_json(rng, raw, others) if data.endswith(".json") else mutate_text(rng, raw, others)
    name = "d" + Path(data).suffix
    d = "{dir}"
    args = ["eval", f"{d}/c.pact", "--data", f"{d}/{name}"]
    if by and rng.random() < 0.8:
        args += ["--by", by]
    if rng.random() < 0.2:
        args.append("--strict")
    roll = rng.random()
    if roll < 0.3:
        args += ["--format", "json"]
    elif roll < 0.4:
        args = ["report", f"{d}/c.pact", "--data", f"{d}/{name}", "-o", f"{d}/r.html"] + (["--by", by] if by else [])
    files = {"c.pact": _read(contract), name: mutated}
    if contract.endswith("alliance.pact") and rng.random() < 0.2:
        # a mutated journal beside the data
        files["j.toml"] = mutate_text(rng, _read("examples/journal/alliance.toml"), others)
        files[name] = _read(data)
        args += ["--journal", f"{d}/j.toml"]
    return Case("data", index, files, [args])


_STATES: dict[str, bytes] = {}


def _good_state(contract: str, waterfall: str) -> bytes:
    """A state written by three real distributions (made once per process)."""
    key = f"{contract}:{waterfall}"
    if key not in _STATES:
        from click.testing import CliRunner

        from pactlang.cli import main

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.json"
            for amount in ("250000", "123456", "400000"):
                r = CliRunner().invoke(main, ["distribute", str(ROOT / contract), waterfall, "--amount", amount, "--state", str(path)])
                if r.exit_code != 0:
                    raise RuntimeError(f"seed state {key}: {r.output}")
            _STATES[key] = path.read_bytes()
    return _STATES[key]


def _state_case(rng: random.Random, index: int, others: list[bytes]) -> Case:
    contract, waterfall = rng.choice(STATE_SEEDS)
    state = mutate_json(rng, _good_state(contract, waterfall), others)
    d = "{dir}"
    amount = rng.choice(["1000", "0", "0.01", "250000", "1e30", "1e999999999"])
    return Case(
        "state",
        index,
        {"c.pact": _read(contract), "s.json": state},
        [["distribute", f"{d}/c.pact", waterfall, "--amount", amount, "--state", f"{d}/s.json", "--lock-timeout", "1"]],
    )


def make_case(kind: str, index: int, seed: int) -> Case:
    rng = random.Random(f"{seed}:{kind}:{index}")
    others = [_read(c) for c, _ in rng.sample(CONTRACT_SEEDS, 3)]
    if kind == "contract":
        return _contract_case(rng, index, others)
    if kind == "data":
        return _data_case(rng, index, others)
    return _state_case(rng, index, others)


# ------------------------------------------------------------------ running


class Hang(BaseException):
    """Raised by the alarm: not an ``Exception``, so nothing under test swallows it."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _limit_child() -> None:
    _limit_memory()
    resource.setrlimit(resource.RLIMIT_CPU, (int(TIMEOUT), int(TIMEOUT) + 5))


def _worker_init() -> None:
    _limit_memory()
    signal.signal(signal.SIGPROF, _alarm)
    os.environ["NO_COLOR"] = "1"
    import pactlang.cli  # noqa: F401  (imports outside the timed calls)


@dataclasses.dataclass
class Outcome:
    kind: str
    index: int
    command: str
    result: str  # ok | traceback | hang | memory
    exit_code: int | None
    seconds: float  # wall clock
    detail: str = ""
    cpu: float = 0.0  # CPU seconds (in-process: this process's user + system time)


def _materialize(case: Case, folder: Path) -> list[list[str]]:
    for old in folder.iterdir():
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    return [[a.replace("{dir}", str(folder)) for a in cmd] for cmd in case.commands]


_FOLDER: Path | None = None


def run_case(job: tuple[str, int, int]) -> list[Outcome]:
    """Run one case in-process (in a worker): one outcome per command."""
    global _FOLDER
    from click.testing import CliRunner

    from pactlang.cli import main

    kind, index, seed = job
    if _FOLDER is None:
        _FOLDER = Path(tempfile.mkdtemp(prefix="pact-fuzz-"))
    try:
        case = make_case(kind, index, seed)
    except (MemoryError, RecursionError, ValueError) as exc:  # the harness's own failure
        return [Outcome(kind, index, "(making the case)", "harness", None, 0.0, repr(exc))]
    out: list[Outcome] = []
    for argv in _materialize(case, _FOLDER):
        shown = " ".join(argv).replace(str(_FOLDER), "{dir}")
        start, cpu0 = time.monotonic(), time.process_time()
        signal.setitimer(signal.ITIMER_PROF, TIMEOUT)
        try:
            r = CliRunner().invoke(main, argv, catch_exceptions=True)
            signal.setitimer(signal.ITIMER_PROF, 0)
            seconds, cpu = time.monotonic() - start, time.process_time() - cpu0
            exc = r.exception
            if exc is None or isinstance(exc, SystemExit):
                out.append(Outcome(kind, index, shown, "ok", r.exit_code, seconds, cpu=cpu))
            elif isinstance(exc, MemoryError):
                out.append(Outcome(kind, index, shown, "memory", None, seconds, "MemoryError under RLIMIT_AS 1 GiB", cpu))
            else:
                assert r.exc_info is not None
                tb = "".join(traceback.format_exception(*r.exc_info))
                out.append(Outcome(kind, index, shown, "traceback", None, seconds, tb[-4000:], cpu))
            # the result holds the exception and its frames (the whole parsed input):
            # let them go before the next command, or they count against its memory
            del r, exc
        except Hang:
            out.append(Outcome(kind, index, shown, "hang", None, time.monotonic() - start, f"over {TIMEOUT:g} s of CPU", time.process_time() - cpu0))
        except MemoryError:
            signal.setitimer(signal.ITIMER_PROF, 0)
            out.append(Outcome(kind, index, shown, "memory", None, time.monotonic() - start, "MemoryError under RLIMIT_AS 1 GiB", time.process_time() - cpu0))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            gc.collect()
    return out


def run_subprocess(job: tuple[str, int, int], folder: Path) -> list[Outcome]:
    """Run one case as real processes: RLIMIT_AS 1 GiB, 10 s timeout, peak RSS."""
    kind, index, seed = job
    case = make_case(kind, index, seed)
    out: list[Outcome] = []
    for argv in _materialize(case, folder):
        shown = " ".join(argv).replace(str(folder), "{dir}")
        start = time.monotonic()
        with tempfile.TemporaryFile() as err_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pactlang.cli", *argv],
                stdout=subprocess.DEVNULL,
                stderr=err_file,
                preexec_fn=_limit_child,
                env={**os.environ, "NO_COLOR": "1"},
            )
            killed = False
            while True:  # wait4: this child's own peak RSS and CPU time
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > 6 * TIMEOUT:
                    proc.kill()
                    killed = True
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
            proc.returncode = os.waitstatus_to_exitcode(status)
            err_file.seek(0)
            text = err_file.read().decode("utf-8", "replace")
        seconds = time.monotonic() - start
        rss = usage.ru_maxrss * 1024
        cpu = usage.ru_utime + usage.ru_stime
        code = proc.returncode
        if killed or code == -signal.SIGXCPU or cpu >= TIMEOUT:
            out.append(Outcome(kind, index, shown, "hang", code, seconds, f"over {TIMEOUT:g} s", cpu))
        elif "MemoryError" in text or code < 0:
            out.append(Outcome(kind, index, shown, "memory", code, seconds, f"peak_rss={rss}\n{text[-2000:]}", cpu))
        elif "Traceback (most recent call last)" in text:
            out.append(Outcome(kind, index, shown, "traceback", code, seconds, text[-4000:], cpu))
        else:
            out.append(Outcome(kind, index, shown, "ok", code, seconds, f"peak_rss={rss}", cpu))
    return out


def save_failure(out_dir: Path, o: Outcome, seed: int) -> None:
    case = make_case(o.kind, o.index, seed)
    folder = out_dir / "failures" / f"{o.kind}-{o.index}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    (folder / "outcome.txt").write_text(
        f"{o.result} after {o.seconds:.2f} s\n$ pact {o.command}\n\n{o.detail}\n", "utf-8"
    )


def jobs(contracts: int, data: int, states: int, seed: int) -> Iterator[tuple[str, int, int]]:
    for i in range(contracts):
        yield ("contract", i, seed)
    for i in range(data):
        yield ("data", i, seed)
    for i in range(states):
        yield ("state", i, seed)


def fuzz(args: argparse.Namespace, progress: Callable[[str], None] = print) -> dict[str, Any]:
    out_dir = Path(args.out)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    started = time.monotonic()
    all_jobs = list(jobs(args.contracts, args.data, args.states, args.seed))
    outcomes: list[Outcome] = []
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, initializer=_worker_init, maxtasksperchild=500) as pool:
        for n, results in enumerate(pool.imap_unordered(run_case, all_jobs, chunksize=8), 1):
            outcomes.extend(results)
            for o in results:
                if o.result != "ok":
                    save_failure(out_dir, o, args.seed)
                    progress(f"  {o.result}: {o.kind} #{o.index}: pact {o.command[:160]}")
            if n % 500 == 0:
                progress(f"{n}/{len(all_jobs)} cases, {time.monotonic() - started:.0f} s")
    in_process = time.monotonic() - started

    # a sample as real processes, spread over the three kinds
    sub: list[Outcome] = []
    peak = 0
    if args.subprocess:
        rng = random.Random(args.seed)
        sample = rng.sample(all_jobs, min(args.subprocess, len(all_jobs)))
        folder = Path(tempfile.mkdtemp(prefix="pact-fuzz-sub-"))
        for k, job in enumerate(sample, 1):
            for o in run_subprocess(job, folder):
                sub.append(o)
                m = re.search(r"peak_rss=(\d+)", o.detail)
                if m:
                    peak = max(peak, int(m.group(1)))
                if o.result != "ok":
                    save_failure(out_dir, o, args.seed)
                    progress(f"  subprocess {o.result}: {o.kind} #{o.index}: pact {o.command[:160]}")
            if k % 50 == 0:
                progress(f"subprocess sample: {k}/{len(sample)}")
        shutil.rmtree(folder, ignore_errors=True)

    def counts(items: list[Outcome]) -> dict[str, Any]:
        by = Counter(o.result for o in items)
        return {
            "invocations": len(items),
            "tracebacks": by["traceback"],
            "hangs_over_10s": by["hang"],
            "over_1_GiB": by["memory"],
            "harness_errors": by["harness"],
            "exit_codes": dict(sorted(Counter(str(o.exit_code) for o in items if o.result == "ok").items())),
            "slowest_cpu_seconds": round(max((o.cpu for o in items), default=0.0), 2),
            "slowest_wall_seconds": round(max((o.seconds for o in items), default=0.0), 2),
            "wall_over_10s": sum(1 for o in items if o.seconds > TIMEOUT),
        }

    cases = Counter(kind for kind, _, _ in all_jobs)
    summary = {
        "seed": args.seed,
        "cases": {"contracts": cases["contract"], "data_files": cases["data"], "state_files": cases["state"]},
        "in_process": counts(outcomes) | {"seconds": round(in_process, 1)},
        "by_kind": {k: counts([o for o in outcomes if o.kind == k]) for k in ("contract", "data", "state")},
        "subprocess_sample": counts(sub) | {"cases": args.subprocess, "peak_rss_bytes": peak},
        "failures": [dataclasses.asdict(o) for o in outcomes + sub if o.result != "ok"][:200],
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    if args.markdown:
        Path(args.markdown).write_text(markdown(summary), "utf-8")
    return summary


def markdown(s: dict[str, Any]) -> str:
    ip, sp = s["in_process"], s["subprocess_sample"]
    rows = [
        "| run | invocations | tracebacks | hangs (> 10 s CPU) | over 1 GiB | slowest (CPU / wall) | wall > 10 s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in [("in-process, all cases", ip), *[(f"  {k}", v) for k, v in s["by_kind"].items()], ("subprocess sample", sp)]:
        rows.append(
            f"| {name} | {c['invocations']:,} | {c['tracebacks']} | {c['hangs_over_10s']} | "
            f"{c['over_1_GiB']} | {c['slowest_cpu_seconds']} s / {c['slowest_wall_seconds']} s | {c['wall_over_10s']} |"
        )
    return (
        f"Seed {s['seed']}: {s['cases']['contracts']:,} mutated contracts, "
        f"{s['cases']['data_files']:,} mutated data files, {s['cases']['state_files']:,} mutated "
        f"state files; in-process run {ip['seconds']} s; subprocess sample of "
        f"{sp['cases']} cases, peak RSS {sp['peak_rss_bytes'] / 2**20:.0f} MiB.\n\n" + "\n".join(rows) + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--contracts", type=int, default=10_000)
    ap.add_argument("--data", type=int, default=1_000)
    ap.add_argument("--states", type=int, default=1_000)
    ap.add_argument("--subprocess", type=int, default=300, help="cases also run as real processes")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="fuzz-out")
    ap.add_argument("--markdown", help="also write the summary table here")
    args = ap.parse_args(argv)
    summary = fuzz(args)
    print(markdown(summary))
    bad = summary["in_process"]["tracebacks"] + summary["in_process"]["hangs_over_10s"] + summary["in_process"]["over_1_GiB"]
    bad += summary["subprocess_sample"]["tracebacks"] + summary["subprocess_sample"]["hangs_over_10s"] + summary["subprocess_sample"]["over_1_GiB"]
    return 1 if bad else 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
