"""modelmaint: companion package of the course on keeping models healthy.

Submodules load on first use (``mm.anomaly``, ``mm.control``, ...), so
``import modelmaint`` is instant and TensorFlow is imported only by the parts that
need it.

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
    "anomaly",
    "control",
    "compress",
    "datasets",
    "drift",
    "explain",
    "monitor",
    "online",
    "plotting",
    "registry",
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
