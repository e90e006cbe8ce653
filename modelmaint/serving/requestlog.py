"""The request log: JSON lines, whole requests at a time, rotated by size.

:class:`RequestLog` is what :func:`~modelmaint.serving.make_app` writes through;
:func:`read_request_log` turns the file into the table notebook 03's monitors read.
Taught in notebook 09.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import InputTypeError, check_bool, check_int, show

__all__ = ["LOG_COLUMNS", "RequestLog", "read_request_log"]

#: the log's own columns; a feature may not take one of these names
LOG_COLUMNS = (
    "time", "request_id", "row", "model_version", "latency_ms", "batch_size",
    "prediction", "probability",
)  # fmt: skip
_LOCKS: dict[Path, threading.Lock] = {}  # one lock per file, shared by every app
_LOCKS_GUARD = threading.Lock()


def _rotated(path: Path, i: int) -> Path:
    return path.with_name(f"{path.name}.{i}")


class RequestLog:
    """Append whole requests to ``path``; past ``max_bytes``, rotate it.

    Rotation renames ``path`` to ``path.1`` (``path.1`` to ``path.2``, ...) and keeps
    ``backups`` old files; the oldest is dropped. A request is never split: its lines
    go in one write, under a lock shared by every writer of the file in this process,
    so lines never interleave. A single request bigger than ``max_bytes`` still goes
    whole into a fresh file. The file is checked here (it is opened for appending,
    and not created), so a path that cannot be written fails now, not per request.
    The messages name :func:`~modelmaint.serving.make_app`'s parameters
    (``log_path``, ``log_max_bytes``, ``log_backups``), through which it is made.

    Parameters
    ----------
    path : str or os.PathLike
        The log file (its folder must exist and be writable; not a directory).
    max_bytes : int
        Rotate before a request would make the file larger than this (>= 1).
    backups : int
        Rotated files kept, ``path.1`` (newest) to ``path.<backups>``; 0 keeps
        none (the full file is deleted and a new one started).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "requests.jsonl"
    >>> log = RequestLog(path, max_bytes=10, backups=2)
    >>> for k in range(4):
    ...     log.append([f'{{"k": {k}}}'])
    >>> sorted(p.name for p in path.parent.iterdir())
    ['requests.jsonl', 'requests.jsonl.1', 'requests.jsonl.2']
    >>> path.read_text()
    '{"k": 3}\\n'
    >>> RequestLog(path.parent, max_bytes=10, backups=2)
    Traceback (most recent call last):
    ...
    ValueError: log_path must be a file path; ... is a directory
    """

    def __init__(self, path: str | os.PathLike[str], *, max_bytes: int, backups: int):
        if not isinstance(path, (str, os.PathLike)):
            raise InputTypeError(f"log_path must be a path or None; got {show(path)}")
        if os.fspath(path) == "":
            raise ValueError("log_path must be a file path; got ''")
        self.path = Path(path)
        self.max_bytes = check_int(max_bytes, "log_max_bytes", minimum=1)
        self.backups = check_int(backups, "log_backups", minimum=0)
        self._check_writable()
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(self.path.resolve(), threading.Lock())

    def _check_writable(self) -> None:
        path = self.path
        if not path.parent.is_dir():
            raise ValueError(f"log_path: folder {str(path.parent)!r} does not exist")
        for p in [path, *(_rotated(path, i) for i in range(1, self.backups + 1))]:
            if p.is_dir():
                raise ValueError(
                    f"log_path must be a file path; {str(p)!r} is a directory"
                )
        existed = path.exists()
        try:
            with path.open("ab"):
                pass
        except OSError as exc:
            raise ValueError(
                f"log_path {str(path)!r} cannot be opened for appending: {exc.strerror}"
            ) from exc
        if not existed:  # leave no empty log behind: nothing was predicted yet
            path.unlink(missing_ok=True)
        if not os.access(path.parent, os.W_OK):  # rotation renames inside the folder
            raise ValueError(f"log_path: folder {str(path.parent)!r} is not writable")

    def append(self, lines: list[str]) -> None:
        """Write ``lines`` (one request) at once, rotating first if they do not fit.

        Parameters
        ----------
        lines : list of str
            The request's JSON lines, without line breaks (one per predicted row).

        Examples
        --------
        >>> import tempfile
        >>> log = RequestLog(
        ...     Path(tempfile.mkdtemp()) / "r.jsonl", max_bytes=2**20, backups=1
        ... )
        >>> log.append(['{"row": 0}', '{"row": 1}'])
        >>> log.path.read_text().splitlines()
        ['{"row": 0}', '{"row": 1}']
        """
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with self._lock:
            try:
                size = self.path.stat().st_size
            except FileNotFoundError:
                size = 0
            if size and size + len(data) > self.max_bytes:
                self._rotate()
            with self.path.open("ab") as fh:
                fh.write(data)

    def _rotate(self) -> None:
        if self.backups == 0:
            self.path.unlink(missing_ok=True)
            return
        for i in range(self.backups - 1, 0, -1):
            if _rotated(self.path, i).exists():
                os.replace(_rotated(self.path, i), _rotated(self.path, i + 1))
        os.replace(self.path, _rotated(self.path, 1))


def request_lines(
    x: np.ndarray,
    proba: np.ndarray,
    predictions: np.ndarray,
    latency_ms: float,
    model_version: str,
    names: list[str],
) -> list[str]:
    """One JSON line per row of a request (the log's format)."""
    now = datetime.now(UTC).isoformat()
    request_id = uuid.uuid4().hex
    return [
        json.dumps(
            {
                "time": now,
                "request_id": request_id,
                "row": i,
                "model_version": model_version,
                "latency_ms": latency_ms,
                "batch_size": len(x),
                "prediction": int(predictions[i]),
                "probability": float(proba[i, predictions[i]]),
                "features": dict(zip(names, map(float, x[i]), strict=True)),
            }
        )
        for i in range(len(x))
    ]


def read_request_log(
    path: str | os.PathLike[str], *, rotated: bool = False
) -> pd.DataFrame:
    """The request log as a table: one row per prediction, features as columns.

    Columns: ``time`` (UTC), ``request_id``, ``row``, ``model_version``,
    ``latency_ms`` (of the whole request), ``batch_size``, ``prediction``,
    ``probability`` (of the predicted class), then one column per feature.

    By default only the current file ``path`` is read. With ``rotated=True`` the
    rotated files are read too, oldest first (``path.3``, ``path.2``, ``path.1``,
    ``path``), so the table is in time order.

    Parameters
    ----------
    path : str or os.PathLike
        The log file given to :func:`~modelmaint.serving.make_app` as ``log_path``
        (a non-empty path).
    rotated : bool, default False
        Also read the rotated files ``path.1``, ``path.2``, ...

    Returns
    -------
    pandas.DataFrame
        One row per predicted row of every request, oldest first.

    Raises
    ------
    ValueError
        No log at ``path`` (nor rotated files, with ``rotated=True``), or an empty
        one.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> from modelmaint.monitor import latency_stats
    >>> from modelmaint.serving import make_app
    >>> log = Path(tempfile.mkdtemp()) / "requests.jsonl"
    >>> app = make_app(lambda x: np.full((len(x), 2), 0.5), n_features=1, log_path=log)
    >>> client = TestClient(app)
    >>> for rows in ([[1.0]], [[2.0], [3.0]]):
    ...     _ = client.post("/predict", json={"instances": rows})
    >>> table = read_request_log(log)
    >>> table[["row", "batch_size", "x0"]].values.tolist()
    [[0.0, 1.0, 1.0], [0.0, 2.0, 2.0], [1.0, 2.0, 3.0]]
    >>> per_request = table.groupby("request_id", sort=False)["latency_ms"].first()
    >>> latency_stats(per_request).n_calls
    2
    >>> try:
    ...     read_request_log(None)
    ... except TypeError as err:
    ...     print(err)
    path must be a path (str or os.PathLike); got None
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputTypeError(
            f"path must be a path (str or os.PathLike); got {show(path)}"
        )
    if not os.fspath(path):
        raise ValueError("path must be a non-empty path; got ''")
    path = Path(path)
    rotated = check_bool(rotated, "rotated")
    files = []
    if rotated:
        i = 1
        while _rotated(path, i).is_file():
            files.insert(0, _rotated(path, i))
            i += 1
    if path.is_file():
        files.append(path)
    if not files:
        raise ValueError(f"path: no request log at {str(path)!r}")
    records: list[dict[str, Any]] = [
        json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()
        if line
    ]  # fmt: skip
    if not records:
        raise ValueError(f"path: the request log {str(path)!r} is empty")
    table = pd.DataFrame(records)
    features = pd.DataFrame(table.pop("features").tolist(), index=table.index)
    table["time"] = pd.to_datetime(table["time"], utc=True, format="ISO8601")
    return pd.concat([table, features], axis=1)
