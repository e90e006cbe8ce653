"""`make bench` section "imports": how long ``import modelmaint.<sub>`` takes.

Each subpackage is imported in a fresh interpreter, best of 3 (tools/import_times.py),
and the heavy libraries the import pulled in are listed: ``import modelmaint`` and
every subpackage stay cheap because TensorFlow, scikit-learn, shap and the rest load
inside the functions that need them (CONTRIBUTING.md; tests/test_imports.py checks
that none is loaded).
"""

from __future__ import annotations

import modelmaint
from tools.import_times import measure

KEY = "imports"
REPEATS = 3


def run() -> dict:
    """Print and return ``{sub: {"seconds": best, "heavy": [...]}}``."""
    table = measure(list(modelmaint._SUBMODULES), REPEATS)
    print(f"{'subpackage':<12} {'import s':>9}  heavy libraries loaded")
    for sub, row in table.items():
        print(f"{sub:<12} {row['seconds']:>9.3f}  {', '.join(row['heavy']) or '-'}")
    slowest = max(table, key=lambda s: table[s]["seconds"])
    print(f"slowest: {slowest} {table[slowest]['seconds']:.3f} s")
    return table
