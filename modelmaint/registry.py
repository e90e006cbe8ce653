"""A versioned model store on disk: append-only versions, sha256 checked on load.

Taught in notebook 09 (seed 003 §3.3, §4.2; 004 §3.2, §4.2). Pure Python: no
TensorFlow import, so it stores any artifact -- TFLite bytes, a ``.keras`` file, a
SavedModel directory, a JSON of thresholds.

Layout under ``root``::

    <name>/v0001/metadata.json      version, sha256 of every file, metrics, ...
    <name>/v0001/files/...          the artifacts, exactly as saved
    <name>/production.json          which version serves, and the promotion history

Guarantees:

* **Append-only.** A version is written into a temporary directory beside its final
  place, every file is fsync'ed, then the directory is renamed into place in one
  atomic step. Renaming onto an existing (non-empty) version fails, so nothing
  stored is ever overwritten. A crash before the rename leaves only a hidden
  ``.tmp-*`` directory that is never listed.
* **Integrity.** ``load`` re-hashes every file and refuses a version whose files
  were changed, removed or added, with an :class:`IntegrityError` naming the file,
  the expected and the found hash.
* **Atomic promotion.** The production pointer is rewritten through a temporary
  file and ``os.replace``: a reader sees the old pointer or the new one, never half.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "IntegrityError",
    "ModelRegistry",
    "ModelVersion",
    "data_fingerprint",
    "sha256_file",
]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_VERSION_RE = re.compile(r"^v(\d{4,})$")
_METADATA = "metadata.json"
_FILES = "files"
_POINTER = "production.json"
_CHUNK = 1 << 20


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
        return self.path / _FILES / relpath


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
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
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


# ---------------------------------------------------------------------------------
# small file-system helpers: every write is fsync'ed before it is made visible


def _fsync_dir(path: Path) -> None:
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


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:  # "x": never overwrite
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _copy_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, _CHUNK)
        fout.flush()
        os.fsync(fout.fileno())


def _iter_files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            yield path


def _check_relpath(relpath: Any) -> str:
    if not isinstance(relpath, str) or not relpath:
        raise ValueError(f"artifact names must be non-empty strings; got {relpath!r}")
    parts = relpath.replace("\\", "/").split("/")
    if relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(
            f"artifact names must be relative paths without '.', '..' or empty "
            f"parts; got {relpath!r}"
        )
    return "/".join(parts)


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(
            "name must be 1-100 characters of letters, digits, '_', '.', '-' "
            f"starting with a letter or digit; got {name!r}"
        )
    return name


def _check_metrics(metrics: Any) -> dict[str, float]:
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


# ---------------------------------------------------------------------------------


class ModelRegistry:
    """A directory of named models, each with append-only numbered versions.

    Parameters
    ----------
    root : str or path-like
        The store's directory (created if missing).

    Examples
    --------
    >>> import tempfile
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
    >>> _ = (v2.path / "files" / "model.tflite").write_bytes(b"tampered")
    >>> reg.load("digits", 2)
    Traceback (most recent call last):
    ...
    modelmaint.registry.IntegrityError: digits v2: file 'model.tflite' was modified: ...
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
            if p.is_dir() and _NAME_RE.match(p.name) and self._version_dirs(p.name)
        )

    def _version_dirs(self, name: str) -> dict[int, Path]:
        model_dir = self.root / name
        if not model_dir.is_dir():
            return {}
        out = {}
        for p in model_dir.iterdir():
            m = _VERSION_RE.match(p.name)
            if m and (p / _METADATA).is_file():
                out[int(m.group(1))] = p
        return out

    def _known(self, name: str) -> dict[int, Path]:
        name = _check_name(name)
        dirs = self._version_dirs(name)
        if not dirs:
            known = ", ".join(repr(n) for n in self.names()) or "none"
            raise ValueError(f"name {name!r} is not in the registry (known: {known})")
        return dirs

    def _read(self, name: str, version: int, path: Path) -> ModelVersion:
        meta = json.loads((path / _METADATA).read_text(encoding="utf-8"))
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
        version = self._check_version(version)
        if version not in dirs:
            raise ValueError(
                f"version {version} of {name!r} does not exist (stored: {sorted(dirs)})"
            )
        return self._read(name, version, dirs[version])

    @staticmethod
    def _check_version(version: Any) -> int:
        ok = isinstance(version, (int, np.integer)) and not isinstance(version, bool)
        if not ok or version < 1:
            raise ValueError(f"version must be an integer >= 1; got {version!r}")
        return int(version)

    def list_versions(self, name: str) -> list[ModelVersion]:
        """Every complete version of ``name``, oldest first (temporary dirs skipped)."""
        return [self._read(name, v, p) for v, p in sorted(self._known(name).items())]

    def verify(self, name: str, version: int | None = None) -> ModelVersion:
        """Re-hash every file of a version; raise :class:`IntegrityError` on a mismatch.

        A changed file, a missing file and an extra file are all refused.
        """
        mv = self._resolve(name, version)
        files_dir = mv.path / _FILES
        found = {p.relative_to(files_dir).as_posix(): p for p in _iter_files(files_dir)}
        label = f"{mv.name} v{mv.version}"
        for relpath, expected in sorted(mv.sha256.items()):
            if relpath not in found:
                raise IntegrityError(f"{label}: file {relpath!r} is missing")
            actual = sha256_file(found[relpath])
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

        With nothing promoted yet, ``None`` means the latest version. Read the files
        through ``ModelVersion.file(relpath)`` (or :meth:`read_bytes`).

        Raises
        ------
        IntegrityError
            If a file's sha256 differs from the one recorded at save time.
        """
        return self.verify(name, version)

    def read_bytes(self, name: str, relpath: str, version: int | None = None) -> bytes:
        """The bytes of one artifact, checked against its sha256 (e.g. TFLite)."""
        mv = self._resolve(name, version)
        path = mv.file(relpath)
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            raise IntegrityError(f"{name} v{mv.version}: file {relpath!r} is missing")
        actual = hashlib.sha256(data).hexdigest()
        if actual != mv.sha256[relpath]:
            raise IntegrityError(
                f"{name} v{mv.version}: file {relpath!r} was modified: expected sha256 "
                f"{mv.sha256[relpath]}, found {actual}"
            )
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
        name = _check_name(name)
        if not isinstance(artifacts, Mapping) or not artifacts:
            raise ValueError(
                "artifacts must be a non-empty mapping of file name -> bytes or path; "
                f"got {artifacts!r:.60}"
            )
        metrics_ = _check_metrics(metrics)
        if data_hash is not None and (not isinstance(data_hash, str) or not data_hash):
            raise ValueError(
                f"data_hash must be a non-empty string or None; got {data_hash!r}"
            )
        if not isinstance(notes, str):
            raise ValueError(f"notes must be a string; got {type(notes).__name__}")
        existing = self._version_dirs(name)
        if parent is not None:
            parent = self._check_version(parent)
            if parent not in existing:
                raise ValueError(
                    f"parent must be a stored version of {name!r} "
                    f"(stored: {sorted(existing)}); got {parent}"
                )
        sources: list[tuple[str, bytes | Path]] = []
        for relpath, src in artifacts.items():
            relpath = _check_relpath(relpath)
            if isinstance(src, (bytes, bytearray, memoryview)):
                sources.append((relpath, bytes(src)))
            elif isinstance(src, (str, os.PathLike)) and Path(src).exists():
                sources.append((relpath, Path(src)))
            else:
                raise ValueError(
                    f"artifacts[{relpath!r}] must be bytes or an existing file or "
                    f"directory; got {src!r:.80}"
                )

        model_dir = self.root / name
        model_dir.mkdir(parents=True, exist_ok=True)
        tmp = model_dir / f".tmp-{uuid.uuid4().hex}"
        try:
            files_dir = tmp / _FILES
            files_dir.mkdir(parents=True)
            for relpath, src in sources:
                dst = files_dir / relpath
                if isinstance(src, bytes):
                    _write_bytes(dst, src)
                elif src.is_dir():
                    for f in _iter_files(src):
                        _copy_file(f, dst / f.relative_to(src))
                else:
                    _copy_file(src, dst)
            sha = {
                p.relative_to(files_dir).as_posix(): sha256_file(p)
                for p in _iter_files(files_dir)
            }
            for d in sorted({p.parent for p in _iter_files(files_dir)} | {files_dir}):
                _fsync_dir(d)
            created = datetime.now(UTC).isoformat(timespec="seconds")
            meta = {
                "name": name,
                "sha256": sha,
                "created": created,
                "metrics": metrics_,
                "data_hash": data_hash,
                "parent": parent,
                "notes": notes,
            }
            version = max(existing, default=0) + 1
            meta["version"] = version
            _write_bytes(tmp / _METADATA, json.dumps(meta, indent=2).encode("utf-8"))
            _fsync_dir(tmp)
            final = model_dir / f"v{version:04d}"
            if final.exists():  # another writer took the number in the meantime
                raise ValueError(f"version {version} of {name!r} already exists")
            # Atomic: onto an existing non-empty directory this raises instead.
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync_dir(model_dir)
        return self._read(name, version, final)

    # ------------------------------------------------------------- production

    def _pointer(self, name: str) -> dict[str, Any]:
        path = self.root / name / _POINTER
        if not path.is_file():
            return {"stack": [], "events": []}
        return json.loads(path.read_text(encoding="utf-8"))

    def _write_pointer(self, name: str, pointer: dict[str, Any]) -> None:
        model_dir = self.root / name
        tmp = model_dir / f".tmp-{uuid.uuid4().hex}.json"
        try:
            _write_bytes(tmp, json.dumps(pointer, indent=2).encode("utf-8"))
            os.replace(tmp, model_dir / _POINTER)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(model_dir)

    def production(self, name: str) -> ModelVersion | None:
        """The version that serves now, or ``None`` if none was promoted."""
        dirs = self._known(name)
        stack = self._pointer(name)["stack"]
        if not stack:
            return None
        return self._read(name, stack[-1], dirs[stack[-1]])

    def history(self, name: str) -> list[dict[str, Any]]:
        """Promotions and rollbacks of ``name``, oldest first."""
        self._known(name)
        return list(self._pointer(name)["events"])

    def promote(self, name: str, version: int) -> ModelVersion:
        """Make ``version`` the production one (after verifying its files)."""
        mv = self.verify(name, self._check_version(version))
        pointer = self._pointer(name)
        if pointer["stack"][-1:] != [mv.version]:
            pointer["stack"].append(mv.version)
        pointer["events"].append(self._event("promote", mv.version))
        self._write_pointer(name, pointer)
        return mv

    def rollback(self, name: str) -> ModelVersion:
        """Serve the previously promoted version again (verified first)."""
        self._known(name)
        pointer = self._pointer(name)
        if len(pointer["stack"]) < 2:
            raise ValueError(
                f"name {name!r} has no earlier promoted version to roll back to "
                f"(promoted: {pointer['stack']})"
            )
        previous = pointer["stack"][-2]
        mv = self.verify(name, previous)
        pointer["stack"].pop()
        pointer["events"].append(self._event("rollback", previous))
        self._write_pointer(name, pointer)
        return mv

    @staticmethod
    def _event(action: str, version: int) -> dict[str, Any]:
        when = datetime.now(UTC).isoformat(timespec="seconds")
        return {"action": action, "version": version, "time": when}
