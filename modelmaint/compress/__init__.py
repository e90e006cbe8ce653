"""Model compression: pruning, quantization, weight clustering and TFLite conversion.

Taught in notebooks 07 (pruning, unstructured and structured; seed 001 §3.3, §4.3,
003 §3.1.1.3, 004 §4.4), 08 (quantization and weight sharing; seed 000 §3.4, §4.4,
001 §3.3, §4.3, 004 §3.4), 09 (TFLite deployment) and 10 (knowledge distillation,
seed 000 §3.4, 001 §3.3).

The from-scratch parts (threshold pruning, affine quantization, gzip size, sparsity
of weight arrays) are plain NumPy. TensorFlow, ``tf_keras`` and the TensorFlow Model
Optimization Toolkit are imported inside the functions that need them, so
``import modelmaint.compress`` is instant.

Every public name is importable from here (``compress.build_cnn``); the code lives
in one submodule per job:

* :mod:`~modelmaint.compress.models`: the digits data, the small CNN, cloning,
  Keras accuracy;
* :mod:`~modelmaint.compress.measure`: sparsity of weight arrays or of a model, per
  layer, and the number of distinct weights;
* :mod:`~modelmaint.compress.pruning`: threshold/magnitude/random pruning of weight
  arrays and of a model's kernels, without fine-tuning;
* :mod:`~modelmaint.compress.structured`: structured pruning — whole units and
  filters ranked by norm, a narrower model;
* :mod:`~modelmaint.compress.quantization`: affine quantization by hand;
* :mod:`~modelmaint.compress.finetune`: compression while fine-tuning, with tfmot —
  pruning (``prune_model``), quantization-aware training, weight clustering (also
  importable from ``pruning`` and ``quantization``, their former homes);
* :mod:`~modelmaint.compress.tflite`: conversion, LiteRT inference, gzip size;
* :mod:`~modelmaint.compress.latency`: fair timing — ``invoke()`` alone against a
  compiled ``tf.function``, same threads, over batch sizes;
* :mod:`~modelmaint.compress.distill`: knowledge distillation, teacher → student
  (notebook 10; ``from modelmaint.compress import distill``): the training loop,
  re-exporting the NumPy loss (:mod:`~modelmaint.compress.soft_targets`) and the
  student model and logits (:mod:`~modelmaint.compress.student`);
* ``_common``: what the submodules share — the lazy TensorFlow imports, the one
  x/y check, Keras and LiteRT helpers. Siblings import private helpers only from
  there.
"""

from __future__ import annotations

from modelmaint.compress.finetune import cluster_model, prune_model, quantize_aware
from modelmaint.compress.latency import (
    latency_sweep,
    set_tf_threads,
    time_tf_function,
    time_tflite_invoke,
)
from modelmaint.compress.measure import (
    count_unique_weights,
    layer_sparsity,
    sparsity,
)
from modelmaint.compress.models import (
    DigitsData,
    build_cnn,
    clone_model,
    digits_data,
    keras_accuracy,
)
from modelmaint.compress.pruning import (
    magnitude_prune,
    magnitude_threshold,
    prune_weights,
    random_prune,
    threshold_prune,
)
from modelmaint.compress.quantization import (
    QuantParams,
    dequantize_affine,
    quant_params,
    quantize_affine,
)
from modelmaint.compress.structured import StructuredPruning, shrink_model, unit_norms
from modelmaint.compress.tflite import (
    TFLITE_MODES,
    gzipped_size,
    make_tflite_predictor,
    tflite_accuracy,
    tflite_predict,
    to_tflite,
)

__all__ = [
    "TFLITE_MODES",
    "DigitsData",
    "QuantParams",
    "StructuredPruning",
    "build_cnn",
    "clone_model",
    "cluster_model",
    "count_unique_weights",
    "dequantize_affine",
    "digits_data",
    "gzipped_size",
    "keras_accuracy",
    "latency_sweep",
    "layer_sparsity",
    "magnitude_prune",
    "magnitude_threshold",
    "make_tflite_predictor",
    "prune_model",
    "prune_weights",
    "quant_params",
    "quantize_affine",
    "quantize_aware",
    "random_prune",
    "set_tf_threads",
    "shrink_model",
    "sparsity",
    "threshold_prune",
    "tflite_accuracy",
    "tflite_predict",
    "unit_norms",
    "time_tf_function",
    "time_tflite_invoke",
    "to_tflite",
]
