"""Monthly data read by columns: the loader of portfolios (LANGUAGE.md §12).

The rules are those of :mod:`pactlang.io.data` — same cells accepted, same
problems in the same words, with file, row and column — but a CSV file is
read in chunks of rows and each chunk is validated a column at a time:

* a chunk whose rows are all regular (as many cells as the header, a
  well-formed month, a key, nothing under an unnamed column) and whose cells
  are all plain numbers (one regular-expression pass over a whole column)
  is converted column by column, with no per-row model;
* any other chunk — one holding a bad row — is read row by row by the same
  code as :mod:`pactlang.io.data`, whose per-row pydantic model names every
  bad cell, so the messages are identical.

Each key's data is kept as columns (a :class:`~pactlang.kernel.timeline.Dataset`
per key).  A file up to :data:`STREAM_BYTES` is read in one pass; a larger
CSV file is read twice, each time as a stream: once to validate it (all its
problems are known before anything is evaluated), then key by key, each
key's dataset given out as soon as the rows of the next key begin, so memory
stays bounded by one key's rows when the file is sorted by key (a file
whose keys are interleaved is held whole).  There is no size ceiling for CSV
files; JSON files go through :mod:`pactlang.io.data` and keep its limit.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import operator
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from pactlang.base.values import Period, Value
from pactlang.io.data import (
    _DECIMAL_COMMA,
    _FIRST_LINE,
    DataProblem,
    MeasureSpec,
    Row,
    _fields_are_names,
    _Loader,
    _row_model,
    in_percentage_points,
    load_data,
)
from pactlang.kernel.timeline import REPORT_STEP, Dataset, dataset_from_columns

__all__ = ["STREAM_BYTES", "LoadedColumns", "read_columns"]

#: Files larger than this are validated in a first streaming pass, then read key by key.
STREAM_BYTES = 64 * 1024 * 1024
_CHUNK_ROWS = 32768
_READ_HINT = 4 * 1024 * 1024

# The characters of a whole column of plain cells (newline-separated): then
# ``Decimal`` itself is the check (it refuses ``1.2.3`` or ``5-``), and what it
# accepts of these characters is exactly what io/data.py accepts, with the same
# value.  Anything else (spaces, suffixes, exponents, bools) is read row by row.
_COLUMN_CHARS = {
    ("count", "."): re.compile(r"[0-9+\n]*"),
    ("count", ","): re.compile(r"[0-9+\n]*"),
    ("number", "."): re.compile(r"[0-9.+\-\n]*"),
    ("number", ","): re.compile(r"[0-9,+\-\n]*"),
}


def _column_regex(kind: str, mark: str) -> re.Pattern[str] | None:
    if kind == "bool":
        return None
    return _COLUMN_CHARS["count" if kind == "count" else "number", mark]


@dataclass(slots=True)
class LoadedColumns:
    """Validated data, by columns: one :class:`Dataset` per key (``None`` without ``by``),
    in order of first appearance.  Like :class:`pactlang.io.data.LoadedData`."""

    datasets: dict[str | None, Dataset]
    warnings: list[DataProblem] = field(default_factory=list)
    key_warnings: dict[str | None, list[DataProblem]] = field(default_factory=dict)

    def warnings_for(self, key: str | None) -> list[DataProblem]:
        return self.key_warnings.get(key, [])


@dataclass(slots=True)
class _Key:
    """One key's rows so far: each month's first row, and the months and values kept."""

    seen: dict[Period, int] = field(default_factory=dict)
    months: list[Period] = field(default_factory=list)
    columns: dict[str, list[Value]] = field(default_factory=dict)


class _Reader:
    """One pass over a CSV file (see the module's documentation)."""

    def __init__(self, loader: _Loader, keep: bool, hold: bool) -> None:
        self.loader = loader
        self.keep = keep  # keep the values (else only validate)
        self.hold = hold  # hold every key to the end (else give each out when the next begins)
        self.keys: dict[str | None, _Key] = {}
        self.finished: set[str | None] = set()  # keys given out

    # -- the text
    def chunks(self, handle: IO[bytes]) -> Iterator[tuple[str, int]]:
        """Decoded text in blocks of whole lines that end at a record's end (an even
        number of quotes so far), with their number of lines; a UTF-8 error is
        reported as io/data.py does, then reading stops."""
        offset = 0
        line_no = 0
        first = True
        pending: list[str] = []
        count = 0
        quotes = 0
        carry = b""
        while True:
            got = handle.read(_READ_HINT)
            if got:
                data = carry + got if carry else got
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # no line end yet
                    carry = data
                    continue
                raw, carry = data[:cut], data[cut:]
            elif carry:
                raw, carry = carry, b""
            else:
                break
            lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
            try:
                text = raw.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError as exc:
                at = exc.start
                if first and raw.startswith(b"\xef\xbb\xbf"):
                    at += 3
                self.loader.problems.clear()  # as io/data.py: the only problem reported
                self.loader.problem(
                    line_no + raw.count(b"\n", 0, at) + 1,
                    None,
                    f"not valid UTF-8 (byte 0x{raw[at]:02X} at offset {offset + at}); "
                    "save the file as UTF-8",
                )
                raise _Stop from None
            first = False
            offset += len(raw)
            line_no += lines
            quotes += text.count('"')
            pending.append(text)
            count += lines
            if quotes % 2 == 0:
                yield "".join(pending), count
                pending, count = [], 0
        if pending:
            yield "".join(pending), count

    def split(self, text: str) -> tuple[list[list[str]], int] | None:
        """The columns of a block of plain lines (no quote, no carriage return, no
        NUL, no blank line), each with as many cells as the header, and their
        number of rows; None for any other block (then record by record)."""
        width, delimiter = self.layout[0], self.layout[1]
        if '"' in text or "\r" in text or "\x00" in text:
            return None
        if text.endswith("\n"):
            text = text[:-1]
        if not text:
            return None
        lines = text.split("\n")
        n = len(lines)
        if set(map(str.count, lines, itertools.repeat(delimiter, n))) != {width - 1}:
            return None
        cells = text.replace("\n", delimiter).split(delimiter)
        return [cells[i::width] for i in range(width)], n

    def records(self, text: str, base: int) -> tuple[list[list[str]], Sequence[int], bool]:
        """The records of a block of whole lines (the first is line ``base + 1``):
        the records, the line each starts on, and whether reading must stop (a
        malformed record)."""
        delimiter = self.layout[1]
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if '"' not in text and "\x00" not in text and "\r" not in text:
            lines = text.split("\n")
            if lines and not lines[-1]:
                lines.pop()
            records = [line.split(delimiter) for line in lines]
            return records, range(base + 1, base + 1 + len(records)), False
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        out: list[list[str]] = []
        starts: list[int] = []
        line = 0
        while True:
            try:
                record = next(reader, None)
            except csv.Error as exc:
                self.loader.problem(base + line + 1, None, f"malformed CSV: {exc}")
                return out, starts, True
            if record is None:
                return out, starts, False
            out.append(record)
            starts.append(base + line + 1)
            line = reader.line_num

    # -- the pass
    def run(self, path: Path, first_line: str, mark: str) -> Iterator[tuple[str | None, _Key]]:
        loader = self.loader
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        self.mark = mark  # the row model (pydantic) is built for the first irregular row
        names = loader.names
        with open(path, "rb") as handle:
            chunks = self.chunks(handle)
            block, _ = next(chunks, ("", 0))
            lines = block.splitlines(keepends=True) if len(block) < 65536 else _head_lines(block)
            reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
            found = loader.csv_header(reader)
            if found is None:
                return
            header, header_row = found
            line = reader.line_num
            width = len(header)
            period_index, key_index, unnamed, columns = loader.csv_columns(header, header_row, delimiter)
            self.layout = (width, delimiter, period_index, key_index, unnamed, columns)
            self.kinds = {s.name: s.type for s in loader.measures}
            self.regex = {n: _column_regex(self.kinds[n], mark) for n, _ in columns}
            self.comma = mark == ","
            self.cadenced = [
                (s.name, REPORT_STEP[s.cadence]) for s in loader.measures if REPORT_STEP.get(s.cadence, 1) > 1
            ]
            self.percent = [s.name for s in loader.measures if s.type == "percent"]
            self.reporting = bool(self.cadenced or self.percent)
            self.names = names
            self.rows = 0
            rest = "".join(lines[line:]) + block[sum(map(len, lines)):]
            base = line
            while True:
                split = self.split(rest)
                done = False
                if split is not None:  # the usual block: plain cells, split at once
                    cols, n = split
                    done = yield from self.columns(cols, range(base + 1, base + 1 + n), n)
                stop = False
                if not done:
                    records, starts, stop = self.records(rest, base)
                    yield from self.chunk(records, starts)
                if stop:
                    break
                base += rest.count("\n")
                rest, _ = next(chunks, ("", 0))
                if not rest:
                    break
            if self.rows == 0 and not loader.problems:
                loader.problem(None, None, "empty file: a header but no data rows")
        if not self.hold:
            yield from self.drain()

    def begin(self, key: str | None) -> Iterator[tuple[str | None, _Key]]:
        """A key's first row in this run of rows: the keys before it are complete."""
        if key in self.keys or self.hold:
            return
        if key in self.finished:
            raise _Interleaved
        yield from self.drain()

    def drain(self) -> Iterator[tuple[str | None, _Key]]:
        for key in list(self.keys):
            self.finished.add(key)
            entry = self.keys.pop(key)
            if self.keep:
                yield key, entry

    # -- a chunk of records
    def chunk(self, records: list[list[str]], starts: Sequence[int]) -> Iterator[tuple[str | None, _Key]]:
        if not records:
            return
        if set(map(len, records)) == {self.layout[0]}:
            cols = list(zip(*records, strict=True))
            if (yield from self.columns(cols, starts, len(records))):
                return
        yield from self.slow(records, starts)

    def columns(
        self, cols: Sequence[Sequence[str]], starts: Sequence[int], n: int
    ) -> Generator[tuple[str | None, _Key], None, bool]:
        """Rows as columns of cells, each row with as many cells as the header:
        read a column at a time if every row is regular (a well-formed month, a
        key, nothing under an unnamed column, plain numbers), else False (nothing
        read: then row by row)."""
        _, _, period_index, key_index, unnamed, columns = self.layout
        loader = self.loader
        if period_index is None or (loader.by is not None and key_index is None):
            return False
        # a month per distinct text
        texts = cols[period_index]
        found = {t: loader.month(t) for t in set(texts)}
        if None in found.values():
            return False
        month_of = {t: m[0] for t, m in found.items()}  # type: ignore[index]
        inside = {m[0]: m[1] for m in found.values()}  # type: ignore[index]
        months = list(map(month_of.__getitem__, texts))
        keys: list[str | None]
        if key_index is not None:
            keys = list(map(str.strip, cols[key_index]))
            if "" in keys:
                return False
        else:
            keys = [None]
        if any(any(map(str.strip, cols[index])) for index in unnamed):
            return False
        values: dict[str, list[Value]] = {}
        for name, index in columns:
            converted = self.convert(name, cols[index])
            if converted is None:
                return False
            values[name] = converted
        self.rows += n
        outside = None if all(inside.values()) else inside
        # runs of one key, in file order
        if key_index is None:
            bounds = [0, n]
        else:
            bounds = [0, *itertools.compress(range(1, n), map(operator.ne, keys[1:], keys)), n]
        hold = self.hold
        for lo, hi in zip(bounds, bounds[1:]):  # noqa: B905 - one shorter
            key = keys[lo]
            if not hold and key not in self.keys:
                yield from self.begin(key)
            self.commit(key, months[lo:hi], starts[lo:hi], outside, values, lo, hi)
        return True

    def convert(self, name: str, col: Sequence[str]) -> list[Value] | None:
        """A whole column of plain cells as values, or None (then row by row).
        When cells repeat, each distinct text is converted once."""
        pattern = self.regex[name]
        if pattern is None:
            return None
        # whether cells repeat, judged on the first ones (a column of distinct
        # amounts is converted cell by cell without collecting its texts)
        head = col[:1024]
        repeated = 2 * len(set(head)) <= len(head)
        distinct = set(col) if repeated else set()
        cells = distinct if repeated else col
        if max(map(len, cells)) > 31 or pattern.fullmatch("\n".join(cells)) is None:
            return None
        try:
            if repeated:
                if self.comma:
                    value = {c: Decimal(c.replace(",", ".")) if c else None for c in distinct}
                else:
                    value = {c: Decimal(c) if c else None for c in distinct}
                return list(map(value.__getitem__, col))
            if self.comma:
                return [Decimal(c.replace(",", ".")) if c else None for c in col]
            if "" in col:
                return [Decimal(c) if c else None for c in col]
            return list(map(Decimal, col))
        except InvalidOperation:
            return None

    def commit(
        self,
        key: str | None,
        months: list[Period],
        rows: Sequence[int],
        outside: dict[Period, bool] | None,
        values: dict[str, list[Value]] | None,
        lo: int,
        hi: int,
    ) -> None:
        """Record rows of one key, as ``_Loader.add`` does: duplicates are problems,
        the values of the others are checked against their measures' cadence and
        remembered for the percent warning, months outside the term (``outside``
        maps each month to whether it is inside; None: all are) are dropped (with
        one warning per key), and the months of valid rows (``values`` not None)
        are kept."""
        entry = self.keys.get(key)
        if entry is None and values is not None and (outside is None or all(map(outside.__getitem__, months))):
            # a key's first rows, all kept (the usual case): its months are these
            seen = dict(zip(months, rows, strict=True))
            if len(seen) == len(months):
                if self.reporting:
                    self.report(months, rows, values, lo, hi)
                columns: dict[str, list[Value]] = {}
                if self.keep:
                    for name in self.names:
                        got = values.get(name)
                        columns[name] = got[lo:hi] if got is not None else [None] * (hi - lo)
                self.keys[key] = _Key(seen, months, columns)
                return
        if entry is None:
            entry = self.keys[key] = _Key()
            if self.keep:
                entry.columns = {name: [] for name in self.names}
        seen = entry.seen
        if outside is not None and all(map(outside.__getitem__, months)):
            outside = None
        if (
            values is not None
            and outside is None
            and seen.keys().isdisjoint(months)
            and len(set(months)) == len(months)
        ):
            if self.reporting:
                self.report(months, rows, values, lo, hi)
            seen.update(zip(months, rows, strict=True))
            entry.months.extend(months)
            if self.keep:
                for name, col in entry.columns.items():
                    got = values.get(name)
                    col.extend(got[lo:hi] if got is not None else [None] * (hi - lo))
            return
        loader = self.loader
        for i, period in enumerate(months):
            row = rows[i]
            first_row = seen.get(period)
            if first_row is not None:
                for_key = f" for {loader.by} {key!r}" if loader.by is not None else ""
                loader.problem(row, "period", f"duplicate month {period}{for_key} (first at row {first_row})")
                continue
            seen[period] = row
            if values is not None and self.reporting:
                loader.reported(period, row, _row(values, lo + i))
            if outside is not None and not outside[period]:
                dropped = loader.dropped.get(key)
                if dropped is None:
                    loader.dropped[key] = (row, [period])
                else:
                    dropped[1].append(period)
                continue
            if values is None:
                continue
            entry.months.append(period)
            if self.keep:
                for name, col in entry.columns.items():
                    got = values.get(name)
                    col.append(got[lo + i] if got is not None else None)

    def report(
        self, months: list[Period], rows: Sequence[int], values: dict[str, list[Value]], lo: int, hi: int
    ) -> None:
        """``_Loader.reported`` for a run of rows (no duplicate month): a value
        outside its measure's report months sends the run row by row (the
        problems in the row loader's order); the percents are counted a column
        at a time."""
        loader = self.loader
        for name, step in self.cadenced:
            col = values.get(name)
            if col is not None and any(
                v is not None and p.month % step for p, v in zip(months, col[lo:hi], strict=True)
            ):
                for i, period in enumerate(months):
                    loader.reported(period, rows[i], _row(values, lo + i))
                return
        for name in self.percent:
            col = values.get(name)
            if col is None:
                continue
            got = [(rows[i], v) for i, v in enumerate(col[lo:hi]) if isinstance(v, Decimal)]
            if got:
                first, count, plain = loader.percents.get(name, (got[0][0], 0, True))
                loader.percents[name] = (first, count + len(got), plain and all(in_percentage_points(v) for _, v in got))

    # -- row by row, as io/data.py
    def slow(self, records: list[list[str]], starts: Sequence[int]) -> Iterator[tuple[str | None, _Key]]:
        from pydantic import ValidationError

        width, delimiter, period_index, key_index, unnamed, columns = self.layout
        loader = self.loader
        model = _row_model(loader.measures, loader.currency, self.mark)
        validate = model.model_validate
        direct = _fields_are_names(model)
        for record, row in zip(records, starts, strict=True):
            if len(record) != width:
                if not any(cell.strip() for cell in record):
                    continue
                hint = ""
                if len(record) > width and delimiter == ",":
                    hint = (
                        " (a decimal comma in a ','-separated file? use ';' as delimiter "
                        "or quote the value)"
                    )
                loader.problem(
                    row,
                    f"#{width + 1}" if len(record) > width else None,
                    f"row has {len(record)} cells but the header has {width}{hint}",
                )
                continue
            period_text = record[period_index].strip() if period_index is not None else None
            if not period_text and not any(cell.strip() for cell in record):
                continue
            self.rows += 1
            for index in unnamed:
                if record[index].strip():
                    loader.problem(row, f"#{index + 1}", "a value in a column without a name in the header")
            values: dict[str, Value] | None
            try:
                if columns:
                    instance = validate({name: record[index] for name, index in columns})
                    values = (
                        instance.__dict__
                        if direct
                        else dict(zip(self.names, instance.__dict__.values(), strict=True))
                    )
                else:
                    values = dict.fromkeys(self.names)
            except ValidationError as exc:
                loader.validation_problems(row, exc)
                values = None
            found = loader.csv_key_month(row, record, key_index, period_text)
            if found is None:
                continue
            key, (period, inside) = found
            yield from self.begin(key)
            cols = {n: [v] for n, v in values.items()} if values is not None else None
            self.commit(key, [period], [row], None if inside else {period: inside}, cols, 0, 1)


def _row(values: dict[str, list[Value]], i: int) -> Row:
    """Row ``i`` of columns of cell values (decimals, booleans, missing)."""
    return {n: c[i] for n, c in values.items()}  # type: ignore[misc]


def _head_lines(block: str) -> list[str]:
    """The first lines of a large block (enough for a header, possibly after blank lines)."""
    head = block[:65536]
    cut = head.rfind("\n")
    return (head[: cut + 1] if cut >= 0 else head).splitlines(keepends=True)


class _Interleaved(Exception):
    """A key's rows resume after another key's: the file is read again, held whole."""


class _Stop(Exception):
    """Reading stops (the problem is already recorded)."""


def _dataset(entry: _Key, names: Sequence[str]) -> Dataset:
    months = entry.months
    columns = entry.columns or {n: [None] * len(months) for n in names}
    if months and not all(map(operator.lt, months, months[1:])):
        order = sorted(range(len(months)), key=months.__getitem__)
        months = [months[i] for i in order]
        columns = {n: [c[i] for i in order] for n, c in columns.items()}
    if not months or months[-1].index - months[0].index == len(months) - 1:
        return Dataset(months, columns, [])  # consecutive months (the usual case)
    return dataset_from_columns(months, columns, None, None)


def _sniff(path: Path) -> tuple[str, str, str]:
    """(first non-blank character, first non-blank line, decimal mark) of a file."""
    first_char = ""
    first_line = ""
    comma = False
    with open(path, "rb") as handle:
        head = True
        hint = min(_READ_HINT, 65536)  # the header is enough for a ','-separated file
        while True:
            lines = handle.readlines(hint)
            hint = _READ_HINT
            if not lines:
                break
            raw = b"".join(lines)
            text = raw.decode("utf-8-sig" if head else "utf-8", errors="replace")
            head = False
            if not first_char:
                stripped = text.lstrip()
                if stripped:
                    first_char = stripped[0]
                    found = _FIRST_LINE.search(text)
                    first_line = found.group(0) if found else ""
            if not first_line.count(";") > first_line.count(","):
                break  # a ',' file: the decimal mark is '.'
            if _DECIMAL_COMMA.search(text):
                comma = True
                break
    return first_char, first_line, "," if comma else "."


def read_columns(
    path: str | Path,
    measures: Sequence[MeasureSpec],
    *,
    currency: str,
    effective: date | None = None,
    until: date | None = None,
    by: str | None = None,
) -> LoadedColumns:
    """Read and validate a data file into columns (every dataset at once)."""
    loaded = LoadedColumns({})
    for key, dataset, warnings in stream_columns(
        path, measures, currency=currency, effective=effective, until=until, by=by, problems=loaded.warnings
    ):
        loaded.datasets[key] = dataset
        if warnings:
            loaded.key_warnings[key] = warnings
    return loaded


def stream_columns(
    path: str | Path,
    measures: Sequence[MeasureSpec],
    *,
    currency: str,
    effective: date | None = None,
    until: date | None = None,
    by: str | None = None,
    problems: list[DataProblem] | None = None,
) -> Iterator[tuple[str | None, Dataset, list[DataProblem]]]:
    """``(key, dataset, its warnings)`` for each key, in order of first appearance.

    The whole file is validated before the first dataset is given out
    (:class:`DataError` with every problem); ``problems``, if given, receives
    the file's warnings (months outside the term)."""
    shown = str(path)
    p = Path(path)

    def new_loader() -> _Loader:
        return _Loader(shown, measures, currency, effective, until, by)

    loader = new_loader()
    if by is not None and (by == "period" or by in loader.names):
        loader.problem(None, by, f"--by {by}: the key cannot be 'period' or a measure")
        loader.finish()
    try:
        size = p.stat().st_size
        first_char, first_line, mark = _sniff(p)
    except OSError as exc:
        loader.problem(None, None, f"cannot read the file: {exc.strerror or exc}")
        loader.finish()
        return
    names = loader.names
    if first_char in ("{", "[") or not first_char:
        # JSON (and empty files): the row loader, converted to columns
        data = load_data(p, measures, currency=currency, effective=effective, until=until, by=by)
        if problems is not None:
            problems.extend(data.warnings)
        for key, rows in data.datasets.items():
            months = list(rows)
            cols = {n: [rows[m].get(n) for m in months] for n in names}
            yield key, dataset_from_columns(months, cols, None, None), data.warnings_for(key)
        return
    stream = size > STREAM_BYTES
    hold = not stream
    while True:
        # the validating pass (the only pass for a small file)
        reader = _Reader(loader, keep=not stream, hold=hold)
        try:
            with _Collector(keep=not stream) as collector:
                for _ in _pass(reader, p, first_line, mark):
                    pass
        except _Interleaved:
            loader, hold = new_loader(), True
            continue
        break
    try:
        if loader.percents:  # each key's share of the file's warnings
            for key in [*reader.finished, *reader.keys]:
                loader.datasets.setdefault(key, {})
        checked = loader.finish()  # raises DataError with every problem
        if problems is not None:
            problems.extend(checked.warnings)
        if not stream:
            for key, entry in reader.keys.items():
                yield key, _dataset(entry, names), checked.warnings_for(key)
            return
    finally:
        collector.thaw()
    second = _Reader(new_loader(), keep=True, hold=hold)
    for key, entry in _pass(second, p, first_line, mark):
        yield key, _dataset(entry, names), checked.warnings_for(key)
    for key, entry in second.keys.items():  # held (interleaved keys)
        yield key, _dataset(entry, names), checked.warnings_for(key)


class _Collector:
    """The cyclic garbage collector paused while a pass builds its many small
    objects (none of them in a cycle): its collections would otherwise scan
    the growing data again and again.  The data of a pass that keeps it is
    then frozen (``gc.freeze``: left out of later collections, which the
    evaluation's objects trigger) until the datasets are given out; nothing
    is frozen if the process already froze objects itself.  (Measured in
    benchmarks/README.md.)"""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.enabled = False
        self.frozen = False

    def __enter__(self) -> _Collector:
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if self.enabled:
            if self.keep and kind is None and gc.get_freeze_count() == 0:
                gc.freeze()
                self.frozen = True
            gc.enable()

    def thaw(self) -> None:
        if self.frozen:
            self.frozen = False
            gc.unfreeze()


def _pass(reader: _Reader, path: Path, first_line: str, mark: str) -> Iterator[tuple[str | None, _Key]]:
    try:
        yield from reader.run(path, first_line, mark)
    except _Stop:
        return
    except OSError as exc:
        reader.loader.problem(None, None, f"cannot read the file: {exc.strerror or exc}")
