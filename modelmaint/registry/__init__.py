"""A versioned model store on disk: append-only versions, sha256 checked on load.

Taught in notebook 09 (seed 003 §3.3, §4.2; 004 §3.2, §4.2). Pure Python: no
TensorFlow import, so it stores any artifact -- TFLite bytes, a ``.keras`` file, a
SavedModel directory, a JSON of thresholds.

Layout under ``root``::

    <name>/v0001/metadata.json      version, sha256 of every file, metrics, ...
    <name>/v0001/files/...          the artifacts, exactly as saved (read-only)
    <name>/production.json          which version serves, and the promotion history
    .locks/<name>.lock              the inter-process lock of one model

Guarantees:

* **Append-only.** A version is written into a temporary directory beside its final
  place, every file is fsync'ed and made read-only, then the directory is renamed
  into place in one atomic step. A crash before the rename leaves only a hidden
  ``.tmp-*`` directory that is never listed.
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

Modules: :mod:`~modelmaint.registry.store` (:class:`ModelRegistry`: save, list,
verify, load, read), :mod:`~modelmaint.registry.production` (promote, rollback,
history), :mod:`~modelmaint.registry.version` (:class:`ModelVersion`,
:class:`IntegrityError`, input checks), ``_files`` (hashing, durable writes, locks).
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
