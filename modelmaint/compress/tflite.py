"""TFLite: conversion in four modes, LiteRT inference, accuracy and gzip size.

Taught in notebooks 08 and 09; reused by notebook 10. TensorFlow is imported by
:func:`to_tflite` and the LiteRT interpreter by the prediction helpers, when called.
:func:`tflite_predict` checks its input against the model's input tensor (shape,
dtype, finite values) before the interpreter sees it.
"""

from __future__ import annotations

import gzip
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, check_one_of
from modelmaint.compress._common import (
    as_xy,
    check_tensor_input,
    dequantize_output,
    import_tf,
    make_interpreter,
    quantize_input,
)
from modelmaint.console import quiet_stderr

__all__ = [
    "TFLITE_MODES",
    "gzipped_size",
    "make_tflite_predictor",
    "tflite_accuracy",
    "tflite_predict",
    "to_tflite",
]

TFLITE_MODES = ("float32", "dynamic", "float16", "int8")


# --------------------------------------------------------------------------- sizes


def gzipped_size(data: bytes | str | os.PathLike[str]) -> int:
    """Bytes after gzip (level 9) of ``data`` or of the file at that path.

    Taught in notebooks 07, 08.

    Zeros compress: a pruned model is not smaller on disk until it is compressed.

    Parameters
    ----------
    data : bytes, str or os.PathLike
        Non-empty bytes (a flatbuffer from :func:`to_tflite`), or the path of an
        existing, non-empty file.

    Returns
    -------
    int
        The size in bytes of the gzip stream (with a fixed timestamp: deterministic).

    Examples
    --------
    >>> gzipped_size(bytes(100_000)) < 200
    True
    >>> rng = np.random.default_rng(0)
    >>> gzipped_size(rng.random(1000).astype(np.float32).tobytes()) > 3500
    True
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    elif isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.is_file():
            raise ValueError(
                f"data must be bytes or an existing file; got path {str(path)!r}"
            )
        raw = path.read_bytes()
    else:
        raise InputTypeError(
            f"data must be bytes or a file path; got {type(data).__name__}"
        )
    if len(raw) == 0:
        raise ValueError("data must not be empty; got 0 bytes")
    return len(gzip.compress(raw, compresslevel=9, mtime=0))


# --------------------------------------------------------------------------- TFLite


def to_tflite(
    model: Any, mode: str = "float32", representative_data: Any = None
) -> bytes:
    """Convert a Keras model to a TFLite flatbuffer.

    Taught in notebooks 08, 09.

    Parameters
    ----------
    model : tf_keras model
        The model to convert (unchanged).
    mode : {"float32", "dynamic", "float16", "int8"}
        ``"float32"``: no optimization. ``"dynamic"``: ``Optimize.DEFAULT`` alone —
        int8 weights; activations quantized on the fly per call (dynamic-range
        quantization; no retraining; float32 input and output).
        ``"float16"``: float16 weights. ``"int8"``: full-integer — weights *and*
        activations int8, int8 input and output; needs ``representative_data`` to
        calibrate the activation ranges.
    representative_data : array, optional
        A few hundred inputs (first axis = samples) for ``"int8"``.

    Returns
    -------
    bytes
        The flatbuffer, for :func:`tflite_predict` or a ``.tflite`` file.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> model = build_cnn()
    >>> len(to_tflite(model)) > 4 * model.count_params()
    True
    >>> to_tflite(model, "int4")
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of 'float32', 'dynamic', 'float16', 'int8'; got 'int4'
    """
    mode = check_one_of(mode, "mode", TFLITE_MODES)
    rep = None
    if mode == "int8":
        if representative_data is None:
            raise ValueError(
                "representative_data is required for mode='int8' (full-integer "
                "quantization calibrates activation ranges on it); got None"
            )
        rep = np.asarray(representative_data, dtype=np.float32)
        if rep.ndim < 2 or rep.shape[0] == 0:
            raise ValueError(
                "representative_data must have at least 1 sample; "
                f"got shape {rep.shape}"
            )
    tf = import_tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "int8":
        samples = rep[:500]

        def representative_dataset() -> Any:
            for i in range(samples.shape[0]):
                yield [samples[i : i + 1]]

        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # "Assets written to /tmp/..." on every conversion
    try:
        with warnings.catch_warnings():
            # int8 input: the converter asks for input statistics it does not need
            warnings.filterwarnings("ignore", message="Statistics for quantized inputs")
            with quiet_stderr():  # the quantizer's C++ "fully_quantize: 0, ..." line
                return bytes(converter.convert())
    finally:
        logger.setLevel(level)


def make_tflite_predictor(
    tflite_model: bytes, num_threads: int = 1
) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``predict(batch)`` backed by one LiteRT interpreter.

    Taught in notebook 09.

    What a request handler calls: the interpreter is allocated once, and resized
    only when the batch size changes. Integer inputs are quantized and outputs
    dequantized in Python with the tensors' scale and zero point, so callers always
    pass and receive float arrays. Timing this function measures that Python too
    (microseconds, as much as a tiny model's inference); to time the inference
    itself use :func:`~modelmaint.compress.time_tflite_invoke`.

    Parameters
    ----------
    tflite_model : bytes
        A non-empty flatbuffer from :func:`to_tflite`.
    num_threads : int, default 1
        Interpreter threads (>= 1).

    Returns
    -------
    callable
        ``predict(batch)``: float32 outputs, one row per row of ``batch`` (float
        inputs of the model's shape; not checked, for speed:
        :func:`tflite_predict` checks).

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data = digits_data()
    >>> predict = make_tflite_predictor(to_tflite(build_cnn()))
    >>> predict(data.x_test[:1]).shape
    (1, 10)
    """
    return _predictor(tflite_model, num_threads)[0]


def _predictor(
    tflite_model: bytes, num_threads: int
) -> tuple[Callable[[np.ndarray], np.ndarray], dict[str, Any]]:
    """The predictor of :func:`make_tflite_predictor` and its input tensor's details."""
    interpreter = make_interpreter(tflite_model, num_threads)
    with quiet_stderr():  # LiteRT's "INFO: Created ... XNNPACK delegate for CPU."
        interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]
    out_detail = interpreter.get_output_details()[0]  # scale and zero point fixed
    out_index = out_detail["index"]
    state = {"batch": int(inp["shape"][0])}

    def predict(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32)
        n = batch.shape[0]
        if n != state["batch"]:
            interpreter.resize_tensor_input(inp["index"], [n, *batch.shape[1:]])
            interpreter.allocate_tensors()
            state["batch"] = n
        interpreter.set_tensor(inp["index"], quantize_input(batch, inp))
        interpreter.invoke()
        return dequantize_output(interpreter.get_tensor(out_index), out_detail)

    return predict, inp


def tflite_predict(tflite_model: bytes, x: Any, *, num_threads: int = 1) -> np.ndarray:
    """Outputs of a TFLite model on all of ``x`` (float, dequantized if int8).

    Taught in notebooks 08, 09.

    Parameters
    ----------
    tflite_model : bytes
        A non-empty flatbuffer from :func:`to_tflite`.
    x : array-like
        Float samples (first axis), finite, shaped like the model's input; for a
        full-integer model they are quantized here.
    num_threads : int, default 1
        Interpreter threads (>= 1).

    Returns
    -------
    numpy.ndarray
        float32 outputs, one row per sample.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data = digits_data()
    >>> model = build_cnn()
    >>> out = tflite_predict(to_tflite(model), data.x_test[:5])
    >>> bool(np.allclose(out, model.predict(data.x_test[:5], verbose=0), atol=1e-5))
    True
    """
    x = np.asarray(x)
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"x must have at least 1 sample; got shape {x.shape}")
    predict, detail = _predictor(tflite_model, num_threads)
    return predict(check_tensor_input(x, detail))


def tflite_accuracy(tflite_model: bytes, x: Any, y: Any) -> float:
    """Arg-max accuracy of a TFLite model on ``(x, y)``.

    Taught in notebooks 08, 09.

    Parameters
    ----------
    tflite_model : bytes
        A non-empty flatbuffer from :func:`to_tflite`.
    x : array-like
        Float samples (first axis), finite, shaped like the model's input.
    y : array-like of int
        One class label per sample.

    Returns
    -------
    float
        The accuracy, in [0, 1].

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data, keras_accuracy
    >>> data = digits_data()
    >>> model = build_cnn()
    >>> acc = tflite_accuracy(to_tflite(model), data.x_test, data.y_test)
    >>> acc == keras_accuracy(model, data.x_test, data.y_test)
    True
    """
    x, y = as_xy(x, y)
    return float(np.mean(np.argmax(tflite_predict(tflite_model, x), axis=1) == y))
