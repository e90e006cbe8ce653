"""modelmaint: companion package of the course on keeping models healthy.

The layout follows the course. Each module has one job and says in its docstring which
notebook teaches it; submodules load on first use (``mm.anomaly``, ``mm.control``, ...),
so ``import modelmaint`` is instant and TensorFlow, shap, lime, fairlearn and FastAPI
are imported only by the parts that need them.

**Part 1 — monitor: notice that a deployed model went wrong** (notebooks 01-03)

* ``anomaly`` - odd single outputs: z-score, modified z-score, Grubbs, generalized
  ESD, cluster-based scores (01);
* ``control`` - a metric as a process: Shewhart, p, EWMA and CUSUM charts, run rules,
  average run length (02);
* ``drift`` - have the inputs moved: PSI (with its null distribution), KS and
  chi-square tests, a per-feature report (03);
* ``monitor`` - windowed metrics, latency, memory, TensorBoard logs, label-free
  accuracy estimates (CBPE) (03);
* ``quality`` - are the inputs broken: range, unit, stuck and missing-value rules (12);
* ``alarms`` - alarms you can trust: every detector's threshold calibrated to one
  in-control ARL by simulation, detection delays at that budget, Bonferroni and
  Benjamini-Hochberg for many tests a day, TCPDBench's F1 and covering for
  change points (the lab after 03).

**Part 2 — diagnose and update: find why, then change the model** (04-06, 11)

* ``explain`` - LIME and SHAP attributions, and the attribution shift between two
  windows that names the feature behind a drop (04);
* ``online`` - test-then-train evaluation and update policies on a stream (05).

**Part 3 — compress and deploy: ship it small and safe** (07-10)

* ``compress`` - pruning, quantization, clustering, TFLite conversion, fair latency,
  knowledge distillation (07, 08, 10);
* ``registry`` - a versioned model store: atomic writes, sha256 checked on load,
  promote and roll back (09);
* ``serving`` - the model behind an HTTP endpoint (FastAPI): validated requests,
  a request log the monitor reads, a background server (09).

**Part 4 — the whole loop** (12)

* ``loop`` - a deployed model replayed day by day: alarms from quality, drift and
  control charts, with labels that arrive late (12).

**Shared**

* ``datasets`` - the course's data files, checked by sha256, and their generators;
* ``course`` - the course's own files: its clone, the README's outline, the lock, the
  notebooks (00, A1 and the tools read them here);
* ``plotting`` - the course's figures (every ``plot_*`` takes ``ax=None``);
* ``exercise`` - the exercises' check cells: one success line, and a cleared answer
  cannot pass in a live kernel;
* ``console`` - TensorFlow's native start-up notices kept off the first screen.

Examples
--------
>>> import modelmaint as mm
>>> mm.__version__
'0.1.0'
>>> mm.datasets.dataset_path("phishing").name
'phishing.csv'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = (
    "alarms",
    "course",
    "anomaly",
    "control",
    "compress",
    "datasets",
    "drift",
    "explain",
    "loop",
    "monitor",
    "online",
    "plotting",
    "quality",
    "registry",
    "serving",
    "exercise",
    "console",
)
__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
