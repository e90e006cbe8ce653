"""What a stored version is, and the checks on what callers pass in.

Part of :mod:`modelmaint.registry` (notebook 09): :class:`ModelVersion`,
:class:`IntegrityError` and the validation of names, artifact paths and metrics.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["IntegrityError", "ModelVersion"]

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
VERSION_RE = re.compile(r"^v(\d{4,})$")
METADATA = "metadata.json"
FILES = "files"


class IntegrityError(ValueError):
    """A stored file does not match the sha256 recorded when it was saved."""


@dataclass(frozen=True)
class ModelVersion:
    """One stored version of a model (read from its ``metadata.json``).

    ``sha256`` maps each artifact's path (relative to ``files/``, with ``/``) to its
    hex digest. ``parent`` is the version this one was derived from, or ``None``.
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
        """Path of one artifact of this version (not re-verified: use ``load``)."""
        if relpath not in self.sha256:
            listed = ", ".join(repr(p) for p in sorted(self.sha256))
            raise ValueError(
                f"relpath must be one of the artifacts of {self.name} "
                f"v{self.version} ({listed}); got {relpath!r}"
            )
        return self.path / FILES / relpath


def check_relpath(relpath: Any) -> str:
    """A safe relative artifact path with ``/`` separators."""
    if not isinstance(relpath, str) or not relpath:
        raise ValueError(f"artifact names must be non-empty strings; got {relpath!r}")
    parts = relpath.replace("\\", "/").split("/")
    if relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(
            f"artifact names must be relative paths without '.', '..' or empty "
            f"parts; got {relpath!r}"
        )
    return "/".join(parts)


def check_name(name: Any) -> str:
    """A model name: 1-100 letters, digits, ``_``, ``.``, ``-``."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ValueError(
            "name must be 1-100 characters of letters, digits, '_', '.', '-' "
            f"starting with a letter or digit; got {name!r}"
        )
    return name


def check_version(version: Any) -> int:
    """A version number: an integer >= 1."""
    ok = isinstance(version, (int, np.integer)) and not isinstance(version, bool)
    if not ok or version < 1:
        raise ValueError(f"version must be an integer >= 1; got {version!r}")
    return int(version)


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
            raise ValueError(f"metrics keys must be non-empty strings; got {key!r}")
        ok = isinstance(
            value, (int, float, np.integer, np.floating)
        ) and not isinstance(value, bool)
        if not ok or not math.isfinite(float(value)):
            raise ValueError(f"metrics[{key!r}] must be a finite number; got {value!r}")
        out[key] = float(value)
    return out
