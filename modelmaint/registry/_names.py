"""Checks on the names and paths callers hand to the store, before any file is touched.

A model name becomes a directory (``<root>/<name>``) and a lock file
(``<root>/.locks/<name>.lock``), so it is matched in full (``re.fullmatch``: no
trailing newline slips through ``$``) against a short ASCII pattern with no ``/``,
no ``\\``, no ``..``. An artifact name becomes a path under ``files/``. An artifact
given as a path must be a regular file or a directory of regular files: a symbolic
link anywhere in it, a device file (``/dev/zero``), a FIFO or a socket is refused
with a ``ValueError`` naming the path.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from modelmaint._validation import show
from modelmaint.registry import _files

NAME_MAX = 64
NAME_RE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{NAME_MAX - 1}}}")
VERSION_RE = re.compile(r"v([0-9]{4,})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _short(value: Any, limit: int = 80) -> str:
    text = show(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_name(name: Any) -> bool:
    """Whether ``name`` is a valid model name (see :func:`check_name`)."""
    return (
        isinstance(name, str)
        and NAME_RE.fullmatch(name) is not None
        and ".." not in name
    )


def check_name(name: Any) -> str:
    """A model name: 1-64 ASCII letters, digits, ``_``, ``.``, ``-``, first a letter
    or digit, no ``..``.

    Examples
    --------
    >>> check_name("digits-v2.tflite")
    'digits-v2.tflite'
    >>> check_name("m\\n")
    Traceback (most recent call last):
    ...
    ValueError: name must be 1-64 characters ... got 'm\\n'
    """
    if not is_name(name):
        raise ValueError(
            f"name must be 1-{NAME_MAX} characters of ASCII letters, digits, '_', "
            f"'.', '-', starting with a letter or digit, without '..'; "
            f"got {_short(name)}"
        )
    return str(name)


def version_number(entry: str) -> int | None:
    """The number of a version directory's name (``v0001`` -> 1), else ``None``."""
    m = VERSION_RE.fullmatch(entry)
    if m is None or entry != f"v{int(m.group(1)):04d}":  # one spelling per number
        return None
    return int(m.group(1))


def check_relpath(relpath: Any) -> str:
    """A safe relative artifact path with ``/`` separators."""
    if not isinstance(relpath, str) or not relpath:
        raise ValueError(
            f"artifact names must be non-empty strings; got {_short(relpath)}"
        )
    parts = relpath.replace("\\", "/").split("/")
    if relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(
            f"artifact names must be relative paths without '.', '..' or empty "
            f"parts; got {_short(relpath)}"
        )
    if _CONTROL.search(relpath):
        raise ValueError(
            f"artifact names must not contain control characters; got {_short(relpath)}"
        )
    return "/".join(parts)


def _source(relpath: str, src: Path) -> list[tuple[str, Path]]:
    """The regular files one path artifact stands for, as ``(stored name, path)``."""
    rule = (
        f"artifacts[{relpath!r}] must be bytes, a regular file or a directory of "
        "regular files (no symbolic links, devices, FIFOs or sockets)"
    )
    try:
        mode = os.lstat(src).st_mode
    except OSError:
        raise ValueError(
            f"artifacts[{relpath!r}] must be bytes or an existing file or "
            f"directory; got {_short(str(src))}"
        ) from None
    if stat.S_ISREG(mode):
        return [(relpath, src)]
    if not stat.S_ISDIR(mode):
        raise ValueError(f"{rule}; got {str(src)!r} ({_files.kind_of(mode)})")
    try:
        found = _files.walk_regular(src)
    except _files.UnsafeEntry as exc:
        raise ValueError(f"{rule}; found {exc.path!r} ({exc.kind})") from None
    for sub, _path in found:
        check_relpath(f"{relpath}/{sub}")
    return [(f"{relpath}/{sub}", path) for sub, path in found]


def plan_artifacts(artifacts: Any) -> list[tuple[str, bytes | Path]]:
    """Check ``save``'s ``artifacts``; every stored name -> its bytes or source file.

    Nothing is written: a refusal leaves no trace in the store.
    """
    if not isinstance(artifacts, Mapping) or not artifacts:
        raise ValueError(
            "artifacts must be a non-empty mapping of file name -> bytes or path; "
            f"got {_short(artifacts, 60)}"
        )
    plan: list[tuple[str, bytes | Path]] = []
    for key, src in artifacts.items():
        relpath = check_relpath(key)
        if isinstance(src, (bytes, bytearray, memoryview)):
            plan.append((relpath, bytes(src)))
        elif isinstance(src, (str, os.PathLike)) and os.fspath(src):
            plan.extend(_source(relpath, Path(src)))
        else:
            raise ValueError(
                f"artifacts[{relpath!r}] must be bytes or an existing file or "
                f"directory; got {_short(src)}"
            )
    names = [relpath for relpath, _ in plan]
    twice = sorted(r for r, n in Counter(names).items() if n > 1)
    folders = {r.rsplit("/", k)[0] for r in names for k in range(1, r.count("/") + 1)}
    clash = twice or sorted(folders & set(names))
    if clash:
        raise ValueError(
            "artifacts must name each stored file once and no file as a folder of "
            f"another; {clash[0]!r} is given twice or holds other files"
        )
    return plan
