"""The model store's file system layer: hashing, durable writes, regular files only.

Every write is ``fsync``'ed before it is made visible by a rename; stored files are
made read-only (locks and the store's layout are in ``_layout``).

Only regular files are read or copied: a symbolic link, a device file (``/dev/zero``
would copy until the disk fills), a FIFO (reading it blocks) or a socket raises
:class:`UnsafeEntry`, found with ``os.lstat`` and confirmed on the open descriptor
(``O_NOFOLLOW``, then ``fstat``), so a file swapped for a link in between is refused
too.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

import numpy as np

from modelmaint._validation import check_bool, check_path

__all__ = ["data_fingerprint", "sha256_file"]

CHUNK = 1 << 20
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0o444
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a link at the last component: ELOOP
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the lstat: no hang
    | getattr(os, "O_BINARY", 0)
)
_KINDS = [
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
]


class UnsafeEntry(ValueError):
    """A path that is not what the store reads or writes (e.g. a link, a device)."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        self.path, self.kind = str(path), kind
        super().__init__(f"{self.path!r} is {kind}, not a regular file")


def kind_of(mode: int) -> str:
    """``"a symbolic link"``, ``"a FIFO"``, ... for an ``st_mode``."""
    return next((k for test, k in _KINDS if test(mode)), "an unknown kind of file")


def open_regular(path: str | os.PathLike[str], *, follow: bool = False) -> IO[bytes]:
    """Open a regular file for reading; anything else raises :class:`UnsafeEntry`."""
    st = os.stat(path) if follow else os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeEntry(path, kind_of(st.st_mode))
    try:
        fd = os.open(path, _OPEN_FLAGS | (0 if follow else _NOFOLLOW))
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise UnsafeEntry(path, "a symbolic link (it changed while opened)") from exc
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
        st.st_dev,
        st.st_ino,
    ):
        os.close(fd)
        raise UnsafeEntry(path, f"{kind_of(now.st_mode)} (it changed while opened)")
    return os.fdopen(fd, "rb")


def sha256_file(path: str | os.PathLike[str], *, follow: bool = True) -> str:
    """Hex sha256 of a regular file's bytes, read in 1 MiB chunks.

    A device file, FIFO or socket raises ``ValueError`` (reading ``/dev/zero``
    would never end); ``follow=False`` refuses a symbolic link too.

    Parameters
    ----------
    path : str or os.PathLike
        The file to hash: a non-empty path (an int, which ``open`` would take for
        a file descriptor, is refused).
    follow : bool, default True
        Follow a symbolic link to the file it names; ``False`` refuses the link.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "empty.bin"
    >>> _ = p.write_bytes(b"")
    >>> sha256_file(p)[:16]  # the sha256 of no bytes at all
    'e3b0c44298fc1c14'
    >>> sha256_file(p.parent)
    Traceback (most recent call last):
    ...
    modelmaint.registry._files.UnsafeEntry: '...' is a directory, not a regular file
    >>> sha256_file(p, follow="no")
    Traceback (most recent call last):
    ...
    modelmaint._validation._scalars.InputTypeError: follow must be True or False; \
got 'no'
    """
    path = check_path(path, "path")
    follow = check_bool(follow, "follow")
    digest = hashlib.sha256()
    with open_regular(path, follow=follow) as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def data_fingerprint(*arrays: Any) -> str:
    """A sha256 of arrays' shapes, dtypes and bytes: which data trained a model.

    Store it as a version's ``data_hash``: two versions with the same fingerprint
    were trained on the same data, byte for byte.

    Examples
    --------
    >>> a = np.arange(6).reshape(2, 3)
    >>> data_fingerprint(a) == data_fingerprint(a.copy())
    True
    >>> data_fingerprint(a) == data_fingerprint(a.T)  # same numbers, other layout
    False
    >>> data_fingerprint()
    Traceback (most recent call last):
    ...
    ValueError: arrays must hold at least one array; got none
    """
    if not arrays:
        raise ValueError("arrays must hold at least one array; got none")
    digest = hashlib.sha256()
    for arr in arrays:
        a = np.ascontiguousarray(np.asarray(arr))
        if a.dtype == object:
            raise ValueError(
                "arrays must be numeric or string arrays; got dtype object"
            )
        digest.update(f"{a.shape}|{a.dtype.str}|".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


def walk_regular(directory: Path) -> list[tuple[str, Path]]:
    """Every regular file under ``directory`` as ``(relpath with '/', path)``, sorted.

    Nothing is followed: a symbolic link, device, FIFO or socket anywhere under
    ``directory`` (or ``directory`` itself not being a real directory) raises
    :class:`UnsafeEntry` naming it.
    """
    top = os.lstat(directory)
    if not stat.S_ISDIR(top.st_mode):
        raise UnsafeEntry(directory, kind_of(top.st_mode))
    out: list[tuple[str, Path]] = []

    def visit(folder: Path, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    visit(Path(entry.path), f"{prefix}{entry.name}/")
                elif stat.S_ISREG(mode):
                    out.append((prefix + entry.name, Path(entry.path)))
                else:
                    raise UnsafeEntry(entry.path, kind_of(mode))

    visit(directory, "")
    return sorted(out)


def check_chain(base: Path, relpath: str) -> Path:
    """``base / relpath``, every component below ``base`` a real directory and the
    last one a regular file (``UnsafeEntry`` otherwise); ``base`` is trusted."""
    path = base
    parts = relpath.split("/")
    for i, part in enumerate(parts):
        path = path / part
        mode = os.lstat(path).st_mode
        if not (stat.S_ISREG(mode) if i == len(parts) - 1 else stat.S_ISDIR(mode)):
            raise UnsafeEntry(path, kind_of(mode))
    return path


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (a no-op where directories can't open)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a directory; rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes, *, read_only: bool = True) -> None:
    """Write a new file (never overwrite), fsync it, and make it read-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:  # "x": never overwrite, never follow a link
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if read_only:
        os.chmod(path, _READ_ONLY)


def copy_file(src: Path, dst: Path) -> None:
    """Copy one regular file's bytes into a new read-only file, fsync'ed."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open_regular(src) as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)
        fout.flush()
        os.fsync(fout.fileno())
    os.chmod(dst, _READ_ONLY)


def remove_tree(path: Path) -> None:
    """Delete a temporary file or directory, read-only files included (Windows
    needs that); links inside are removed, never followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        path.unlink(missing_ok=True)
        return
    for folder, _dirs, files in os.walk(path):  # followlinks=False by default
        for name in files:
            file = os.path.join(folder, name)
            with suppress(OSError):
                if stat.S_ISREG(os.lstat(file).st_mode):
                    os.chmod(file, stat.S_IWUSR | stat.S_IRUSR)
    shutil.rmtree(path, ignore_errors=True)


def stage(tmp: Path, plan: list[tuple[str, bytes | Path]]) -> dict[str, str]:
    """Write the planned files (read-only, fsync'ed) under ``tmp/files``; sha256s."""
    files_dir = tmp / "files"
    files_dir.mkdir(parents=True)
    for relpath, src in plan:
        dst = files_dir / relpath
        if isinstance(src, bytes):
            write_bytes(dst, src)
            continue
        try:
            copy_file(src, dst)
        except UnsafeEntry as exc:  # swapped after it was checked
            raise ValueError(
                f"artifacts must not change while saved; {exc.path!r} is now {exc.kind}"
            ) from None
    written = walk_regular(files_dir)
    for d in sorted({p.parent for _, p in written} | {files_dir}):
        fsync_dir(d)
    return {rel: sha256_file(p, follow=False) for rel, p in written}
