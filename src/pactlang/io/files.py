"""Files at the border: every byte ``pact`` writes, and bounded reads.

One module decides how an output reaches the disk (docs/cli.md, "Outputs"):

* **Atomic.** A regular file (or a new one) is written to a temporary file in
  the target's own folder, flushed and ``fsync``-ed, then renamed over the
  target, and the folder is synced: the file appears complete or not at all,
  and a failed command leaves the previous file untouched.  A replaced file
  keeps its permission bits (and, when the process may, its owner); a new one
  gets ``0o666`` minus the umask.
* **Symlinks are written through**: the path is resolved first, so the link
  stays a link and its target gets the new content.
* **Special files** (character and block devices, FIFOs, sockets) are opened
  and written directly, never renamed over: ``-o /dev/null`` discards the
  output, ``-o /dev/full`` is a "No space left on device" error.
* A file with **several hard links** is rewritten in place (after the new
  content is complete in memory), so every name keeps seeing the same file.
* A **read-only** file (no write permission bit, or no write access for this
  user) is refused, never replaced — also for ``root``.
* An output that **resolves to an input** of the same command (same real path
  or same inode) is refused before anything is written.

Streams use the same rules: :func:`open_output` gives a binary stream to
write a portfolio's output piece by piece (standard output for ``-``), and
:func:`output_file` a temporary path for a writer that needs a file name
(Parquet, XLSX, DuckDB's ``COPY``); either is renamed over the target (or
copied into a special file, or into a file with several hard links) only when
the block ends without an exception.

Failures are :class:`OutputError` (a message for the user; the CLI exits with 2).

Reading: :func:`read_bytes_limited` stats first and reads at most ``limit + 1``
bytes, so ``/dev/zero`` or a huge file ends in :class:`InputTooLarge` quickly.

Locking: :func:`locked` takes an exclusive ``flock`` on a sidecar file
``NAME.lock`` next to the resolved target, waiting at most ``timeout`` seconds
(:class:`LockTimeout`).  The sidecar is never renamed (renaming the locked file
itself would let a waiter lock a stale inode) and is left in place.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "FileProblem",
    "InputTooLarge",
    "LockTimeout",
    "OutputError",
    "locked",
    "open_output",
    "output_file",
    "read_bytes_limited",
    "refuse_inputs",
    "resolve_output",
    "same_file",
    "write_bytes",
    "write_text",
]

#: How long a command waits for a lock held by another ``pact`` process.
DEFAULT_LOCK_TIMEOUT = 10.0
_LOCK_POLL = 0.05


class FileProblem(Exception):
    """A file that cannot be read or written as asked: the message is for the user."""


class OutputError(FileProblem):
    """An output that must not or cannot be written."""


class LockTimeout(FileProblem):
    """Another process held the lock for longer than the allowed wait."""


class InputTooLarge(FileProblem):
    """An input over its size limit (``size`` is None when it is not known, e.g. a device)."""

    def __init__(self, path: str, limit: int, size: int | None) -> None:
        if size is not None:
            why = f"{size:,} bytes; the limit is {limit:,} bytes"
        else:
            why = f"more than the limit of {limit:,} bytes"
        super().__init__(f"{path}: file too large ({why})")
        self.path = path
        self.limit = limit
        self.size = size


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


# ------------------------------------------------------------------ inputs


def read_bytes_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; :class:`InputTooLarge` when there are more.

    The size of a regular file is checked before reading; anything else (a
    device, a FIFO) is read up to ``limit + 1`` bytes and no further.
    ``OSError`` is left to the caller (its message depends on the command).
    """
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise InputTooLarge(str(path), limit, st.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(str(path), limit, None)
    return data


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file (same real path, or same device and inode)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """:class:`OutputError` when ``output`` is one of ``inputs`` (through links too)."""
    for item in inputs:
        if same_file(output, item):
            shown = f"{output}" if str(output) == str(item) else f"{output} (the same file as {item})"
            raise OutputError(
                f"{shown}: the output would overwrite an input of this command; "
                "choose another output file"
            )


# ----------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class Target:
    """Where an output really goes: the resolved path and what is there now."""

    given: str
    real: Path
    st: os.stat_result | None  # None: nothing there yet

    @property
    def special(self) -> bool:
        return self.st is not None and not stat.S_ISREG(self.st.st_mode)


def resolve_output(path: str | os.PathLike[str]) -> Target:
    """Resolve symlinks and check that ``path`` can be an output file at all."""
    given = str(path)
    real = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{given}: cannot write: {_why(exc)}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{given}: is a directory")
    if st is None and not real.parent.is_dir():
        raise OutputError(f"{given}: cannot write: the folder {real.parent} does not exist")
    return Target(given, real, st)


def _check_writable(t: Target) -> None:
    if t.st is None or t.special:
        return
    if not t.st.st_mode & 0o222 or not os.access(t.real, os.W_OK):
        raise OutputError(f"{t.given}: the file is read-only; not replaced")


def write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write ``data`` to ``path`` as described in the module docs, or raise :class:`OutputError`."""
    t = resolve_output(path)
    refuse_inputs(path, inputs)
    if t.special:
        _write_special(t, data)
        return
    _check_writable(t)
    if t.st is not None and t.st.st_nlink > 1:
        _write_in_place(t, data)
        return
    _write_atomic(t, data)


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    write_bytes(path, text.encode("utf-8"), inputs=inputs)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_special(t: Target, data: bytes) -> None:
    try:
        fd = os.open(t.real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
    finally:
        os.close(fd)


def _write_in_place(t: Target, data: bytes) -> None:
    try:
        fd = os.open(t.real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            os.ftruncate(fd, 0)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(t: Target, data: bytes) -> None:
    folder = t.real.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{t.real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write in the folder {folder}: {_why(exc)}") from None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(t, tmp)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------- streams


@contextlib.contextmanager
def output_file(
    path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[Path]:
    """A temporary path to write ``path``'s content to: when the block ends
    without an exception it takes the target's place as :func:`write_bytes`
    would (renamed over a regular file through symlinks; copied into a special
    file or a file with several hard links); removed otherwise."""
    t = resolve_output(path)
    refuse_inputs(path, inputs)
    _check_writable(t)
    direct = t.special or (t.st is not None and t.st.st_nlink > 1)
    folder = Path(tempfile.gettempdir()) if t.special else t.real.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{t.real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write in the folder {folder}: {_why(exc)}") from None
    os.close(fd)
    try:
        yield Path(tmp)
        if direct:
            _copy_into(t, tmp)
        else:
            _install(t, tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if not direct:
        _sync_folder(t.real.parent)


@contextlib.contextmanager
def open_output(
    path: str | os.PathLike[str] | None, *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[BinaryIO]:
    """A binary stream for an output written piece by piece: standard output
    for ``None`` or ``-``; a special file (FIFO, device) opened and written
    directly; any other file through :func:`output_file` (whole or not at all)."""
    if path is None or str(path) == "-":
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    t = resolve_output(path)
    if t.special:
        refuse_inputs(path, inputs)
        try:
            fh = open(t.real, "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
        try:
            yield fh
            fh.flush()
        except OSError as exc:
            raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
        finally:
            with contextlib.suppress(OSError):
                fh.close()
        return
    with output_file(path, inputs=inputs) as tmp:
        try:
            # the empty file mkstemp made, opened without truncating it (on ext4 a
            # truncated file's blocks are allocated when it is closed, at once)
            stream: BinaryIO = _WriteBack(io.FileIO(os.open(tmp, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)), "w"))
        except OSError as exc:
            raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
        try:
            yield stream
        finally:
            try:
                stream.close()
            except OSError as exc:
                raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None


#: Bytes a streamed output is written in before the kernel is asked to write them out.
WRITE_BACK = 32 * 1024 * 1024


class _WriteBack(io.BufferedWriter):
    """A buffered file that, every :data:`WRITE_BACK` bytes, asks the kernel to
    write what it holds of the file to the disk and to drop it from its cache
    (``POSIX_FADV_DONTNEED``): the writing goes on in the background while the
    command computes the next part, the cache does not grow by the file's whole
    size (683 MiB for 3.6M rows of JSON), and the ``fsync`` before the rename
    has little left to do.  The bytes written are the same."""

    def __init__(self, raw: io.FileIO) -> None:
        super().__init__(raw, buffer_size=1024 * 1024)
        self._since = 0

    def write(self, data: Any) -> int:
        n = super().write(data)
        self._since += n
        if self._since >= WRITE_BACK and hasattr(os, "posix_fadvise"):
            self._since = 0
            self.flush()
            os.posix_fadvise(self.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        return n


def _replace(t: Target, tmp: str) -> None:
    """Rename the finished temporary file ``tmp`` over the target, with the
    target's mode and owner (a new file: the umask's mode). Raises ``OSError``."""
    if t.st is not None:
        os.chmod(tmp, stat.S_IMODE(t.st.st_mode))
        if (t.st.st_uid, t.st.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):
                os.chown(tmp, t.st.st_uid, t.st.st_gid)
    else:
        os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, t.real)


def _install(t: Target, tmp: str) -> None:
    """Rename a finished temporary file over the target (mode and owner kept)."""
    try:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _replace(t, tmp)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None


def _copy_into(t: Target, tmp: str) -> None:
    """Copy a finished temporary file into a special file or a hard-linked one."""
    try:
        fd = os.open(t.real, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
    try:
        if not t.special:
            os.ftruncate(fd, 0)
        with open(tmp, "rb") as src:
            while chunk := src.read(1 << 20):
                _write_all(fd, chunk)
        if not t.special:
            os.fsync(fd)
    except OSError as exc:
        raise OutputError(f"{t.given}: cannot write: {_why(exc)}") from None
    finally:
        os.close(fd)


# ------------------------------------------------------------------- locks


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The sidecar lock file of ``path`` (next to the resolved target)."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + ".lock")


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], *, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock for ``path`` for the duration of the block.

    Waits at most ``timeout`` seconds for another process to release it, then
    raises :class:`LockTimeout`.  Where ``fcntl`` does not exist (Windows) the
    block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    sidecar = lock_path(path)
    if not sidecar.parent.is_dir():
        raise OutputError(f"{path}: cannot write: the folder {sidecar.parent} does not exist")
    try:
        fd = os.open(sidecar, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the lock file {sidecar}: {_why(exc)}") from None
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise OutputError(f"{path}: cannot lock {sidecar}: {_why(exc)}") from None
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{path}: in use by another pact process (lock {sidecar}); "
                        f"gave up after {timeout:g} s"
                    ) from None
                time.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
