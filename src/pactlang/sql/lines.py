"""DuckDB's JSON lines (``pact eval --engine duckdb --format json|jsonl``).

DuckDB writes each row's *pieces* (``"YYYY-MM":text``), reading the results
table ``r0`` in the order it was stored (key, month: no sort); Arrow's string
kernels join each key's pieces and the constant parts of the line
(:func:`line_parts`), two batches at once on threads; :func:`text_bytes`
gives a batch's lines as the bytes to write.  A quotient no stage reads is
its pair's row number in ``r0``, its text taken from the pair table in
Arrow.  Without pyarrow, DuckDB builds the whole lines
(:func:`json_lines_sql`).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from pactlang.base.values import Period
from pactlang.sql.compile import dec_text, month_text, sql_string
from pactlang.sql.plan import pair_id

__all__ = ["ARROW_BATCH", "ARROW_THREADS", "arrow_ints", "arrow_texts", "json_batches", "json_lines", "json_lines_sql", "line_parts", "text_bytes"]

#: Rows of each Arrow batch of the JSON pieces (a key may go on in the next one).
ARROW_BATCH = 100_000

#: Batches whose lines Arrow joins at once (on as many threads).
ARROW_THREADS = 2


def line_parts(run: Any, arrow: bool = False) -> tuple[list[str], list[Any], dict[int, str]]:
    """Each key's JSON line as a template: the SQL of each row's *pieces*
    (``"YYYY-MM":text``; piece 0 is the month label alone) and the line's parts
    in order — literal texts, ``("join", i)`` (piece ``i`` of every row of the
    key, in month order, joined by commas), ``("key",)`` and ``("warnings",)``.
    With ``arrow`` (reading ``r0``), a quotient looked up after the stages is
    a piece of its pair's row number, to be looked up in Arrow: the third
    item maps such pieces to their pair table."""
    p, ir = run.plan, run.program.ir
    meta = run.program.meta
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    month = "ml"  # computed from m as r is read (:data:`_ML`)

    def text(col: Any) -> str:
        # one concat per piece (a chain of || copies the text at each step)
        name = col.sql.name
        if col.kind == "bool":
            return f"CASE WHEN {name} IS NULL THEN {month} || ':null' WHEN {name} THEN {month} || ':true' ELSE {month} || ':false' END"
        txt = (col.text or f"pact_qtext({name})") if col.kind == "quot" else dec_text(name, col.scale)
        null = col.text or name
        return f"CASE WHEN {null} IS NULL THEN {month} || ':null' ELSE concat({month}, ':\"', {txt}, '\"') END"

    pieces: list[str] = [month]
    late = {a: d.table for d, a, c in run.late if c == "pt"} if arrow else {}
    lookups: dict[int, str] = {}

    def piece(sql: str) -> tuple[str, int]:
        pieces.append(sql)
        return ("join", len(pieces) - 1)

    def value(col: Any) -> tuple[str, int]:
        table = late.get(col.text) if col.kind == "quot" else None
        if table is None:
            return piece(text(col))
        got = piece(pair_id(table))
        lookups[got[1]] = table
        return got

    def group(named: dict[str, Any]) -> list[Any]:
        if not named:
            return ["{}"]
        out: list[Any] = ["{"]
        for j, n in enumerate(sorted(named)):
            out += [("," if j else "") + dumps(n) + ":{", value(named[n]), "}"]
        return [*out, "}"]

    cols = run.plan.compiled.columns
    measures = group({n: cols[n] for n in ir.measures})
    lets = group({n: p.values[n] for n in ir.meta.lets})
    kpis = group({n: p.values[n] for n in ir.meta.kpis})
    ths: dict[str, Any] = {}
    for n in p.thresholds:
        tc = p.thresholds[n]
        ths[n] = (
            f"concat({month}, ':{{\"check\":', CASE WHEN {tc.check} THEN 'true' ELSE 'false' END,"
            f" ',\"rule\":', coalesce(CAST({tc.rule} AS VARCHAR), 'null'),"
            f" ',\"status\":', coalesce('\"' || {tc.status} || '\"', 'null'), '}}')"
        )
    thresholds: list[Any] = ["{}"] if not ths else ["{"]
    for j, n in enumerate(sorted(ths)):
        thresholds += [("," if j else "") + dumps(n) + ":{", piece(ths[n]), "}"]
    if ths:
        thresholds.append("}")
    # the parts SQL does not compute are those of a run with no events (a
    # contract SQL evaluates whole has none), as report/results.py writes them
    from pactlang.kernel.run import Run
    from pactlang.report.results import small_parts

    parts: dict[str, list[Any]] = {k: [dumps(v)] for k, v in small_parts(Run.blank(meta), (None, None), []).items()}
    parts.update(
        key=[("key",)] if run.by else ["null"],
        kpis=kpis,
        lets=lets,
        measures=measures,
        months=["[", ("join", 0), "]"],
        thresholds=thresholds,
        warnings=[("warnings",)],
    )
    template: list[Any] = ["{"]
    for j, k in enumerate(sorted(parts)):
        template += [("," if j else "") + dumps(k) + ":", *parts[k]]
    template.append("}")
    merged: list[Any] = []  # adjacent texts as one
    for part in template:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return pieces, merged, lookups

def json_lines_sql(run: Any) -> str:
    """The query of every key's JSON line (only when the plan is complete),
    each line built by DuckDB (without pyarrow: :func:`json_lines`)."""
    pieces, template, _ = line_parts(run)

    def sql(part: Any) -> str:
        if isinstance(part, str):
            return sql_string(part)
        if part[0] == "join":
            return f"array_to_string([x.f{part[1]} FOR x IN L], ',')"
        return "'\"' || a.k || '\"'" if part[0] == "key" else "coalesce(kw.w, '[]')"

    line = " || ".join(sql(x) for x in template)
    fields = ", ".join(f"f{i} := f{i}" for i in range(len(pieces)))
    rows = f"SELECT k, first, m, {', '.join(f'{x} AS f{i}' for i, x in enumerate(pieces))} FROM (SELECT r.*, {_ML} AS ml FROM r JOIN ok ON ok.k = r.k AND ok.ok)"
    agg = f"SELECT k, first, list(struct_pack({fields}) ORDER BY m) AS L FROM ({rows}) GROUP BY k, first"
    return f"SELECT a.k, a.first, {line} AS line FROM ({agg}) a LEFT JOIN kw ON kw.k = a.k"

def json_lines(run: Any, batch: int | None = None) -> Iterator[tuple[str, str]]:
    """``(key, line)`` of every key SQL gives whole, in the data's order (the
    query starts here: an engine failure is known before anything is written).

    DuckDB writes each row's pieces (``"YYYY-MM":text``), reading ``r0`` in
    its stored order (key, month: no sort); Arrow's string kernels join
    each key's pieces and the line's parts (:func:`line_parts`).  Without
    pyarrow, DuckDB builds the lines (:func:`json_lines_sql`)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - the test extra installs pyarrow
        return _fetched(run.con.execute(f"SELECT k, line FROM ({json_lines_sql(run)}) ORDER BY first"))
    return (
        pair
        for keys, text in json_batches(run, batch=batch)
        for pair in zip(keys, text.to_pylist(), strict=True)
    )


def json_batches(run: Any, before: str = "", after: str = "", batch: int | None = None) -> Iterator[tuple[list[str], Any]]:
    """The same lines a batch at a time, as Arrow: the keys, and a string
    array of each line framed as ``before + line + after`` (:func:`text_bytes`
    gives its bytes as they are to be written, without a Python string)."""
    import pyarrow as pa  # the duckdb extra installs it
    import pyarrow.compute as pc

    pieces, template, lookups = line_parts(run, arrow=True)
    bad = [r[0] for r in run.con.execute("SELECT first FROM ok WHERE NOT ok").fetchall()]
    warnings = {k: w for k, w in run.con.execute("SELECT k, w FROM kw").fetchall()}
    # each pair's `:"text"` (`:null` for no quotient), by row number; `:null` last,
    # for the rows with no pair
    texts: dict[str, Any] = {}
    for table in dict.fromkeys(lookups.values()):
        pt = run.con.sql(f"SELECT pt FROM {table} ORDER BY rowid").to_arrow_table().column(0).combine_chunks()
        null, open_, close, none = arrow_texts([":null", ':"', '"', ""])
        quoted = pc.if_else(pc.is_null(pt), null, pc.binary_join_element_wise(open_, pt, close, none))
        texts[table] = pa.concat_arrays([quoted, arrow_texts([":null"]).cast(quoted.type)])
    looked = {i: texts[t] for i, t in lookups.items()}
    names = dict(run.con.execute("SELECT first, k FROM keys").fetchall())  # r0 names a key by its first row
    reader = run.con.sql(
        f"SELECT first, {', '.join(f'{x} AS f{i}' for i, x in enumerate(pieces))} FROM (SELECT *, {_labels(run)} AS ml FROM r0)"
    ).to_arrow_reader(batch or ARROW_BATCH)
    framed = [before, *template, after] if before or after else template
    return _arrow_lines(reader, framed, bad, warnings, looked, names)


def _labels(run: Any) -> str:
    """SQL of each row's JSON month label (``"2024-01"``): an item of the
    constant list of the months the keys span, as ``str(Period)`` writes them
    (one lookup per row: ~18× faster than formatting each row's month), or
    :data:`_ML` past 1,200 months."""
    ((lo, hi),) = run.con.execute("SELECT min(lo), max(hi) FROM keys").fetchall()  # fetched whole: the connection is free
    if lo is None or hi is None or hi - lo >= 1200:
        return _ML
    items = ", ".join(sql_string(f'"{Period.from_index(m)}"') for m in range(lo, hi + 1))
    return f"[{items}][m - {lo} + 1]"


def _arrow_lines(
    reader: Any,
    template: list[Any],
    bad: list[int],
    warnings: dict[str, str],
    looked: dict[int, Any],
    names: dict[int, str],
) -> Iterator[tuple[list[str], Any]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    none, comma, quote, empty_list = arrow_texts(["", ",", '"', "[]"])
    parts = {p: arrow_texts([p])[0] for p in template if isinstance(p, str) and p}
    one = arrow_ints([1])[0]
    past = {i: arrow_ints([len(t) - 1])[0] for i, t in looked.items()}

    def column(tbl: Any, i: int) -> Any:
        col = tbl.column(1 + i).combine_chunks()
        texts = looked.get(i)
        if texts is None:
            return col
        # the month's label, then the pair's text (the pair's row number: `:null` past the end)
        found = pc.take(texts, pc.fill_null(col, past[i].cast(col.type)))
        return pc.binary_join_element_wise(tbl.column(1).combine_chunks(), found, none)

    def lines(tbl: Any) -> tuple[list[str], Any]:
        n = tbl.num_rows
        firsts = tbl.column(0)
        change = pc.indices_nonzero(pc.not_equal(firsts.slice(1), firsts.slice(0, n - 1)))
        after = pc.add(change, one)
        starts = pa.concat_arrays([arrow_ints([0]), after.combine_chunks() if isinstance(after, pa.ChunkedArray) else after])
        offsets = pa.concat_arrays([starts, arrow_ints([n])]).cast(pa.int32())
        key_names = [names[f] for f in pc.take(firsts, starts).to_pylist()]
        keys = arrow_texts(key_names)
        args: list[Any] = []
        for part in template:
            if isinstance(part, str):
                if part:
                    args.append(parts[part])
            elif part[0] == "join":
                col = column(tbl, part[1])
                args.append(pc.binary_join(pa.ListArray.from_arrays(offsets, col), comma))
            elif part[0] == "key":
                args.append(pc.binary_join_element_wise(quote, keys, quote, none))
            else:
                args.append(arrow_texts([warnings.get(k, "[]") for k in key_names]) if warnings else empty_list)
        text = pc.binary_join_element_wise(*args, none)
        if bad:
            keep = pc.invert(pc.is_in(pc.take(firsts, starts), arrow_ints(bad).cast(firsts.type)))
            keys, text = pc.filter(keys, keep), pc.filter(text, keep)
        if isinstance(text, pa.ChunkedArray):  # pragma: no cover - the inputs are single arrays
            text = text.combine_chunks()
        return keys.to_pylist(), text

    def tables() -> Iterator[Any]:
        """The batches cut at a key's end (the last key may go on in the next batch)."""
        tail: Any = None
        for rb in reader:
            tbl = pa.Table.from_batches([rb]) if tail is None else pa.concat_tables([tail, pa.Table.from_batches([rb])])
            if tbl.num_rows == 0:
                continue
            firsts = tbl.column(0)
            cut = pc.index(firsts, firsts[tbl.num_rows - 1]).as_py()
            if cut > 0:
                yield tbl.slice(0, cut)
            tail = tbl.slice(cut)
        if tail is not None and tail.num_rows:
            yield tail

    # Arrow's kernels let go of the interpreter lock: two batches are joined at
    # once while DuckDB computes the next one's pieces; the lines come in order
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=ARROW_THREADS, thread_name_prefix="pact-lines") as pool:
        pending: deque[Any] = deque()
        for tbl in tables():
            pending.append(pool.submit(lines, tbl))
            if len(pending) > ARROW_THREADS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def arrow_texts(texts: Sequence[str]) -> Any:
    """An Arrow string array of ``texts``, built from its buffers: pyarrow
    converting any Python value imports pandas first when it is installed
    (0.15–0.2 s of a run that never uses it)."""
    import pyarrow as pa

    data = [t.encode("utf-8") for t in texts]
    ends = array("i", [0])
    for d in data:
        ends.append(ends[-1] + len(d))
    return pa.StringArray.from_buffers(len(data), pa.py_buffer(ends.tobytes()), pa.py_buffer(b"".join(data)))


def arrow_ints(values: Sequence[int]) -> Any:
    """An Arrow int64 array of ``values``, built from its buffer (see :func:`arrow_texts`)."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(array("q", values).tobytes())])


def text_bytes(text: Any, lo: int, hi: int, skip: int = 0) -> memoryview:
    """The UTF-8 bytes of items ``lo .. hi-1`` of an Arrow string array, which
    lie one after the other in its data buffer (less the first ``skip`` bytes)."""
    validity, offsets, data = text.buffers()[:3]
    assert validity is None or text.null_count == 0
    raw = memoryview(offsets).cast("B")
    offs = raw.cast("q") if str(text.type) == "large_string" else raw.cast("i")
    start, end = offs[text.offset + lo], offs[text.offset + hi]
    return memoryview(data).cast("B")[start + skip : end]


#: A month's JSON label (``"2024-01"``) from its index ``m``.
_ML = month_text("m", quote='"')


def _fetched(cur: Any) -> Iterator[tuple[str, str]]:
    while chunk := cur.fetchmany(2000):
        yield from chunk


