"""Reading the store back: list, verify, load and read versions, every file checked.

Part of :mod:`modelmaint.registry` (notebook 09); mixed into
:class:`~modelmaint.registry.ModelRegistry`. ``verify`` (and ``load``, ``promote``,
``rollback``) re-hash every file of a version; ``read_bytes`` hashes the very bytes
it returns. A changed, missing or extra file, or a symbolic link, device, FIFO or
socket inside a version raises :class:`~modelmaint.registry.IntegrityError` naming
the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from modelmaint.registry import _files, _layout
from modelmaint.registry._names import check_name
from modelmaint.registry.version import (
    FILES,
    IntegrityError,
    ModelVersion,
    check_version,
    read_metadata,
)

__all__ = ["VersionReader"]


class VersionReader:
    """Listing, verifying, loading and reading for
    :class:`~modelmaint.registry.ModelRegistry`.

    Needs ``root`` from the class it is mixed into, and ``production`` from
    :class:`~modelmaint.registry.production.ProductionPointer`.

    Examples
    --------
    >>> from modelmaint.registry import ModelRegistry
    >>> issubclass(ModelRegistry, VersionReader)
    True
    """

    root: Path

    def names(self) -> list[str]:
        """The stored model names, sorted (a damaged model is listed too).

        Returns
        -------
        list of str
            One name per model directory of the store.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> for name in ("digits", "churn"):
        ...     _ = reg.save(name, {"model.bin": b"weights"})
        >>> reg.names()
        ['churn', 'digits']
        """
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
            current = self.production(name)  # type: ignore[attr-defined]
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

        Parameters
        ----------
        name : str
            A stored model's name.

        Returns
        -------
        list of ModelVersion
            Read from each version's ``metadata.json`` (files not re-hashed).

        Raises
        ------
        IntegrityError
            If a version's ``metadata.json`` is not a regular file, not valid JSON
            or not what ``save`` writes, or a version directory is a symbolic
            link; the message names the file. A damaged version is not skipped:
            a listing that quietly lost a version would mislead.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> v1 = reg.save("digits", {"model.bin": b"a"}, metrics={"accuracy": 0.9})
        >>> v2 = reg.save("digits", {"model.bin": b"b"}, metrics={"accuracy": 0.95})
        >>> [(v.version, v.metrics["accuracy"]) for v in reg.list_versions("digits")]
        [(1, 0.9), (2, 0.95)]
        """
        return [self._read(name, v, p) for v, p in sorted(self._known(name).items())]

    def verify(self, name: str, version: int | None = None) -> ModelVersion:
        """Re-hash every file of a version; raise :class:`IntegrityError` on a mismatch.

        A changed file, a missing file, an extra file, and a symbolic link, device,
        FIFO or socket inside the version are all refused.

        Parameters
        ----------
        name : str
            A stored model's name.
        version : int, optional
            The version to check (an integer >= 1); ``None``: the production one,
            or the latest when none was promoted.

        Returns
        -------
        ModelVersion
            The version, its files just re-hashed.

        Raises
        ------
        IntegrityError
            If a file differs from what was saved (the message names it and gives
            the expected and the found sha256).

        Examples
        --------
        >>> import os, tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> v1 = reg.save("digits", {"model.bin": b"weights"})
        >>> reg.verify("digits").version
        1
        >>> os.remove(v1.path / "files" / "model.bin")
        >>> try:
        ...     reg.verify("digits", 1)
        ... except IntegrityError as err:
        ...     print(err)
        digits v1: file 'model.bin' is missing
        """
        mv = self._resolve(name, version)
        check_files(mv)
        return mv

    def load(self, name: str, version: int | None = None) -> ModelVersion:
        """Verify a version and return it; ``version=None`` means the production one.

        With nothing promoted yet, ``None`` means the latest version. The check
        happens *now*: a file read later through ``ModelVersion.file`` could have
        changed in between. To use exactly the bytes that were checked, read them
        with :meth:`read_bytes`.

        Parameters
        ----------
        name : str
            A stored model's name.
        version : int, optional
            The version to load (an integer >= 1); ``None``: the production one,
            or the latest when none was promoted.

        Returns
        -------
        ModelVersion
            The verified version: its ``path``, ``metrics``, ``sha256``, ...; its
            files through :meth:`ModelVersion.file`.

        Raises
        ------
        IntegrityError
            If a file's sha256 differs from the one recorded at save time, or the
            version's files, ``metadata.json`` or ``production.json`` are damaged.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> for data in (b"first", b"second"):
        ...     _ = reg.save("digits", {"model.bin": data})
        >>> reg.load("digits").version  # nothing promoted: the latest
        2
        >>> _ = reg.promote("digits", 1)
        >>> reg.load("digits").file("model.bin").read_bytes()  # the production one
        b'first'
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

        Parameters
        ----------
        name : str
            A stored model's name.
        relpath : str
            The artifact's stored name, as given to :meth:`save` (``/`` inside a
            saved directory).
        version : int, optional
            The version to read (an integer >= 1); ``None``: the production one,
            or the latest when none was promoted.

        Returns
        -------
        bytes
            The artifact's bytes, whose sha256 was just checked.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> _ = reg.save("digits", {"model.tflite": b"bytes", "labels.txt": b"0 1"})
        >>> reg.read_bytes("digits", "labels.txt")
        b'0 1'
        >>> reg.read_bytes("digits", "model.keras")
        Traceback (most recent call last):
        ...
        ValueError: relpath must be one of the artifacts of digits v1 ('labels.txt', \
'model.tflite'); got 'model.keras'
        """
        mv = self._resolve(name, version)
        mv.file(relpath)  # a ValueError listing the artifacts if it is not one
        return read_checked(mv, relpath)


def check_files(mv: ModelVersion) -> None:
    """Re-hash every file of ``mv``; :class:`IntegrityError` on any difference."""
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


def read_checked(mv: ModelVersion, relpath: str) -> bytes:
    """The bytes of artifact ``relpath`` of ``mv``, read once and hashed as returned."""
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


def _unsafe(label: str, exc: _files.UnsafeEntry) -> IntegrityError:
    return IntegrityError(
        f"{label}: {exc.path!r} is {exc.kind}; a version holds regular files only"
    )


def _modified(label: str, relpath: str, expected: str, actual: str) -> IntegrityError:
    return IntegrityError(
        f"{label}: file {relpath!r} was modified: expected sha256 {expected}, "
        f"found {actual}"
    )
