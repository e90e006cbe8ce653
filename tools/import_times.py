"""How long ``import modelmaint.<sub>`` takes, and which heavy libraries it loads.

Each subpackage of ``modelmaint._SUBMODULES`` is imported in a fresh interpreter
(``python -c``), timed with :func:`time.perf_counter` around the import alone, best
of ``--repeats`` runs; the interpreter's own start-up is not counted. The last column
names the heavy libraries (TensorFlow, scikit-learn, ``scipy.stats``, shap, lime,
FastAPI, MLflow, river, ...) that the import pulled in: a subpackage should load them
inside the functions that need them, so that ``import`` stays cheap (CONTRIBUTING.md).

Usage::

    python -m tools.import_times               # every subpackage, best of 3
    python -m tools.import_times control drift --repeats 5
    python -m tools.import_times --json build/import_times.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Libraries that no ``import modelmaint.<sub>`` should load (tests/test_imports.py).
HEAVY = (
    "tensorflow",
    "tf_keras",
    "tensorflow_model_optimization",
    "shap",
    "lime",
    "sklearn",
    "scipy.stats",
    "fastapi",
    "starlette",
    "uvicorn",
    "mlflow",
    "river",
)

_PROBE = """
import json, sys, time
start = time.perf_counter()
import modelmaint.{sub}
seconds = time.perf_counter() - start
heavy = [name for name in {heavy!r} if name in sys.modules]
print(json.dumps({{"seconds": seconds, "heavy": heavy}}))
"""


def probe(sub: str) -> dict:
    """Import ``modelmaint.<sub>`` once in a fresh interpreter.

    Parameters
    ----------
    sub : str
        A name of ``modelmaint._SUBMODULES``, e.g. ``"control"``.

    Returns
    -------
    dict
        ``{"seconds": float, "heavy": list of str}``: the import's wall time and
        the heavy libraries (:data:`HEAVY`) found in ``sys.modules`` after it.

    Examples
    --------
    >>> result = probe("control")
    >>> sorted(result), result["heavy"]
    (['heavy', 'seconds'], [])
    """
    code = _PROBE.format(sub=sub, heavy=HEAVY)
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0:
        raise RuntimeError(f"import modelmaint.{sub} failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure(subs: list[str], repeats: int = 3) -> dict[str, dict]:
    """Best of ``repeats`` fresh-interpreter imports of each subpackage.

    Parameters
    ----------
    subs : list of str
        Subpackage names.
    repeats : int, default 3
        Fresh interpreters per subpackage (>= 1); the fastest counts.

    Returns
    -------
    dict
        ``{sub: {"seconds": best, "heavy": [...]}}``.

    Examples
    --------
    >>> table = measure(["quality"], repeats=1)
    >>> table["quality"]["seconds"] > 0
    True
    """
    if repeats < 1:
        raise ValueError(f"repeats must be an integer >= 1; got {repeats}")
    table = {}
    for sub in subs:
        runs = [probe(sub) for _ in range(repeats)]
        best = min(r["seconds"] for r in runs)
        heavy = sorted({name for r in runs for name in r["heavy"]})
        table[sub] = {"seconds": best, "heavy": heavy}
    return table


def main(argv: list[str] | None = None) -> int:
    """Print the table (and write it as JSON with ``--json``); 0 on success."""
    import modelmaint

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subs", nargs="*", help="subpackages (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    subs = args.subs or list(modelmaint._SUBMODULES)
    unknown = sorted(set(subs) - set(modelmaint._SUBMODULES))
    if unknown:
        parser.error(f"unknown subpackage(s) {unknown}")
    table = measure(subs, args.repeats)
    print(f"{'subpackage':<12} {'import s':>9}  heavy libraries loaded")
    for sub, row in table.items():
        heavy = ", ".join(row["heavy"]) or "-"
        print(f"{sub:<12} {row['seconds']:>9.3f}  {heavy}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(table, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
