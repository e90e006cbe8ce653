"""modelmaint.compress.distill: temperature softmax, the loss, a tiny distillation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelmaint.compress.distill import (
    build_student,
    distill,
    distillation_loss,
    model_logits,
    softmax_with_temperature,
    train_from_scratch,
)

# ------------------------------------------------------------------ NumPy part


def test_softmax_t1_is_the_softmax():
    z = np.array([[0.0, math.log(2.0)], [1.0, 2.0]])
    p = softmax_with_temperature(z)
    assert np.allclose(p[0], [1 / 3, 2 / 3])
    e = np.exp([1.0, 2.0])
    assert np.allclose(p[1], e / e.sum())


def test_softmax_temperature_divides_the_logits():
    # logits [0, ln 4] at T=2 act like [0, ln 2] at T=1
    assert np.allclose(
        softmax_with_temperature([0.0, math.log(4.0)], 2.0), [1 / 3, 2 / 3]
    )


def test_softmax_limits():
    z = np.array([3.0, -1.0, 0.5, 2.0])
    assert np.allclose(softmax_with_temperature(z, 1e8), 0.25)  # T -> inf: uniform
    assert np.allclose(softmax_with_temperature(z, 1e-3), [1, 0, 0, 0])  # T -> 0
    entropies = [
        -np.sum(p * np.log(p))
        for p in (softmax_with_temperature(z, t) for t in (0.5, 1, 2, 4, 8))
    ]
    assert np.all(np.diff(entropies) > 0)  # hotter = flatter


def test_softmax_is_shift_invariant_and_stable():
    z = np.array([[1.0, 2.0, 3.0]])
    assert np.allclose(
        softmax_with_temperature(z + 1000.0, 3.0), softmax_with_temperature(z, 3.0)
    )
    p = softmax_with_temperature([[-1e4, 0.0, 1e4]], 0.5)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)


@pytest.mark.parametrize("t", [0, -1.0, float("nan"), float("inf"), "4", True])
def test_softmax_bad_temperature(t):
    with pytest.raises(ValueError, match="temperature must"):
        softmax_with_temperature([1.0, 2.0], t)


@pytest.mark.parametrize(
    "logits, match",
    [
        ([1.0], "at least 2 classes"),
        (np.zeros((2, 2, 2)), "must be 1-D .* or 2-D"),
        ([1.0, float("nan")], "finite"),
        (["a", "b"], "numeric"),
    ],
)
def test_softmax_bad_logits(logits, match):
    with pytest.raises(ValueError, match=match):
        softmax_with_temperature(logits)


def test_distillation_loss_hand_values():
    teacher = [[0.0, 0.0]]  # p_t = [1/2, 1/2]
    student = [[0.0, math.log(3.0)]]  # p_s = [1/4, 3/4]
    kl = 0.5 * math.log(4 / 3)  # 1/2 ln(2) + 1/2 ln(2/3)
    assert distillation_loss(
        [1], teacher, student, temperature=1, alpha=0
    ) == pytest.approx(kl)
    # at T=2 the student [0, 2 ln 3] softens to [1/4, 3/4]: T^2 * the same KL
    student2 = [[0.0, 2 * math.log(3.0)]]
    assert distillation_loss(
        [1], teacher, student2, temperature=2, alpha=0
    ) == pytest.approx(4 * kl)
    # alpha=1: plain cross-entropy of the true class, -ln(3/4)
    assert distillation_loss([1], teacher, student, alpha=1) == pytest.approx(
        -math.log(0.75)
    )
    mixed = distillation_loss([1], teacher, student, temperature=1, alpha=0.25)
    assert mixed == pytest.approx(0.25 * -math.log(0.75) + 0.75 * kl)


def test_distillation_loss_bad_inputs():
    z = [[0.0, 1.0]]
    with pytest.raises(ValueError, match="alpha must be in \\[0, 1\\]"):
        distillation_loss([0], z, z, alpha=1.5)
    with pytest.raises(ValueError, match="temperature must be > 0"):
        distillation_loss([0], z, z, temperature=-2)
    with pytest.raises(
        ValueError, match="student_logits must have the teacher's shape"
    ):
        distillation_loss([0], z, [[0.0, 1.0, 2.0]])
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        distillation_loss([0.5], z, z)
    with pytest.raises(ValueError, match="y must be 1-D with 1 labels"):
        distillation_loss([0, 1], z, z)
    with pytest.raises(ValueError, match="y must be in \\[0, 1\\]"):
        distillation_loss([2], z, z)


# ------------------------------------------------------------------ Keras part


@pytest.fixture(scope="module")
def small():
    from modelmaint.compress import build_cnn, digits_data

    data = digits_data()
    x, y = data.x_train[:240], data.y_train[:240]
    teacher = build_cnn(filters=8, dense=32, seed=0)
    teacher.fit(x, y, epochs=15, batch_size=32, verbose=0)
    return x, y, teacher


def test_model_logits_match_the_probabilities(small):
    x, _, teacher = small
    z = model_logits(teacher, x[:20], batch_size=7)
    assert z.shape == (20, 10)
    p = teacher.predict(x[:20], verbose=0)
    assert np.allclose(softmax_with_temperature(z), p, atol=1e-5)


def test_model_logits_of_linear_and_unsupported_models():
    import tf_keras as keras

    linear = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    x = np.ones((4, 3), dtype=np.float32)
    assert np.allclose(model_logits(linear, x), linear.predict(x, verbose=0), atol=1e-6)
    relu = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, activation="relu")]
    )
    with pytest.raises(ValueError, match="model must end with a Dense layer"):
        model_logits(relu, x)
    with pytest.raises(ValueError, match="x must have at least 1 sample"):
        model_logits(linear, np.ones((0, 3)))


def test_recorded_loss_is_the_numpy_loss(small):
    """One full batch with a negligible step: the loop's loss = distillation_loss."""
    x, y, teacher = small
    student = build_student(seed=3)
    expected = distillation_loss(
        y, model_logits(teacher, x), model_logits(student, x), temperature=3, alpha=0.3
    )
    distill(
        teacher,
        student,
        x,
        y,
        temperature=3,
        alpha=0.3,
        epochs=1,
        batch_size=len(x),
        learning_rate=1e-12,
    )
    assert student.distill_losses_[0] == pytest.approx(expected, rel=1e-4)


def test_tiny_distillation_learns_from_the_teacher(small):
    x, y, teacher = small
    teacher_pred = np.argmax(teacher.predict(x, verbose=0), axis=1)
    student = build_student(seed=1)
    before = np.mean(np.argmax(student.predict(x, verbose=0), axis=1) == teacher_pred)
    out = distill(teacher, student, x, y, epochs=20, learning_rate=1e-2)
    assert out is student
    losses = student.distill_losses_
    assert len(losses) == 20 and losses[-1] < 0.5 * losses[0]
    after = np.mean(np.argmax(student.predict(x, verbose=0), axis=1) == teacher_pred)
    assert after > 0.8 > before


def test_alpha_zero_needs_no_labels(small):
    x, _, teacher = small
    student = distill(
        teacher,
        build_student(seed=1),
        x,
        None,
        alpha=0.0,
        epochs=20,
        learning_rate=1e-2,
    )
    agree = np.argmax(student.predict(x, verbose=0), 1) == np.argmax(
        teacher.predict(x, verbose=0), 1
    )
    assert agree.mean() > 0.8


def test_same_seed_same_student(small):
    x, y, teacher = small
    a = distill(teacher, build_student(seed=2), x, y, epochs=2, seed=5)
    b = distill(teacher, build_student(seed=2), x, y, epochs=2, seed=5)
    assert a.distill_losses_ == b.distill_losses_
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        assert np.array_equal(wa, wb)


def test_train_from_scratch_is_alpha_one(small):
    x, y, _ = small
    student = train_from_scratch(build_student(seed=0), x, y, epochs=3)
    assert len(student.distill_losses_) == 3
    assert student.distill_losses_[-1] < student.distill_losses_[0]


def test_build_student_shapes():
    mlp = build_student(hidden=16)
    assert mlp.count_params() == 64 * 16 + 16 + 16 * 10 + 10
    cnn = build_student(kind="cnn", hidden=4, n_classes=3)
    assert cnn.output_shape == (None, 3)
    assert np.allclose(cnn.predict(np.zeros((2, 8, 8, 1)), verbose=0).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kind": "rnn"}, "kind must be one of"),
        ({"hidden": 0}, "hidden must be an integer >= 1"),
        ({"n_classes": 1}, "n_classes must be an integer >= 2"),
        ({"input_shape": (8, 8)}, "input_shape must be"),
        ({"seed": -1}, "seed must be an integer >= 0"),
    ],
)
def test_build_student_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_student(**kwargs)


def test_distill_bad_inputs(small):
    x, y, teacher = small
    s = build_student()
    cases = [
        ({"temperature": 0}, "temperature must be > 0"),
        ({"alpha": -0.1}, "alpha must be in \\[0, 1\\]"),
        ({"alpha": 1.1}, "alpha must be in \\[0, 1\\]"),
        ({"epochs": 0}, "epochs must be an integer >= 1"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1"),
        ({"learning_rate": 0}, "learning_rate must be > 0"),
        ({"seed": 1.5}, "seed must be an integer"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            distill(teacher, s, x, y, **kwargs)
    with pytest.raises(ValueError, match="teacher must be a model when alpha < 1"):
        distill(None, s, x, y, alpha=0.5)
    with pytest.raises(ValueError, match="y must be given when alpha > 0"):
        distill(teacher, s, x, None, alpha=0.5)
    with pytest.raises(
        ValueError, match="teacher must predict the student's 3 classes"
    ):
        distill(teacher, build_student(n_classes=3), x, y % 3)
    with pytest.raises(ValueError, match="y must be 1-D with 240 labels"):
        distill(teacher, s, x, y[:10])
    with pytest.raises(ValueError, match="y must be in \\[0, 9\\]"):
        distill(teacher, s, x, y + 1)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        distill(teacher, s, np.full_like(x, np.nan), y)
