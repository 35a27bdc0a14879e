"""Outputs written as a stream: to standard output, or to a file that appears
complete or not at all (a temporary file beside it, renamed over it at the end).

A portfolio's output is written piece by piece as it is produced, never held
whole; with ``-o FILE`` a failure half-way leaves no partial file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["output_path", "sink"]


@contextlib.contextmanager
def output_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that needs a file name
    (Parquet, XLSX, DuckDB's ``COPY``); renamed over ``path`` when the block
    ends without an exception, removed otherwise."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, (target.stat().st_mode & 0o777) if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def sink(path: str | Path | None) -> Iterator[BinaryIO]:
    """A binary stream: standard output for ``None`` or ``-``, else a file
    written whole or not at all."""
    if path is None or str(path) == "-":
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    with output_path(path) as tmp, open(tmp, "wb", buffering=1024 * 1024) as fh:
        yield fh
