"""The output writer and bounded reads of :mod:`pactlang.io.files` (docs/cli.md, "Outputs")."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from pactlang.io import files
from pactlang.io.files import (
    InputTooLarge,
    LockTimeout,
    OutputError,
    locked,
    read_bytes_limited,
    refuse_inputs,
    write_bytes,
    write_text,
)


def test_a_new_file_is_written_whole_with_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "shared.json"
    real.write_text("old")
    link = tmp_path / "mine.json"
    link.symlink_to(real.name)
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text() == "new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("target.txt")
    write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "target.txt").read_text() == "x"


def test_a_hard_linked_file_is_rewritten_in_place(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("old")
    b = tmp_path / "b.txt"
    os.link(a, b)
    write_text(b, "new")
    assert a.read_text() == "new" and os.path.samefile(a, b)


def test_a_fifo_is_written_to_directly_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader)
    t.start()
    write_bytes(fifo, b"through the pipe")
    t.join(10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_full_device_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # like /dev/full, without depending on it: the special file refuses the bytes
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    opened = threading.Thread(target=lambda: open(fifo, "rb").close())
    opened.start()
    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_bytes(fifo, b"x")
    opened.join(10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "ro.pact"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        write_text(target, "new")
    assert target.read_text() == "keep"


def test_a_missing_folder_and_a_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_text(tmp_path / "nope" / "out.txt", "x")
    with pytest.raises(OutputError, match="is a directory"):
        write_text(tmp_path, "x")


def test_an_unwritable_folder_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match="cannot write in the folder .*Permission denied"):
        write_text(tmp_path / "out.txt", "x")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("how", ["same", "spelling", "symlink", "hardlink"])
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, how: str) -> None:
    source = tmp_path / "a.pact"
    source.write_text("contract")
    if how == "same":
        output = source
    elif how == "spelling":
        output = tmp_path / "." / "a.pact"
    elif how == "symlink":
        output = tmp_path / "link.pact"
        output.symlink_to(source)
    else:
        output = tmp_path / "hard.pact"
        os.link(source, output)
    with pytest.raises(OutputError, match="would overwrite an input"):
        write_text(output, "annex", inputs=[source])
    assert source.read_text() == "contract"
    refuse_inputs(tmp_path / "other.md", [source])  # a different file is fine


def test_reads_are_bounded(tmp_path: Path) -> None:
    assert read_bytes_limited(_sized(tmp_path / "ok", 10), 10) == b"\0" * 10
    with pytest.raises(InputTooLarge, match="11 bytes; the limit is 10 bytes"):
        read_bytes_limited(_sized(tmp_path / "big", 11), 10)
    big = tmp_path / "sparse"
    with open(big, "wb") as fh:
        fh.truncate(1 << 30)  # 1 GiB, never read
    with pytest.raises(InputTooLarge, match="1,073,741,824 bytes"):
        read_bytes_limited(big, 20_000_000)
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputTooLarge, match="more than the limit of 1,000,000 bytes"):
            read_bytes_limited("/dev/zero", 1_000_000)


def _sized(path: Path, n: int) -> Path:
    path.write_bytes(b"\0" * n)
    return path


def test_a_held_lock_makes_others_wait_then_give_up(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    with locked(state):
        with pytest.raises(LockTimeout, match="in use by another pact process"):
            with locked(state, timeout=0.2):
                pass  # pragma: no cover
    with locked(state, timeout=0):  # released
        pass
    assert (tmp_path / "s.json.lock").exists()


def test_a_lock_through_a_symlink_is_the_target_lock(tmp_path: Path) -> None:
    (tmp_path / "shared.json").write_text("{}")
    (tmp_path / "mine.json").symlink_to("shared.json")
    with locked(tmp_path / "shared.json"):
        with pytest.raises(LockTimeout):
            with locked(tmp_path / "mine.json", timeout=0.1):
                pass  # pragma: no cover


def test_a_streamed_output_is_written_back_as_it_goes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A streamed output asks the kernel to write its bytes out every
    ``WRITE_BACK`` bytes (and to drop them from its cache): the file is the
    bytes written, in order, and appears only at the end."""
    from pactlang.io.files import open_output

    monkeypatch.setattr(files, "WRITE_BACK", 1000)
    advised: list[int] = []
    real = os.posix_fadvise
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, off, n, how: (advised.append(how), real(fd, off, n, how)))
    target = tmp_path / "out.jsonl"
    pieces = [bytes([65 + i % 26]) * (300 + i) for i in range(40)]
    with open_output(target) as out:
        for piece in pieces:
            out.write(memoryview(piece))
        assert not target.exists()
    assert target.read_bytes() == b"".join(pieces)
    assert advised and set(advised) == {os.POSIX_FADV_DONTNEED}
    assert len(advised) >= sum(map(len, pieces)) // (1000 + max(map(len, pieces)))
