"""TensorBoard event files, written and read back without TensorFlow or a server.

Taught in notebook 03 (seed 001 §3.1, §4.1: "use TensorBoard to watch the model"):
a production job logs its daily metrics where ``tensorboard --logdir`` shows them next
to the training curves Keras writes, and a notebook reads both back as a DataFrame.

An event file is a TFRecord file of serialised ``tensorboard.Event`` protocol buffers.
Both directions use TensorBoard's own pure-Python pieces: :class:`RecordWriter` to
write, and the record reader of ``tensorboard.compat.tensorflow_stub`` to read (length
and payload CRCs checked, a torn last record tolerated). TensorBoard's
``EventFileLoader`` wraps that same reader, but it resolves ``tensorboard.compat.tf``
first, which imports all of TensorFlow (~9 s, ~0.7 GiB) whenever it is installed — so
it is not used here.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import InputTypeError, as_1d, check_str, show

__all__ = ["read_scalars", "write_scalars"]


def _events(path: Path) -> Iterator[Any]:
    """Every ``Event`` in one event file, in order (TensorBoard's stub reader)."""
    from tensorboard.compat.proto import event_pb2
    from tensorboard.compat.tensorflow_stub import errors
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import (
        PyRecordReader_New,
    )

    reader = PyRecordReader_New(str(path))
    try:
        while True:
            try:
                reader.GetNext()
            except errors.OutOfRangeError:  # the end of the file
                return
            except errors.DataLossError as error:
                if "truncated record" in error.message:
                    return  # a torn write at the end of a file still being written
                raise ValueError(f"{path} is corrupted: {error.message}") from None
            yield event_pb2.Event.FromString(reader.record())
    finally:
        reader.file_handle.close()


def _check_logdir(logdir: Any) -> Path:
    if not isinstance(logdir, (str, os.PathLike)):
        raise InputTypeError(f"logdir must be a non-empty path; got {show(logdir)}")
    if str(logdir) == "":
        raise ValueError(f"logdir must be a non-empty path; got {show(logdir)}")
    return Path(logdir)


def write_scalars(
    logdir: str | os.PathLike,
    tag: str,
    values: Any,
    steps: Any = None,
) -> Path:
    """Write a series of scalars to a new TensorBoard event file in ``logdir``.

    The file is what ``tf.summary.scalar`` or ``SummaryWriter.add_scalar`` would
    write, so ``tensorboard --logdir`` shows it; :func:`read_scalars` reads it back.

    Parameters
    ----------
    logdir : path
        Directory (created if needed); each call adds one new file.
    tag : str
        Name of the series, e.g. ``"production/accuracy"``.
    values : array-like of float, 1-D
        Finite values.
    steps : array-like of int, optional
        One step in [0, 2**63) per value (e.g. the day); default ``0, 1, ...``.

    Returns
    -------
    pathlib.Path
        The event file written.

    Examples
    --------
    >>> import tempfile
    >>> logdir = tempfile.mkdtemp()
    >>> path = write_scalars(logdir, "accuracy", [0.9, 0.8], steps=[10, 11])
    >>> "tfevents" in path.name
    True
    >>> read_scalars(logdir)[["step", "tag", "value"]].round(3)
       step       tag  value
    0    10  accuracy    0.9
    1    11  accuracy    0.8
    """
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.record_writer import RecordWriter

    directory = _check_logdir(logdir)
    tag = check_str(tag, "tag", allow_empty=False)
    vals = as_1d(values, "values")
    if steps is None:
        step_arr = np.arange(vals.size)
    else:
        step_arr = as_1d(steps, "steps")
        if step_arr.size != vals.size:
            raise ValueError(
                f"steps must have one entry per value ({vals.size}); "
                f"got {step_arr.size}"
            )
        if (
            np.any(step_arr < 0)
            or np.any(step_arr != np.round(step_arr))
            or np.any(step_arr >= 2.0**63)
        ):
            raise ValueError("steps must be non-negative integers below 2**63")
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    name = f"events.out.tfevents.{int(now)}.{socket.gethostname()}.{os.getpid()}"
    path = directory / f"{name}.{time.perf_counter_ns()}"
    with open(path, "wb") as handle:
        writer = RecordWriter(handle)
        header = event_pb2.Event(wall_time=now, file_version="brain.Event:2")
        writer.write(header.SerializeToString())
        for step, value in zip(step_arr, vals, strict=True):
            summary = summary_pb2.Summary(
                value=[summary_pb2.Summary.Value(tag=tag, simple_value=float(value))]
            )
            event = event_pb2.Event(
                wall_time=time.time(), step=int(step), summary=summary
            )
            writer.write(event.SerializeToString())
    return path


def _scalar_of(value: Any) -> float | None:
    if value.HasField("simple_value"):
        return float(value.simple_value)
    if value.HasField("tensor"):
        from tensorboard.util import tensor_util

        try:
            arr = tensor_util.make_ndarray(value.tensor)
        except (TypeError, ValueError):
            return None
        if arr.size == 1 and arr.dtype.kind in "fiub":
            return float(arr.reshape(()))
    return None


def read_scalars(logdir: str | os.PathLike, tag: str | None = None) -> pd.DataFrame:
    """Read every scalar in the TensorBoard event files under ``logdir``.

    Walks ``logdir`` recursively, so the ``train/`` and ``validation/`` runs that
    Keras's ``TensorBoard`` callback creates are both read. Understands the two ways
    scalars are stored: ``simple_value`` (:func:`write_scalars`, TF 1 summaries) and
    one-element tensors (``tf.summary.scalar`` in TF 2, e.g. Keras's
    ``epoch_loss``, ``epoch_accuracy``). Non-scalar summaries (histograms, images,
    the model graph) are skipped.

    Parameters
    ----------
    logdir : path
        An existing directory.
    tag : str, optional
        Keep only this tag.

    Returns
    -------
    pandas.DataFrame
        Columns ``run`` (directory relative to ``logdir``, ``"."`` for ``logdir``
        itself), ``tag, step, value, wall_time``, sorted by run, tag and step.

    Examples
    --------
    >>> import tempfile
    >>> logdir = Path(tempfile.mkdtemp())
    >>> _ = write_scalars(logdir / "train", "loss", [0.7, 0.4])
    >>> _ = write_scalars(logdir / "validation", "loss", [0.8, 0.6])
    >>> read_scalars(logdir, tag="loss")[["run", "step", "value"]].round(2)
              run  step  value
    0       train     0    0.7
    1       train     1    0.4
    2  validation     0    0.8
    3  validation     1    0.6
    """
    root = _check_logdir(logdir)
    if not root.is_dir():
        raise ValueError(f"logdir must be an existing directory; got {str(root)!r}")
    tag = check_str(tag, "tag", allow_none=True, allow_empty=False)
    rows = []
    for path in sorted(root.rglob("*tfevents*")):
        if not path.is_file():
            continue
        run = path.parent.relative_to(root).as_posix()
        for event in _events(path):
            if not event.HasField("summary"):
                continue
            for value in event.summary.value:
                if tag is not None and value.tag != tag:
                    continue
                scalar = _scalar_of(value)
                if scalar is not None:
                    rows.append(
                        (run, value.tag, int(event.step), scalar, event.wall_time)
                    )
    columns = ["run", "tag", "step", "value", "wall_time"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["run", "tag", "step"], kind="stable", ignore_index=True)
