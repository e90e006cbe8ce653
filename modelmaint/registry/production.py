"""Which version serves: the production pointer, promotion, rollback and their history.

``<name>/production.json`` holds a stack of promoted versions (the last one serves)
and every promote/rollback event. It is rewritten through a temporary file and
``os.replace``, so a reader sees the old pointer or the new one, never half; and
the read-modify-write runs under the model's file lock, so two operators promoting
at the same time both get their event recorded. Mixed into
:class:`~modelmaint.registry.ModelRegistry`; taught in notebook 09.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelmaint.registry import _files
from modelmaint.registry.version import check_version

if TYPE_CHECKING:
    from modelmaint.registry.version import ModelVersion

__all__ = ["ProductionPointer"]

POINTER = "production.json"


class ProductionPointer:
    """Promotion and rollback for :class:`~modelmaint.registry.ModelRegistry`.

    Needs ``root``, ``_known``, ``_read`` and ``verify`` from the class it is
    mixed into.
    """

    root: Path

    def _pointer(self, name: str) -> dict[str, Any]:
        path = self.root / name / POINTER
        if not path.is_file():
            return {"stack": [], "events": []}
        return json.loads(path.read_text(encoding="utf-8"))

    def _write_pointer(self, name: str, pointer: dict[str, Any]) -> None:
        model_dir = self.root / name
        tmp = model_dir / f".tmp-{uuid.uuid4().hex}.json"
        text = json.dumps(pointer, indent=2).encode("utf-8")
        try:
            _files.write_bytes(tmp, text, read_only=False)
            os.replace(tmp, model_dir / POINTER)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _files.fsync_dir(model_dir)

    def production(self, name: str) -> ModelVersion | None:
        """The version that serves now, or ``None`` if none was promoted."""
        dirs = self._known(name)  # type: ignore[attr-defined]
        stack = self._pointer(name)["stack"]
        if not stack:
            return None
        return self._read(name, stack[-1], dirs[stack[-1]])  # type: ignore[attr-defined]

    def history(self, name: str) -> list[dict[str, Any]]:
        """Promotions and rollbacks of ``name``, oldest first."""
        self._known(name)  # type: ignore[attr-defined]
        return list(self._pointer(name)["events"])

    def promote(self, name: str, version: int) -> ModelVersion:
        """Make ``version`` the production one (after verifying its files)."""
        version = check_version(version)
        with _files.model_lock(self.root, name):
            mv = self.verify(name, version)  # type: ignore[attr-defined]
            pointer = self._pointer(name)
            if pointer["stack"][-1:] != [mv.version]:
                pointer["stack"].append(mv.version)
            pointer["events"].append(_event("promote", mv.version))
            self._write_pointer(name, pointer)
        return mv

    def rollback(self, name: str) -> ModelVersion:
        """Serve the previously promoted version again (verified first)."""
        self._known(name)  # type: ignore[attr-defined]
        with _files.model_lock(self.root, name):
            pointer = self._pointer(name)
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


def _event(action: str, version: int) -> dict[str, Any]:
    when = datetime.now(UTC).isoformat(timespec="microseconds")
    return {"action": action, "version": version, "time": when, "pid": os.getpid()}
