"""The model store: save new versions, list, verify, load and read them.

Part of :mod:`modelmaint.registry` (notebook 09); the production pointer lives in
:mod:`modelmaint.registry.production`, the checks on names and paths in ``_names``,
the file-system layer in ``_files``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from modelmaint._validation import show
from modelmaint.registry import _files, _layout
from modelmaint.registry._names import (
    check_name,
    plan_artifacts,
)
from modelmaint.registry.production import ProductionPointer
from modelmaint.registry.version import (
    FILES,
    METADATA,
    IntegrityError,
    ModelVersion,
    check_metrics,
    check_version,
    read_metadata,
)

__all__ = ["ModelRegistry"]


class ModelRegistry(ProductionPointer):
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
        if not isinstance(root, (str, os.PathLike)):
            raise ValueError(f"root must be a path; got {type(root).__name__}")
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise ValueError(f"root must be a directory; got the file {str(root)!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        _layout.clean_store(self.root)  # .tmp-* of writers that died

    def __repr__(self) -> str:
        return f"ModelRegistry({str(self.root)!r})"

    # ---------------------------------------------------------------- reading

    def names(self) -> list[str]:
        """The stored model names, sorted (a damaged model is listed too)."""
        return _layout.model_names(self.root)

    def _version_dirs(self, name: str) -> dict[int, Path]:
        return _layout.version_dirs(self.root, name)

    def _known(self, name: str) -> dict[int, Path]:
        name = check_name(name)
        dirs = self._version_dirs(name)
        if not dirs:
            known = ", ".join(repr(n) for n in self.names()) or "none"
            raise ValueError(f"name {name!r} is not in the registry (known: {known})")
        return dirs

    def _read(self, name: str, version: int, path: Path) -> ModelVersion:
        return read_metadata(path, name, version)

    def _resolve(self, name: str, version: int | None) -> ModelVersion:
        dirs = self._known(name)
        if version is None:
            current = self.production(name)
            return (
                current if current is not None else self._read(name, *max(dirs.items()))
            )
        version = check_version(version)
        if version not in dirs:
            raise ValueError(
                f"version {version} of {name!r} does not exist (stored: {sorted(dirs)})"
            )
        return self._read(name, version, dirs[version])

    def list_versions(self, name: str) -> list[ModelVersion]:
        """Every complete version of ``name``, oldest first (temporary dirs skipped).

        Raises
        ------
        IntegrityError
            If a version's ``metadata.json`` is not a regular file, not valid JSON
            or not what ``save`` writes, or a version directory is a symbolic
            link; the message names the file. A damaged version is not skipped:
            a listing that quietly lost a version would mislead.
        """
        return [self._read(name, v, p) for v, p in sorted(self._known(name).items())]

    def verify(self, name: str, version: int | None = None) -> ModelVersion:
        """Re-hash every file of a version; raise :class:`IntegrityError` on a mismatch.

        A changed file, a missing file, an extra file, and a symbolic link, device,
        FIFO or socket inside the version are all refused.
        """
        mv = self._resolve(name, version)
        label = f"{mv.name} v{mv.version}"
        try:
            found = dict(_files.walk_regular(mv.path / FILES))
            hashes = {
                rel: _files.sha256_file(found[rel], follow=False)
                for rel in sorted(set(found) & set(mv.sha256))
            }
        except FileNotFoundError:
            found, hashes = {}, {}
        except _files.UnsafeEntry as exc:
            raise _unsafe(label, exc) from None
        for relpath, expected in sorted(mv.sha256.items()):
            if relpath not in found:
                raise IntegrityError(f"{label}: file {relpath!r} is missing")
            if hashes[relpath] != expected:
                raise _modified(label, relpath, expected, hashes[relpath])
        extra = sorted(set(found) - set(mv.sha256))
        if extra:
            raise IntegrityError(f"{label}: unexpected file(s) not saved: {extra}")
        return mv

    def load(self, name: str, version: int | None = None) -> ModelVersion:
        """Verify a version and return it; ``version=None`` means the production one.

        With nothing promoted yet, ``None`` means the latest version. The check
        happens *now*: a file read later through ``ModelVersion.file`` could have
        changed in between. To use exactly the bytes that were checked, read them
        with :meth:`read_bytes`.

        Raises
        ------
        IntegrityError
            If a file's sha256 differs from the one recorded at save time, or the
            version's files, ``metadata.json`` or ``production.json`` are damaged.
        """
        return self.verify(name, version)

    def read_bytes(self, name: str, relpath: str, version: int | None = None) -> bytes:
        """The bytes of one artifact, hashed as returned: no gap between check and use.

        The file is read once; those bytes are hashed and compared with the sha256
        recorded at save time, and only then returned. A checksum kept next to the
        file catches accidents (a bad copy, truncation, bit rot, a wrong file put in
        place); it cannot stop someone who can rewrite the metadata as well. A
        symbolic link on the way to the file, or a file that is not a regular one,
        is refused with :class:`IntegrityError`.
        """
        mv = self._resolve(name, version)
        mv.file(relpath)  # a ValueError listing the artifacts if it is not one
        label = f"{mv.name} v{mv.version}"
        try:
            path = _files.check_chain(mv.path, f"{FILES}/{relpath}")
            with _files.open_regular(path) as fh:
                data = fh.read()
        except (FileNotFoundError, NotADirectoryError):
            raise IntegrityError(f"{label}: file {relpath!r} is missing") from None
        except _files.UnsafeEntry as exc:
            raise _unsafe(label, exc) from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != mv.sha256[relpath]:
            raise _modified(label, relpath, mv.sha256[relpath], actual)
        return data

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
        notes : str
            Free text.
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


def _unsafe(label: str, exc: _files.UnsafeEntry) -> IntegrityError:
    return IntegrityError(
        f"{label}: {exc.path!r} is {exc.kind}; a version holds regular files only"
    )


def _modified(label: str, relpath: str, expected: str, actual: str) -> IntegrityError:
    return IntegrityError(
        f"{label}: file {relpath!r} was modified: expected sha256 {expected}, "
        f"found {actual}"
    )
