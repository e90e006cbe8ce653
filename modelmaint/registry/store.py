"""The model store: save new versions, list, verify, load and read them.

Part of :mod:`modelmaint.registry` (notebook 09); the production pointer lives in
:mod:`modelmaint.registry.production`, the file-system layer in ``_files``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modelmaint.registry import _files
from modelmaint.registry.production import ProductionPointer
from modelmaint.registry.version import (
    FILES,
    METADATA,
    NAME_RE,
    VERSION_RE,
    IntegrityError,
    ModelVersion,
    check_metrics,
    check_name,
    check_relpath,
    check_version,
)

__all__ = ["ModelRegistry"]


class ModelRegistry(ProductionPointer):
    """A directory of named models, each with append-only numbered versions.

    Parameters
    ----------
    root : str or path-like
        The store's directory (created if missing).

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

    def __repr__(self) -> str:
        return f"ModelRegistry({str(self.root)!r})"

    # ---------------------------------------------------------------- reading

    def names(self) -> list[str]:
        """The stored model names, sorted."""
        return sorted(
            p.name
            for p in self.root.iterdir()
            if p.is_dir() and NAME_RE.match(p.name) and self._version_dirs(p.name)
        )

    def _version_dirs(self, name: str) -> dict[int, Path]:
        model_dir = self.root / name
        if not model_dir.is_dir():
            return {}
        out = {}
        for p in model_dir.iterdir():
            m = VERSION_RE.match(p.name)
            if m and (p / METADATA).is_file():
                out[int(m.group(1))] = p
        return out

    def _known(self, name: str) -> dict[int, Path]:
        name = check_name(name)
        dirs = self._version_dirs(name)
        if not dirs:
            known = ", ".join(repr(n) for n in self.names()) or "none"
            raise ValueError(f"name {name!r} is not in the registry (known: {known})")
        return dirs

    def _read(self, name: str, version: int, path: Path) -> ModelVersion:
        meta = json.loads((path / METADATA).read_text(encoding="utf-8"))
        return ModelVersion(
            name=name,
            version=version,
            sha256=dict(meta["sha256"]),
            created=meta["created"],
            metrics=dict(meta["metrics"]),
            data_hash=meta["data_hash"],
            parent=meta["parent"],
            notes=meta["notes"],
            path=path,
        )

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
        """Every complete version of ``name``, oldest first (temporary dirs skipped)."""
        return [self._read(name, v, p) for v, p in sorted(self._known(name).items())]

    def verify(self, name: str, version: int | None = None) -> ModelVersion:
        """Re-hash every file of a version; raise :class:`IntegrityError` on a mismatch.

        A changed file, a missing file and an extra file are all refused.
        """
        mv = self._resolve(name, version)
        files_dir = mv.path / FILES
        found = {
            p.relative_to(files_dir).as_posix(): p for p in _files.iter_files(files_dir)
        }
        label = f"{mv.name} v{mv.version}"
        for relpath, expected in sorted(mv.sha256.items()):
            if relpath not in found:
                raise IntegrityError(f"{label}: file {relpath!r} is missing")
            actual = _files.sha256_file(found[relpath])
            if actual != expected:
                raise IntegrityError(
                    f"{label}: file {relpath!r} was modified: expected sha256 "
                    f"{expected}, found {actual}"
                )
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
            If a file's sha256 differs from the one recorded at save time.
        """
        return self.verify(name, version)

    def read_bytes(self, name: str, relpath: str, version: int | None = None) -> bytes:
        """The bytes of one artifact, hashed as returned: no gap between check and use.

        The file is read once; those bytes are hashed and compared with the sha256
        recorded at save time, and only then returned. A checksum kept next to the
        file catches accidents (a bad copy, truncation, bit rot, a wrong file put in
        place); it cannot stop someone who can rewrite the metadata as well.
        """
        mv = self._resolve(name, version)
        path = mv.file(relpath)
        if not path.is_file():
            raise IntegrityError(f"{name} v{mv.version}: file {relpath!r} is missing")
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != mv.sha256[relpath]:
            raise IntegrityError(
                f"{name} v{mv.version}: file {relpath!r} was modified: expected sha256 "
                f"{mv.sha256[relpath]}, found {actual}"
            )
        return data

    # ---------------------------------------------------------------- writing

    @staticmethod
    def _stage(tmp: Path, artifacts: Mapping[str, Any]) -> dict[str, str]:
        """Write the artifacts (read-only, fsync'ed) into ``tmp``; their sha256."""
        sources: list[tuple[str, bytes | Path]] = []
        for relpath, src in artifacts.items():
            relpath = check_relpath(relpath)
            if isinstance(src, (bytes, bytearray, memoryview)):
                sources.append((relpath, bytes(src)))
            elif isinstance(src, (str, os.PathLike)) and Path(src).exists():
                sources.append((relpath, Path(src)))
            else:
                raise ValueError(
                    f"artifacts[{relpath!r}] must be bytes or an existing file or "
                    f"directory; got {src!r:.80}"
                )
        files_dir = tmp / FILES
        files_dir.mkdir(parents=True)
        for relpath, src in sources:
            dst = files_dir / relpath
            if isinstance(src, bytes):
                _files.write_bytes(dst, src)
            elif src.is_dir():
                for f in _files.iter_files(src):
                    _files.copy_file(f, dst / f.relative_to(src))
            else:
                _files.copy_file(src, dst)
        written = list(_files.iter_files(files_dir))
        for d in sorted({p.parent for p in written} | {files_dir}):
            _files.fsync_dir(d)
        return {
            p.relative_to(files_dir).as_posix(): _files.sha256_file(p) for p in written
        }

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
        read-only.

        Parameters
        ----------
        name : str
            Model name: letters, digits, ``_``, ``.``, ``-``.
        artifacts : mapping of str to bytes or path
            Stored file name (may contain ``/``) -> its bytes (e.g. a TFLite model),
            or an existing file (e.g. ``model.keras``) or directory (e.g. a
            SavedModel) to copy.
        metrics : mapping of str to float, optional
            Evaluation results, e.g. ``{"accuracy": 0.97}``.
        data_hash : str, optional
            Fingerprint of the training data (see :func:`data_fingerprint`).
        parent : int, optional
            The stored version this one was derived from.
        notes : str
            Free text.
        """
        name = check_name(name)
        if not isinstance(artifacts, Mapping) or not artifacts:
            raise ValueError(
                "artifacts must be a non-empty mapping of file name -> bytes or path; "
                f"got {artifacts!r:.60}"
            )
        metrics_ = check_metrics(metrics)
        if data_hash is not None and (not isinstance(data_hash, str) or not data_hash):
            raise ValueError(
                f"data_hash must be a non-empty string or None; got {data_hash!r}"
            )
        if not isinstance(notes, str):
            raise ValueError(f"notes must be a string; got {type(notes).__name__}")
        if parent is not None:
            parent = check_version(parent)
            existing = self._version_dirs(name)
            if parent not in existing:
                raise ValueError(
                    f"parent must be a stored version of {name!r} "
                    f"(stored: {sorted(existing)}); got {parent}"
                )
        (self.root / name).mkdir(parents=True, exist_ok=True)
        tmp: Path | None = self.root / name / f".tmp-{uuid.uuid4().hex}"
        try:
            sha = self._stage(tmp, artifacts)
            created = datetime.now(UTC).isoformat(timespec="seconds")
            meta = {
                "name": name, "sha256": sha, "metrics": metrics_, "notes": notes,
                "data_hash": data_hash, "parent": parent, "created": created,
            }  # fmt: skip
            with _files.model_lock(self.root, name):
                version = max(self._version_dirs(name), default=0) + 1
                meta["version"] = version
                _files.write_bytes(tmp / METADATA, json.dumps(meta, indent=2).encode())
                _files.fsync_dir(tmp)
                final = self.root / name / f"v{version:04d}"
                os.replace(tmp, final)  # atomic; onto a non-empty dir it raises
                tmp = None
        finally:
            if tmp is not None:
                _files.remove_tree(tmp)
        _files.fsync_dir(self.root / name)
        return self._read(name, version, final)
