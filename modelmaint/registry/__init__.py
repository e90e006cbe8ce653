"""A versioned model store on disk: append-only versions, sha256 checked on load.

Taught in notebook 09 (seed 003 §3.3, §4.2; 004 §3.2, §4.2). Pure Python: no
TensorFlow import, so it stores any artifact -- TFLite bytes, a ``.keras`` file, a
SavedModel directory, a JSON of thresholds.

Layout under ``root``::

    <name>/v0001/metadata.json      version, sha256 of every file, metrics, ...
    <name>/v0001/files/...          the artifacts, exactly as saved (read-only)
    <name>/production.json          which version serves, and the promotion history
    <name>/.tmp-<id>/, .tmp-<id>.lock   a version being written, and its writer's guard
    .locks/<name>.lock              the inter-process lock of one model

Guarantees:

* **Append-only.** A version is written into a temporary directory beside its final
  place, every file is fsync'ed and made read-only, then the directory is renamed
  into place in one atomic step. A crash before the rename leaves only a hidden
  ``.tmp-*`` directory that is never listed, and that the next opening of the
  store removes (its writer's guard lock died with it; a live writer's is kept).
* **Concurrent writers.** The number is taken, and the rename done, under the
  model's file lock: several processes saving at once all succeed, with distinct
  numbers. Promotions and rollbacks are read-modify-writes under the same lock, so
  no event is lost.
* **Integrity.** ``load`` re-hashes every file and refuses a version whose files
  were changed, removed or added, with an :class:`IntegrityError` naming the file,
  the expected and the found hash; ``read_bytes`` hashes the very bytes it returns.
  A checksum stored beside the file protects against accidents (a bad copy,
  truncation, bit rot), not against someone who can also rewrite the metadata.
* **Atomic promotion.** The production pointer is rewritten through a temporary
  file and ``os.replace``: a reader sees the old pointer or the new one, never half.
* **Nothing outside the store.** A model name is matched in full against 1-64
  ASCII letters, digits, ``_ . -`` (no ``/``, no ``..``, no newline) before any
  file is touched. Only regular files are saved, listed, read or hashed: a
  symbolic link anywhere in an artifact, a device (``/dev/zero``), a FIFO or a
  socket is refused with a ``ValueError`` on save and an ``IntegrityError`` on
  load; a linked version directory is never followed.
* **Damage is named, never guessed around.** A ``metadata.json`` or
  ``production.json`` that is not valid JSON, not what the store writes, or (the
  pointer) names a version that is not stored raises :class:`IntegrityError`
  naming the file -- from ``list_versions``, ``load``, ``production`` alike.

Modules: :mod:`~modelmaint.registry.store` (:class:`ModelRegistry`: open, save),
:mod:`~modelmaint.registry.reading` (list, verify, load, read),
:mod:`~modelmaint.registry.production` (promote, rollback, history),
:mod:`~modelmaint.registry.version` (:class:`ModelVersion`, :class:`IntegrityError`,
metadata), ``_names`` (names and paths callers pass), ``_files`` (hashing, durable
writes, regular files only), ``_layout`` (locks, listing, clean-up of dead
writers' temporaries).
"""

from modelmaint.registry._files import data_fingerprint, sha256_file
from modelmaint.registry.store import ModelRegistry
from modelmaint.registry.version import IntegrityError, ModelVersion

__all__ = [
    "IntegrityError",
    "ModelRegistry",
    "ModelVersion",
    "data_fingerprint",
    "sha256_file",
]
