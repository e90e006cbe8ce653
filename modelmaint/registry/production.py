"""Which version serves: the production pointer, promotion, rollback and their history.

``<name>/production.json`` holds a stack of promoted versions (the last one serves)
and every promote/rollback event. It is rewritten through a temporary file and
``os.replace``, so a reader sees the old pointer or the new one, never half; and
the read-modify-write runs under the model's file lock, so two operators promoting
at the same time both get their event recorded. A pointer that is not valid JSON,
not what the store writes, or names a version that is not stored raises
:class:`~modelmaint.registry.IntegrityError` naming the file: nothing serves by
guesswork. Mixed into :class:`~modelmaint.registry.ModelRegistry`; taught in
notebook 09.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelmaint.registry import _files, _layout
from modelmaint.registry.version import IntegrityError, check_version, read_json

if TYPE_CHECKING:
    from modelmaint.registry.version import ModelVersion

__all__ = ["ProductionPointer"]

POINTER = "production.json"
ACTIONS = ("promote", "rollback")


class ProductionPointer:
    """Promotion and rollback for :class:`~modelmaint.registry.ModelRegistry`.

    Needs ``root``, ``_known``, ``_read`` and ``verify`` from the class it is
    mixed into.

    Examples
    --------
    >>> from modelmaint.registry import ModelRegistry
    >>> issubclass(ModelRegistry, ProductionPointer)
    True
    """

    root: Path

    def _lock(self, name: str) -> Any:
        return _layout.model_lock(self.root, name)

    def _pointer(self, name: str, dirs: dict[int, Path]) -> dict[str, Any]:
        """The parsed pointer, checked against the stored versions ``dirs``."""
        path = self.root / name / POINTER
        if not os.path.lexists(path):
            return {"stack": [], "events": []}
        pointer = read_json(path, name)
        problem = _pointer_problem(pointer)
        if problem is None:
            missing = [v for v in pointer["stack"] if v not in dirs]
            if missing:
                problem = (
                    f"it names version {missing[0]}, which is not stored "
                    f"(stored: {sorted(dirs)})"
                )
        if problem is not None:
            raise IntegrityError(f"{name}: {str(path)!r} is corrupt: {problem}")
        return pointer

    def _write_pointer(self, name: str, pointer: dict[str, Any]) -> None:
        model_dir = self.root / name
        tmp = model_dir / f"{_layout.TMP_PREFIX}{uuid.uuid4().hex}.json"
        text = json.dumps(pointer, indent=2).encode("utf-8")
        try:
            _files.write_bytes(tmp, text, read_only=False)
            os.replace(tmp, model_dir / POINTER)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _files.fsync_dir(model_dir)

    def production(self, name: str) -> ModelVersion | None:
        """The version that serves now, or ``None`` if none was promoted.

        Parameters
        ----------
        name : str
            A stored model's name.

        Returns
        -------
        ModelVersion or None
            The last promoted version (after any rollbacks), read from its
            metadata (not re-hashed: :meth:`load` does that).

        Raises
        ------
        IntegrityError
            If ``production.json`` is corrupt or names a version that is not
            stored (the message names the file).

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> _ = reg.save("digits", {"model.tflite": b"first"})
        >>> reg.production("digits") is None  # saved, not promoted yet
        True
        >>> _ = reg.promote("digits", 1)
        >>> reg.production("digits").version
        1
        """
        dirs = self._known(name)  # type: ignore[attr-defined]
        stack = self._pointer(name, dirs)["stack"]
        if not stack:
            return None
        return self._read(name, stack[-1], dirs[stack[-1]])  # type: ignore[attr-defined]

    def history(self, name: str) -> list[dict[str, Any]]:
        """Promotions and rollbacks of ``name``, oldest first.

        Parameters
        ----------
        name : str
            A stored model's name.

        Returns
        -------
        list of dict
            One event per promotion or rollback: ``action`` (``"promote"`` or
            ``"rollback"``), ``version``, ``time`` (UTC, ISO 8601) and ``pid`` (the
            process that made it).

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> for data in (b"first", b"second"):
        ...     _ = reg.save("digits", {"model.tflite": data})
        >>> _ = reg.promote("digits", 1), reg.promote("digits", 2)
        >>> _ = reg.rollback("digits")
        >>> [(e["action"], e["version"]) for e in reg.history("digits")]
        [('promote', 1), ('promote', 2), ('rollback', 1)]
        """
        dirs = self._known(name)  # type: ignore[attr-defined]
        return list(self._pointer(name, dirs)["events"])

    def promote(self, name: str, version: int) -> ModelVersion:
        """Make ``version`` the production one (after verifying its files).

        Parameters
        ----------
        name : str
            A stored model's name.
        version : int
            A stored version of ``name`` (an integer >= 1).

        Returns
        -------
        ModelVersion
            The promoted version, its files just verified.

        Raises
        ------
        IntegrityError
            If a file of ``version`` changed since it was saved: nothing is
            promoted.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> _ = reg.save("digits", {"model.tflite": b"first"})
        >>> reg.promote("digits", 1).version
        1
        >>> reg.promote("digits", 2)
        Traceback (most recent call last):
        ...
        ValueError: version 2 of 'digits' does not exist (stored: [1])
        """
        self._known(name)  # type: ignore[attr-defined]  # name checked: no file yet
        version = check_version(version)
        with self._lock(name):
            mv = self.verify(name, version)  # type: ignore[attr-defined]
            pointer = self._pointer(name, self._known(name))  # type: ignore[attr-defined]
            if pointer["stack"][-1:] != [mv.version]:
                pointer["stack"].append(mv.version)
            pointer["events"].append(_event("promote", mv.version))
            self._write_pointer(name, pointer)
        return mv

    def rollback(self, name: str) -> ModelVersion:
        """Serve the previously promoted version again (verified first).

        Parameters
        ----------
        name : str
            A stored model with at least two promotions left on its stack.

        Returns
        -------
        ModelVersion
            The version that serves again, its files just verified.

        Raises
        ------
        ValueError
            If there is no earlier promoted version to return to.

        Examples
        --------
        >>> import tempfile
        >>> from modelmaint.registry import ModelRegistry
        >>> reg = ModelRegistry(tempfile.mkdtemp())
        >>> for data in (b"first", b"second"):
        ...     _ = reg.save("digits", {"model.tflite": data})
        >>> _ = reg.promote("digits", 1), reg.promote("digits", 2)
        >>> reg.rollback("digits").version  # v2 misbehaves: serve v1 again
        1
        >>> reg.rollback("digits")
        Traceback (most recent call last):
        ...
        ValueError: name 'digits' has no earlier promoted version to roll back to \
(promoted: [1])
        """
        self._known(name)  # type: ignore[attr-defined]
        with self._lock(name):
            pointer = self._pointer(name, self._known(name))  # type: ignore[attr-defined]
            if len(pointer["stack"]) < 2:
                raise ValueError(
                    f"name {name!r} has no earlier promoted version to roll back to "
                    f"(promoted: {pointer['stack']})"
                )
            previous = pointer["stack"][-2]
            mv = self.verify(name, previous)  # type: ignore[attr-defined]
            pointer["stack"].pop()
            pointer["events"].append(_event("rollback", previous))
            self._write_pointer(name, pointer)
        return mv


def _is_version(value: Any) -> bool:
    return type(value) is int and value >= 1


def _pointer_problem(pointer: Any) -> str | None:
    """What is wrong with a parsed ``production.json``, or ``None``."""
    if not isinstance(pointer, dict) or not {"stack", "events"} <= set(pointer):
        return "it must be an object with 'stack' and 'events'"
    stack, events = pointer["stack"], pointer["events"]
    if not isinstance(stack, list) or not all(_is_version(v) for v in stack):
        return f"'stack' must be a list of versions; got {stack!r:.80}"
    if not isinstance(events, list) or not all(
        isinstance(e, dict)
        and e.get("action") in ACTIONS
        and _is_version(e.get("version"))
        for e in events
    ):
        return "'events' must be a list of {'action': 'promote' or 'rollback', ...}"
    return None


def _event(action: str, version: int) -> dict[str, Any]:
    when = datetime.now(UTC).isoformat(timespec="microseconds")
    return {"action": action, "version": version, "time": when, "pid": os.getpid()}
