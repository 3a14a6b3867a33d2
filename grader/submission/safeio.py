"""Reading files a student controls, without ever reading anything else.

A submission folder is opened once (``O_DIRECTORY | O_NOFOLLOW``: a folder that is
a link is refused), and each file is opened *relative to that folder's descriptor*
with ``O_NOFOLLOW | O_NONBLOCK``, checked with ``fstat`` and read from the same
descriptor. So a link (to the reference solution, a classmate's answers.yaml,
``/etc/shadow``, ``/proc/self/mem``), a FIFO, a socket, a device or a folder is refused before a byte of what it
points to is read, and no path is looked up twice (no race between check and read).

Hard links are read like any file: making one needs read access to its target
already (``fs.protected_hardlinks``), so it gives nothing a copy would not, and
refusing them would let a student void a classmate's file by linking to it.

Refusals are :class:`Unreadable` with a message key of :mod:`grader.messages`.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_DIR = _OPEN | getattr(os, "O_DIRECTORY", 0)


@dataclass
class Unreadable(Exception):
    """A file (or folder) that is not read, and why: a message key and its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key} {self.params}"


def kind_of(mode: int) -> dict:
    """What a file mode is, in words a student understands: a catalog reference (grader/messages.py)."""
    for test, key in ((stat.S_ISLNK, "kind_link"), (stat.S_ISDIR, "kind_folder"), (stat.S_ISFIFO, "kind_fifo"),
                      (stat.S_ISSOCK, "kind_socket"), (stat.S_ISCHR, "kind_char_device"),
                      (stat.S_ISBLK, "kind_block_device")):
        if test(mode):
            return {"key": key}
    return {"key": "kind_special"}


def open_folder(path: str | os.PathLike) -> int:
    """A descriptor of a real folder (never a link to one); :class:`Unreadable` otherwise."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise Unreadable("sub_folder_unreadable", {"error": exc.strerror or type(exc).__name__}) from None
    if not stat.S_ISDIR(st.st_mode):
        raise Unreadable("sub_folder_not_folder", {"kind": kind_of(st.st_mode)})
    try:
        return os.open(path, _OPEN_DIR)
    except OSError as exc:
        raise Unreadable("sub_folder_unreadable", {"error": exc.strerror or type(exc).__name__}) from None


def list_folder(dir_fd: int) -> list[str]:
    """The names in an open folder (names that are not UTF-8 keep their bytes as surrogates)."""
    return sorted(os.listdir(dir_fd))


def read_member(dir_fd: int, name: str, max_bytes: int) -> bytes | None:
    """The bytes of regular file ``name`` directly inside the open folder; None when it does not exist.

    Raises :class:`Unreadable` for a link, anything but a regular file, or a file larger than ``max_bytes``;
    nothing of such a file is read.
    """
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreadable("sub_unreadable", {"file": name, "error": exc.strerror or type(exc).__name__}) from None
    _check(name, st, max_bytes)            # refuse specials before open(): opening a device can act
    try:
        fd = os.open(name, _OPEN, dir_fd=dir_fd)
    except OSError as exc:                  # ELOOP: it became a link since the stat
        raise Unreadable("sub_unreadable", {"file": name, "error": exc.strerror or type(exc).__name__}) from None
    try:
        st = os.fstat(fd)
        _check(name, st, max_bytes)        # what was opened is what is read
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 16, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise Unreadable("sub_too_large", {"file": name, "limit": _kib(max_bytes)})
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable("sub_unreadable", {"file": name, "error": exc.strerror or type(exc).__name__}) from None
    finally:
        os.close(fd)


def _check(name: str, st: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise Unreadable("sub_link", {"file": name})
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("sub_not_regular", {"file": name, "kind": kind_of(st.st_mode)})
    if st.st_size > max_bytes:
        raise Unreadable("sub_too_large", {"file": name, "limit": _kib(max_bytes)})


def _kib(n: int) -> str:
    return f"{n // 1024} KiB"


def member_digest(dir_fd: int, name: str, max_bytes: int, h) -> None:
    """Feed a file's identity into hash ``h`` without following links or reading specials."""
    try:
        data = read_member(dir_fd, name, max_bytes)
        h.update(b"missing" if data is None else b"file:" + data)
    except Unreadable as exc:
        h.update(f"unreadable:{exc.key}".encode())
