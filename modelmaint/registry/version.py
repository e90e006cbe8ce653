"""What a stored version is, and the checks on what callers pass in.

Part of :mod:`modelmaint.registry` (notebook 09): :class:`ModelVersion`,
:class:`IntegrityError`, the checks on versions and metrics, and the reading of a
version's ``metadata.json`` (names and paths are checked in ``_names``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from modelmaint._validation import check_int, show
from modelmaint.registry import _files
from modelmaint.registry._names import check_relpath

__all__ = ["IntegrityError", "ModelVersion"]

METADATA = "metadata.json"
FILES = "files"
_KEYS = ("name", "version", "sha256", "created", "metrics", "data_hash", "parent",
         "notes")  # fmt: skip
_HEX = re.compile(r"[0-9a-f]{64}")


class IntegrityError(ValueError):
    """The store's files are not as it wrote them.

    A stored file whose sha256 differs from the one recorded at save time, a
    missing or extra file, a symbolic link or device inside the store, an
    unreadable or inconsistent ``metadata.json`` or ``production.json``. The
    message names the file. A ``ValueError``, so code that catches bad input
    catches it too.

    Examples
    --------
    >>> import tempfile
    >>> from modelmaint.registry import ModelRegistry
    >>> reg = ModelRegistry(tempfile.mkdtemp())
    >>> v1 = reg.save("digits", {"model.bin": b"weights"})
    >>> stored = v1.file("model.bin")  # read-only; someone forces it:
    >>> stored.chmod(0o644); _ = stored.write_bytes(b"tampered")
    >>> try:
    ...     reg.load("digits")
    ... except IntegrityError as err:
    ...     print(str(err)[:40])
    digits v1: file 'model.bin' was modified
    >>> issubclass(IntegrityError, ValueError)
    True
    """


@dataclass(frozen=True)
class ModelVersion:
    """One stored version of a model (read from its ``metadata.json``).

    Made by :class:`~modelmaint.registry.ModelRegistry` (``save``, ``load``,
    ``list_versions``, ...), not by hand.

    Parameters
    ----------
    name : str
        The model's name.
    version : int
        Its number, from 1.
    sha256 : dict of str to str
        Each artifact's path (relative to ``files/``, with ``/``) -> its hex digest.
    created : str
        When it was saved (UTC, ISO 8601, to the second).
    metrics : dict of str to float
        Evaluation results given to ``save`` (``{}`` if none).
    data_hash : str or None
        Fingerprint of the training data (see
        :func:`~modelmaint.registry.data_fingerprint`).
    parent : int or None
        The version this one was derived from.
    notes : str
        Free text.
    path : pathlib.Path
        The version's directory (``<root>/<name>/v0001``); not compared.

    Examples
    --------
    >>> import tempfile
    >>> from modelmaint.registry import ModelRegistry
    >>> reg = ModelRegistry(tempfile.mkdtemp())
    >>> v1 = reg.save("digits", {"model.bin": b"w"}, metrics={"accuracy": 0.9})
    >>> v1.name, v1.version, v1.metrics, v1.parent, v1.path.name
    ('digits', 1, {'accuracy': 0.9}, None, 'v0001')
    >>> v1 == reg.load("digits", 1)
    True
    """

    name: str
    version: int
    sha256: dict[str, str]
    created: str
    metrics: dict[str, float]
    data_hash: str | None
    parent: int | None
    notes: str
    path: Path = field(compare=False)

    def file(self, relpath: str) -> Path:
        """Path of one artifact of this version (not re-verified: use ``load``).

        Parameters
        ----------
        relpath : str
            The artifact's stored name, one of the keys of ``sha256``.

        Returns
        -------
        pathlib.Path
            ``<version directory>/files/<relpath>`` (a read-only file).

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> v1 = reg.save("digits", {"model.tflite": b"bytes"})
        >>> v1.file("model.tflite").read_bytes()
        b'bytes'
        >>> v1.file("model.keras")
        Traceback (most recent call last):
        ...
        ValueError: relpath must be one of the artifacts of digits v1 \
('model.tflite'); got 'model.keras'
        """
        if not isinstance(relpath, str) or relpath not in self.sha256:
            listed = ", ".join(repr(p) for p in sorted(self.sha256))
            raise ValueError(
                f"relpath must be one of the artifacts of {self.name} "
                f"v{self.version} ({listed}); got {show(relpath)}"
            )
        return self.path / FILES / relpath


def check_version(version: Any, name: str = "version") -> int:
    """A version number: an integer >= 1 (NumPy integers too; a bool is not one)."""
    return check_int(version, name, minimum=1)


def check_metrics(metrics: Any) -> dict[str, float]:
    """Metric name -> finite float."""
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise ValueError(
            f"metrics must be a mapping of name -> number; got {type(metrics).__name__}"
        )
    out: dict[str, float] = {}
    for key, value in metrics.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"metrics keys must be non-empty strings; got {show(key)}")
        ok = isinstance(
            value, (int, float, np.integer, np.floating)
        ) and not isinstance(value, (bool, np.bool_))
        if not ok or not math.isfinite(float(value)):
            raise ValueError(
                f"metrics[{key!r}] must be a finite number; got {show(value)}"
            )
        out[key] = float(value)
    return out


def read_json(path: Path, label: str) -> Any:
    """Parse a JSON file the store wrote; :class:`IntegrityError` naming it if the
    file is a link, a device, unreadable or not valid JSON."""
    try:
        with _files.open_regular(path) as fh:
            data = fh.read()
    except _files.UnsafeEntry as exc:
        raise IntegrityError(f"{label}: {exc.path!r} is {exc.kind}") from None
    except OSError as exc:
        raise IntegrityError(
            f"{label}: cannot read {str(path)!r} ({exc.strerror or exc})"
        ) from None
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # JSON and UTF-8 errors
        raise IntegrityError(
            f"{label}: {str(path)!r} is not valid JSON ({exc})"
        ) from None


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 1


def _is_relpath(value: Any) -> bool:
    try:
        return check_relpath(value) == value
    except ValueError:
        return False


def _metadata_problem(meta: Any, name: str, version: int) -> str | None:
    """What is wrong with a parsed ``metadata.json``, or ``None``."""
    if not isinstance(meta, dict):
        return f"it holds {type(meta).__name__}, not an object"
    missing = sorted(set(_KEYS) - set(meta))
    if missing:
        return f"it lacks {missing}"
    sha, metrics, parent = meta["sha256"], meta["metrics"], meta["parent"]
    problems = {
        f"name is {show(meta['name'])}, the directory says {name!r}": (
            meta["name"] != name
        ),
        f"version is {show(meta['version'])}, the directory says {version}": (
            not _is_count(meta["version"]) or meta["version"] != version
        ),
        "sha256 must map artifact names to 64 hex digits": not isinstance(sha, dict)
        or not all(
            _is_relpath(k) and isinstance(v, str) and _HEX.fullmatch(v)
            for k, v in sha.items()
        ),
        "metrics must map names to finite numbers": not isinstance(metrics, dict)
        or not all(
            isinstance(k, str) and type(v) in (int, float) and math.isfinite(v)
            for k, v in metrics.items()
        ),
        f"parent must be an earlier version or null; got {show(parent)}": not (
            parent is None or (_is_count(parent) and parent < version)
        ),
        "created and notes must be strings, data_hash a string or null": not (
            isinstance(meta["created"], str)
            and isinstance(meta["notes"], str)
            and (meta["data_hash"] is None or isinstance(meta["data_hash"], str))
        ),
    }
    return next((text for text, bad in problems.items() if bad), None)


def read_metadata(path: Path, name: str, version: int) -> ModelVersion:
    """The :class:`ModelVersion` stored in ``path`` (a ``v0001`` directory).

    Raises :class:`IntegrityError` naming ``metadata.json`` if it is not a regular
    file, not valid JSON, or not what ``save`` writes.
    """
    meta_path = path / METADATA
    meta = read_json(meta_path, f"{name} v{version}")
    problem = _metadata_problem(meta, name, version)
    if problem is not None:
        raise IntegrityError(
            f"{name} v{version}: {str(meta_path)!r} is corrupt: {problem}"
        )
    return ModelVersion(
        name=name,
        version=version,
        sha256=dict(meta["sha256"]),
        created=meta["created"],
        metrics={k: float(v) for k, v in meta["metrics"].items()},
        data_hash=meta["data_hash"],
        parent=meta["parent"],
        notes=meta["notes"],
        path=path,
    )
