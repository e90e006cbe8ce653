"""Compression during fine-tuning, with the TensorFlow Model Optimization Toolkit.

Taught in notebooks 07 (:func:`prune_model`: magnitude pruning while training) and
08 (:func:`quantize_aware`: quantization-aware training; :func:`cluster_model`:
weight clustering). Each wraps a fresh clone of the model with ``tfmot``, fine-tunes
it and strips the wrappers; the model given is left unchanged. ``tfmot`` (and
TensorFlow) are imported when one of them is called. The from-scratch versions are
in :mod:`~modelmaint.compress.pruning` and :mod:`~modelmaint.compress.quantization`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from modelmaint._validation import (
    check_bool,
    check_fraction,
    check_int,
    check_positive,
)
from modelmaint.compress._common import (
    as_xy,
    check_skip,
    check_sparsity,
    compile_classifier,
    import_keras,
    import_tfmot,
)
from modelmaint.compress.models import clone_model

__all__ = ["cluster_model", "prune_model", "quantize_aware"]


def prune_model(
    model: Any,
    target_sparsity: float,
    x: Any,
    y: Any,
    *,
    epochs: int = 4,
    batch_size: int = 32,
    initial_sparsity: float = 0.0,
    frequency: int = 10,
    end_fraction: float = 0.6,
    skip: Sequence[str] = (),
) -> Any:
    """Magnitude pruning during fine-tuning with tfmot; returns the stripped model.

    Taught in notebooks 07, 08.

    A fresh clone of ``model`` is wrapped by ``prune_low_magnitude`` with a
    ``PolynomialDecay`` schedule from ``initial_sparsity`` to ``target_sparsity``
    over the first ``end_fraction`` of the steps, fine-tuned with the
    ``UpdatePruningStep`` callback (without it the masks never update), then
    ``strip_pruning`` removes the wrappers so the zeros are plain weights.

    Parameters
    ----------
    model : tf_keras model
        Trained model; left unchanged.
    target_sparsity : float
        Final fraction of zero weights in every kernel, in [0, 1).
    x, y : arrays
        Fine-tuning data.
    epochs, batch_size, frequency : int
        Fine-tuning length, batch size, and steps between mask updates.
    initial_sparsity : float, default 0
        Sparsity at step 0, in [0, target_sparsity].
    end_fraction : float, default 0.6
        Fraction of the steps over which sparsity ramps up; the rest fine-tunes at
        the final sparsity, in (0, 1].
    skip : sequence of str, default ()
        Names of layers left dense. Small layers that every prediction flows through
        (the first convolution, the output layer) are the most sensitive to pruning
        and hold few weights: skipping them costs little size.

    Returns
    -------
    tf_keras model
        Compiled, stripped, with the pruned weights.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data, sparsity
    >>> data = digits_data()
    >>> base = build_cnn()
    >>> x, y = data.x_train[:256], data.y_train[:256]
    >>> pruned = prune_model(base, 0.8, x, y, epochs=1)
    >>> round(sparsity(pruned), 2), sparsity(base)
    (0.8, 0.0)
    """
    target_sparsity = check_sparsity(target_sparsity)
    initial_sparsity = check_sparsity(initial_sparsity)
    if initial_sparsity > target_sparsity:
        raise ValueError(
            f"initial_sparsity must be <= target_sparsity={target_sparsity}; "
            f"got {initial_sparsity}"
        )
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    frequency = check_int(frequency, "frequency", minimum=1)
    end_fraction = check_fraction(end_fraction, "end_fraction", include_high=True)
    x, y = as_xy(x, y)
    tfmot = import_tfmot()
    sparsity_api = tfmot.sparsity.keras
    steps = int(np.ceil(x.shape[0] / batch_size)) * epochs
    end_step = max(1, int(steps * end_fraction))
    schedule = sparsity_api.PolynomialDecay(
        initial_sparsity=initial_sparsity,
        final_sparsity=target_sparsity,
        begin_step=0,
        end_step=end_step,
        frequency=min(frequency, end_step),
    )
    check_skip(model, skip)
    keras = import_keras()

    def wrap(layer: Any) -> Any:
        prunable = isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
        if prunable and layer.name not in skip:
            return sparsity_api.prune_low_magnitude(layer, pruning_schedule=schedule)
        return layer

    base = clone_model(model, compile=False)
    wrapped = keras.models.clone_model(base, clone_function=wrap)
    compile_classifier(wrapped)
    wrapped.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[sparsity_api.UpdatePruningStep()],
    )
    return compile_classifier(sparsity_api.strip_pruning(wrapped))


def quantize_aware(
    model: Any,
    x: Any,
    y: Any,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    preserve_sparsity: bool = False,
    learning_rate: float = 1e-4,
) -> Any:
    """Quantization-aware training (QAT) of a fresh clone of ``model``.

    Taught in notebook 08.

    ``quantize_model`` inserts fake-quantization (quantize then dequantize in float)
    so training sees the int8 rounding. With ``preserve_sparsity=True`` the model is
    annotated and quantized with ``Default8BitPrunePreserveQuantizeScheme``, which
    keeps the zeros of a pruned model (plain QAT lets them drift away from 0).

    Parameters
    ----------
    model : tf_keras model
        Trained model; left unchanged.
    x, y : array-like
        Fine-tuning samples (finite) and their integer class labels.
    epochs, batch_size : int, default 1, 32
        Fine-tuning length and batch size (>= 1).
    preserve_sparsity : bool, default False
        Keep the zeros of a pruned ``model`` (pruning-preserving QAT).
    learning_rate : float, default 1e-4
        Adam's learning rate, > 0: small, the model is already trained.

    Returns
    -------
    tf_keras model
        The QAT model (its first layer is ``quantize_layer``), compiled; convert it
        with :func:`~modelmaint.compress.to_tflite` for true int8.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data = digits_data()
    >>> qat = quantize_aware(build_cnn(), data.x_train[:64], data.y_train[:64])
    >>> qat.layers[0].name
    'quantize_layer'
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_positive(learning_rate, "learning_rate")
    preserve_sparsity = check_bool(preserve_sparsity, "preserve_sparsity")
    x, y = as_xy(x, y)
    tfmot = import_tfmot()
    quant = tfmot.quantization.keras
    copy = clone_model(model, compile=False)
    if preserve_sparsity:
        scheme = tfmot.experimental.combine.Default8BitPrunePreserveQuantizeScheme()
        qat = quant.quantize_apply(quant.quantize_annotate_model(copy), scheme)
    else:
        qat = quant.quantize_model(copy)
    compile_classifier(qat, learning_rate)
    qat.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return qat


def cluster_model(
    model: Any,
    n_clusters: int,
    x: Any,
    y: Any,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    learning_rate: float = 1e-4,
) -> Any:
    """Weight clustering (parameter sharing): each kernel keeps ``n_clusters`` values.

    Taught in notebook 08.

    A fresh clone is wrapped by ``cluster_weights`` (k-means++ centroids), fine-tuned
    (the centroids train), then ``strip_clustering`` leaves plain layers whose
    kernels hold at most ``n_clusters`` distinct values.

    Parameters
    ----------
    model : tf_keras model
        Trained model; left unchanged.
    n_clusters : int
        Distinct values per kernel (>= 2).
    x, y : array-like
        Fine-tuning samples (finite) and their integer class labels.
    epochs, batch_size : int, default 1, 32
        Fine-tuning length and batch size (>= 1).
    learning_rate : float, default 1e-4
        Adam's learning rate, > 0.

    Returns
    -------
    tf_keras model
        Compiled, stripped of the clustering wrappers.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, count_unique_weights, digits_data
    >>> data = digits_data()
    >>> clustered = cluster_model(build_cnn(), 8, data.x_train[:64], data.y_train[:64])
    >>> max(count_unique_weights(clustered).values()) <= 8
    True
    """
    n_clusters = check_int(n_clusters, "n_clusters", minimum=2)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_positive(learning_rate, "learning_rate")
    x, y = as_xy(x, y)
    tfmot = import_tfmot()
    clustering = tfmot.clustering.keras
    wrapped = clustering.cluster_weights(
        clone_model(model, compile=False),
        number_of_clusters=n_clusters,
        cluster_centroids_init=clustering.CentroidInitialization.KMEANS_PLUS_PLUS,
    )
    compile_classifier(wrapped, learning_rate)
    wrapped.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return compile_classifier(clustering.strip_clustering(wrapped))
