"""Where the store keeps things, and who may touch them: locks, listing, clean-up.

Writers of the same model take turns through a file lock (``.locks/<name>.lock``
under the store's root, the ``filelock`` package: ``flock`` on POSIX, ``msvcrt`` on
Windows), so two processes never pick the same version number or lose each other's
promotion. A version is staged in ``<name>/.tmp-<id>`` while its writer holds the
guard ``<name>/.tmp-<id>.lock``; opening the store removes the ``.tmp-*`` entries
whose guard is free (their writer died). Nothing is followed out of the store: a
linked model or version directory raises :class:`IntegrityError`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from modelmaint.registry import _files
from modelmaint.registry._names import check_name, is_name, version_number
from modelmaint.registry.version import METADATA, IntegrityError

LOCK_TIMEOUT_S = 60.0
TMP_PREFIX = ".tmp-"


def model_lock(root: Path, name: str, *, timeout: float = LOCK_TIMEOUT_S) -> Any:
    """An inter-process lock for one model of the store (a context manager).

    The name is checked first: a bad one creates no lock file anywhere.
    """
    from filelock import FileLock  # imported only to write

    name = check_name(name)
    locks = root / ".locks"
    if os.path.lexists(locks) and not stat.S_ISDIR(os.lstat(locks).st_mode):
        kind = _files.kind_of(os.lstat(locks).st_mode)
        raise IntegrityError(
            f"{str(locks)!r} must be the store's lock directory; it is {kind}"
        )
    locks.mkdir(exist_ok=True)
    return FileLock(locks / f"{name}.lock", timeout=timeout)


def version_dirs(root: Path, name: str) -> dict[int, Path]:
    """Version number -> directory of the complete versions of ``name``.

    A ``vNNNN`` directory without ``metadata.json`` is not a version (never
    written by ``save``, whose rename is atomic). A model or version directory
    that is a symbolic link raises :class:`IntegrityError`.
    """
    model_dir = root / name
    try:
        mode = os.lstat(model_dir).st_mode
    except FileNotFoundError:
        return {}
    if stat.S_ISLNK(mode):
        raise IntegrityError(
            f"{name}: {str(model_dir)!r} is a symbolic link; the store keeps its "
            "models in real directories"
        )
    if not stat.S_ISDIR(mode):
        return {}
    out = {}
    with os.scandir(model_dir) as entries:
        for entry in entries:
            number = version_number(entry.name)
            if number is None:
                continue
            if entry.is_symlink():
                raise IntegrityError(
                    f"{name}: {entry.path!r} is a symbolic link; a version is a "
                    "real directory inside the store"
                )
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False) and os.path.lexists(path / METADATA):
                out[number] = path
    return out


def model_names(root: Path) -> list[str]:
    """The models of the store, sorted: real directories with a valid name and at
    least one version (a damaged one counts: using it raises)."""
    out = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if is_name(entry.name) and entry.is_dir(follow_symlinks=False):
            try:
                if version_dirs(root, entry.name):
                    out.append(entry.name)
            except IntegrityError:
                out.append(entry.name)
    return out


@contextmanager
def writer_guard(guard: Path) -> Iterator[None]:
    """Hold ``guard`` (a lock file) while a ``.tmp-*`` entry is being written.

    The kernel drops the lock when its process dies, even on ``kill -9``: a
    guard that can be taken marks a temporary entry nobody is writing.
    """
    from filelock import FileLock

    try:
        with FileLock(guard, timeout=LOCK_TIMEOUT_S):
            yield
    finally:
        guard.unlink(missing_ok=True)


def clean_stale(model_dir: Path) -> list[str]:
    """Remove the ``.tmp-*`` entries of ``model_dir`` whose writer is gone.

    Called with the model's lock held, which covers the pointer's temporary file
    (written under that lock). A version is staged *outside* the model's lock
    (writers copy in parallel), so holding it says nothing about a ``.tmp-<id>``
    directory: each has a guard ``.tmp-<id>.lock`` that its writer holds from
    before creating it until it is renamed or removed. An age threshold would
    delete a slow writer's directory (a large copy, a stalled disk) or keep a
    dead one's for hours; a lock answers "is its writer alive?" exactly.
    Returns the names removed.
    """
    from filelock import FileLock, Timeout

    groups: dict[str, list[str]] = {}
    for entry in sorted(os.listdir(model_dir)):
        if entry.startswith(TMP_PREFIX):
            base = entry.removesuffix(".lock").removesuffix(".json")
            groups.setdefault(base, []).append(entry)
    removed: list[str] = []
    for base, members in groups.items():
        guard = model_dir / f"{base}.lock"
        lock = FileLock(guard, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            continue  # its writer holds the guard: alive, still staging
        try:
            for entry in members:
                if entry != guard.name:
                    _files.remove_tree(model_dir / entry)
                    removed.append(entry)
        finally:
            lock.release()
            guard.unlink(missing_ok=True)
    return removed


def clean_store(root: Path) -> list[str]:
    """:func:`clean_stale` for every model, best effort; ``name/entry`` removed.

    Each model's lock is tried without waiting: a model whose lock is busy (a
    writer renaming or promoting right now), or a store opened read-only, is
    cleaned at a later opening.
    """
    removed: list[str] = []
    try:
        models = sorted(e.name for e in os.scandir(root) if is_name(e.name))
    except OSError:
        return removed
    for name in models:
        model_dir = root / name
        try:
            if os.path.islink(model_dir) or not os.path.isdir(model_dir):
                continue
            if any(e.startswith(TMP_PREFIX) for e in os.listdir(model_dir)):
                with model_lock(root, name, timeout=0):
                    removed += [f"{name}/{e}" for e in clean_stale(model_dir)]
        except (OSError, IntegrityError):  # filelock.Timeout is an OSError
            continue
    return removed
