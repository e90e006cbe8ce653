"""The model store's file system layer: hashing, durable writes, one lock per model.

Every write is ``fsync``'ed before it is made visible by a rename; stored files are
made read-only; writers of the same model take turns through a file lock
(``.locks/<name>.lock`` under the store's root, the ``filelock`` package: ``fcntl``
on POSIX, ``msvcrt`` on Windows), so two processes never pick the same version
number or lose each other's promotion.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["data_fingerprint", "sha256_file"]

CHUNK = 1 << 20
LOCK_TIMEOUT_S = 60.0
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0o444


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "empty.bin"
    >>> _ = p.write_bytes(b"")
    >>> sha256_file(p)[:16]  # the sha256 of no bytes at all
    'e3b0c44298fc1c14'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
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
    with open(path, "xb") as fh:  # "x": never overwrite
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if read_only:
        os.chmod(path, _READ_ONLY)


def copy_file(src: Path, dst: Path) -> None:
    """Copy one file's bytes into a new read-only file, fsync'ed."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)
        fout.flush()
        os.fsync(fout.fileno())
    os.chmod(dst, _READ_ONLY)


def iter_files(directory: Path) -> Iterator[Path]:
    """Every file under ``directory``, sorted."""
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            yield path


def remove_tree(path: Path) -> None:
    """Delete a temporary directory, read-only files included (Windows needs that)."""
    for file in iter_files(path) if path.exists() else ():
        os.chmod(file, stat.S_IWUSR | stat.S_IRUSR)
    shutil.rmtree(path, ignore_errors=True)


def model_lock(root: Path, name: str) -> Any:
    """An inter-process lock for one model of the store (a context manager)."""
    from filelock import FileLock  # imported only to write

    locks = root / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    return FileLock(locks / f"{name}.lock", timeout=LOCK_TIMEOUT_S)
