"""Lazy imports of TensorFlow, ``tf_keras`` and the Model Optimization Toolkit.

Shared by :mod:`modelmaint.compress` and :mod:`modelmaint.distill`. Nothing here is
imported at module level: each helper imports on first call, after defaulting
``TF_USE_LEGACY_KERAS=1`` (Keras 2 via ``tf_keras``) and quieting TensorFlow's C++
logs, so ``import modelmaint.compress`` stays instant.
"""

from __future__ import annotations

import os
from typing import Any


def _tf() -> Any:
    """Import TensorFlow with Keras 2 (``tf_keras``), quietly; return the module."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    return tf


def _keras() -> Any:
    """Import TensorFlow (as in :func:`_tf`), then ``tf_keras``; return the latter."""
    _tf()
    import tf_keras

    return tf_keras


def _tfmot() -> Any:
    """Import TensorFlow (as in :func:`_tf`), then ``tensorflow_model_optimization``."""
    _tf()
    import tensorflow_model_optimization as tfmot

    return tfmot
