"""The model store: open it, save new versions.

Part of :mod:`modelmaint.registry` (notebook 09). :class:`ModelRegistry` gathers
the reading side from :mod:`modelmaint.registry.reading` (list, verify, load,
read) and the production pointer from :mod:`modelmaint.registry.production`; the
checks on names and paths are in ``_names``, the file-system layer in ``_files``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from modelmaint._validation import check_path, show
from modelmaint.registry import _files, _layout
from modelmaint.registry._names import (
    check_name,
    plan_artifacts,
)
from modelmaint.registry.production import ProductionPointer
from modelmaint.registry.reading import VersionReader
from modelmaint.registry.version import (
    METADATA,
    ModelVersion,
    check_metrics,
    check_version,
)

__all__ = ["ModelRegistry"]


class ModelRegistry(VersionReader, ProductionPointer):
    """A directory of named models, each with append-only numbered versions.

    Parameters
    ----------
    root : str or path-like
        The store's directory (created if missing). Opening it removes the
        ``.tmp-*`` entries of writers that died mid-save (``kill -9``, power cut);
        those of writers still at work are left alone.

    Examples
    --------
    >>> import os, tempfile
    >>> reg = ModelRegistry(tempfile.mkdtemp())
    >>> v1 = reg.save("digits", {"model.tflite": b"first"}, metrics={"accuracy": 0.95})
    >>> v2 = reg.save("digits", {"model.tflite": b"second"}, parent=1)
    >>> [v.version for v in reg.list_versions("digits")], v2.parent
    ([1, 2], 1)
    >>> reg.read_bytes("digits", "model.tflite", version=1)
    b'first'
    >>> reg.promote("digits", 1).version, reg.promote("digits", 2).version
    (1, 2)
    >>> reg.rollback("digits").version  # v2 misbehaves: serve v1 again
    1
    >>> stored = v2.path / "files" / "model.tflite"  # read-only; someone forces it:
    >>> os.chmod(stored, 0o644); _ = stored.write_bytes(b"tampered")
    >>> reg.load("digits", 2)
    Traceback (most recent call last):
    ...
    modelmaint.registry.version.IntegrityError: digits v2: file 'model.tflite' ...
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(check_path(root, "root"))
        if self.root.exists() and not self.root.is_dir():
            raise ValueError(f"root must be a directory; got the file {str(root)!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        _layout.clean_store(self.root)  # .tmp-* of writers that died

    def __repr__(self) -> str:
        return f"ModelRegistry({str(self.root)!r})"

    # ---------------------------------------------------------------- writing

    def save(
        self,
        name: str,
        artifacts: Mapping[str, bytes | str | os.PathLike[str]],
        *,
        metrics: Mapping[str, float] | None = None,
        data_hash: str | None = None,
        parent: int | None = None,
        notes: str = "",
    ) -> ModelVersion:
        """Store a new version of ``name`` (numbered 1, 2, ...) and return it.

        The files are written and hashed first, outside any lock; then, under the
        model's inter-process lock, the next free number is taken and the
        directory renamed into place in one atomic step. Several processes saving
        at once therefore all succeed, with distinct numbers. Stored files are
        read-only. Every argument is checked before anything is written.

        Parameters
        ----------
        name : str
            Model name: 1-64 ASCII letters, digits, ``_``, ``.``, ``-``, starting
            with a letter or digit, without ``..``.
        artifacts : mapping of str to bytes or path
            Stored file name (may contain ``/``) -> its bytes (e.g. a TFLite model),
            or an existing regular file (e.g. ``model.keras``) or directory (e.g. a
            SavedModel) to copy. A symbolic link anywhere in it, a device file, a
            FIFO or a socket is refused with a ``ValueError`` naming the path.
        metrics : mapping of str to float, optional
            Evaluation results, e.g. ``{"accuracy": 0.97}``.
        data_hash : str, optional
            Fingerprint of the training data (see :func:`data_fingerprint`).
        parent : int, optional
            The stored version this one was derived from (an integer >= 1, NumPy
            integers too; a bool is refused).
        notes : str, default ""
            Free text.

        Returns
        -------
        ModelVersion
            The new version, with its number and the sha256 of every stored file.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "theta.json").write_text('{"threshold": 0.2}')
        >>> reg = ModelRegistry(folder / "store")
        >>> v1 = reg.save("loans", {"theta.json": folder / "theta.json"}, notes="first")
        >>> v1.version, v1.notes, v1.sha256["theta.json"][:12]
        (1, 'first', '9e783adcae8c')
        >>> reg.save("loans", {"model.bin": b"w"}, parent=2)
        Traceback (most recent call last):
        ...
        ValueError: parent must be a stored version of 'loans' (stored: [1]); got 2
        """
        name = check_name(name)
        plan = plan_artifacts(artifacts)
        metrics_ = check_metrics(metrics)
        if data_hash is not None and (not isinstance(data_hash, str) or not data_hash):
            raise ValueError(
                f"data_hash must be a non-empty string or None; got {show(data_hash)}"
            )
        if not isinstance(notes, str):
            raise ValueError(f"notes must be a string; got {type(notes).__name__}")
        if parent is not None:
            parent = check_version(parent, "parent")
            existing = self._version_dirs(name)
            if parent not in existing:
                raise ValueError(
                    f"parent must be a stored version of {name!r} "
                    f"(stored: {sorted(existing)}); got {parent}"
                )
        model_dir = self.root / name
        model_dir.mkdir(exist_ok=True)
        self._version_dirs(name)  # a linked model directory raises here
        token = f"{_layout.TMP_PREFIX}{uuid.uuid4().hex}"
        tmp: Path | None = model_dir / token
        with _layout.writer_guard(model_dir / f"{token}.lock"):  # see clean_stale
            try:
                sha = _files.stage(tmp, plan)
                created = datetime.now(UTC).isoformat(timespec="seconds")
                meta = {
                    "name": name, "sha256": sha, "metrics": metrics_, "notes": notes,
                    "data_hash": data_hash, "parent": parent, "created": created,
                }  # fmt: skip
                with self._lock(name):
                    version = max(self._version_dirs(name), default=0) + 1
                    meta["version"] = version
                    text = json.dumps(meta, indent=2).encode()
                    _files.write_bytes(tmp / METADATA, text)
                    _files.fsync_dir(tmp)
                    final = model_dir / f"v{version:04d}"
                    os.replace(tmp, final)  # atomic; onto a non-empty dir it raises
                    tmp = None
            finally:
                if tmp is not None:
                    _files.remove_tree(tmp)
        _files.fsync_dir(model_dir)
        return self._read(name, version, final)
