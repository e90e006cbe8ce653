"""A river model behind scikit-learn's incremental interface.

Part of :mod:`modelmaint.online` (notebook 05, seed 000 §3.3's online learners).
river learns one example at a time (``learn_one``) from dicts; the course's
:func:`~modelmaint.online.prequential` and :func:`~modelmaint.online.replay_policy`
speak scikit-learn (``partial_fit``, ``predict``, ``predict_proba`` on arrays). This
adapter translates, row by row, so one evaluation scores both kinds of learner.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, as_names, check_bool, show
from modelmaint.online._stream import check_labels, check_rows, unknown_labels

__all__ = ["RiverClassifier"]

_PARAMS = ("model", "feature_names")


def _check_model(model: Any) -> None:
    if not hasattr(model, "learn_one") or not hasattr(model, "predict_proba_one"):
        raise InputTypeError(
            "model must be a river classifier (learn_one, predict_proba_one); "
            f"got {type(model).__name__}"
        )


def _check_feature_names(feature_names: Any) -> None:
    if feature_names is None:
        return
    names = as_names(feature_names, "feature_names")
    if len(set(names)) != len(names):
        raise ValueError(f"feature_names must be distinct; got {show(names)}")


class RiverClassifier:
    """Wrap a river classifier (e.g. ``river.tree.HoeffdingTreeClassifier()``).

    Parameters
    ----------
    model : river classifier
        Anything with ``learn_one(x, y)`` and ``predict_proba_one(x)``.
    feature_names : sequence of str, optional
        Keys of the dicts river sees for an array (distinct, one per column);
        default ``x0, x1, ...``. A DataFrame's columns are used as they are, its
        string columns staying strings (river trees split on them as categories).

    Notes
    -----
    ``get_params``/``set_params`` make it clonable by :func:`sklearn.base.clone`,
    which deep-copies the river model: the model passed in is never trained.

    Examples
    --------
    >>> from river import linear_model
    >>> clf = RiverClassifier(linear_model.LogisticRegression())
    >>> X = np.array([[0.0], [1.0], [0.1], [0.9]] * 20)
    >>> y = np.array([0, 1, 0, 1] * 20)
    >>> clf.partial_fit(X, y, classes=[0, 1]).predict(np.array([[0.0], [1.0]])).tolist()
    [0, 1]
    """

    def __init__(self, model: Any, feature_names: Any = None) -> None:
        _check_model(model)
        _check_feature_names(feature_names)
        self.model = model
        self.feature_names = feature_names

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters for :func:`sklearn.base.clone`.

        Parameters
        ----------
        deep : bool, default True
            Deep-copy the river model (a clone must not share it).

        Returns
        -------
        dict
            ``{"model": ..., "feature_names": ...}``.

        Examples
        --------
        >>> from river import tree
        >>> wrapped = RiverClassifier(tree.HoeffdingTreeClassifier())
        >>> wrapped.get_params()["model"] is wrapped.model
        False
        """
        model = copy.deepcopy(self.model) if check_bool(deep, "deep") else self.model
        return {"model": model, "feature_names": self.feature_names}

    def set_params(self, **params: Any) -> RiverClassifier:
        """Set parameters (scikit-learn's protocol).

        Parameters
        ----------
        **params
            ``model`` and/or ``feature_names``.

        Returns
        -------
        RiverClassifier
            ``self``.

        Examples
        --------
        >>> from river import tree
        >>> RiverClassifier(tree.HoeffdingTreeClassifier()).set_params(
        ...     feature_names=["a"]).feature_names
        ['a']
        """
        unknown = sorted(set(params) - set(_PARAMS))
        if unknown:
            raise ValueError(
                f"{unknown[0]} is not a parameter of RiverClassifier; valid "
                f"parameters are {list(_PARAMS)}"
            )
        if "model" in params:
            _check_model(params["model"])
        if "feature_names" in params:
            _check_feature_names(params["feature_names"])
        for key, value in params.items():
            setattr(self, key, value)
        return self

    predicts_from_proba = True  # prequential asks predict_proba once, not twice

    def _check_X(self, X: Any) -> None:
        """A DataFrame, or a 2-D array of finite numbers with one column per name."""
        check_rows(X, "X")
        if hasattr(X, "columns") or self.feature_names is None:
            return
        n_columns, n_names = np.shape(X)[1], len(self.feature_names)
        if n_columns != n_names:
            raise ValueError(
                f"X must have one column per feature_names ({n_names}); got {n_columns}"
            )

    def _fitted_classes(self) -> np.ndarray:
        if not hasattr(self, "classes_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(
                "This RiverClassifier has learned nothing yet: call "
                "partial_fit(X, y, classes=...) first"
            )
        return self.classes_

    def _dicts(self, X: Any) -> list[dict[str, Any]]:
        if hasattr(X, "columns"):  # strings stay strings: river's nominal features
            return [{str(k): v for k, v in row.items()} for row in X.to_dict("records")]
        else:
            values = np.asarray(X, dtype=float)
            names = (
                list(self.feature_names)
                if self.feature_names is not None
                else [f"x{j}" for j in range(values.shape[1])]
            )
        return [dict(zip(names, row, strict=True)) for row in values.tolist()]

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> RiverClassifier:
        """Learn the rows one at a time, in order.

        Parameters
        ----------
        X : array-like or DataFrame, shape (n, d)
            The rows (an array: finite numbers).
        y : array-like, shape (n,)
            Their labels, each one of ``classes``.
        classes : array-like, optional
            Every class (needed on the first call).

        Returns
        -------
        RiverClassifier
            ``self``, having learned the rows.

        Examples
        --------
        >>> from river import tree
        >>> clf = RiverClassifier(tree.HoeffdingTreeClassifier())
        >>> clf.partial_fit(np.zeros((2, 1)), [0, 1], classes=[0, 1]).classes_.tolist()
        [0, 1]
        """
        self._check_X(X)
        labels = check_labels(y, "y")
        if labels.size != len(X):
            raise ValueError(
                f"y must have the same length as X ({len(X)}); got {labels.size}"
            )
        if classes is not None:
            classes = check_labels(classes, "classes")
            if np.unique(classes).size != classes.size:
                raise ValueError(f"classes must be distinct; got {classes.tolist()}")
        elif not hasattr(self, "classes_"):
            raise ValueError("classes must be given on the first call to partial_fit")
        unknown = unknown_labels(labels, self.classes_ if classes is None else classes)
        if unknown:
            raise ValueError(f"y holds classes not in classes: {unknown}")
        if classes is not None:
            self.classes_ = np.asarray(classes)
        for x, target in zip(self._dicts(X), np.asarray(y).tolist(), strict=True):
            self.model.learn_one(x, target)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like or DataFrame, shape (n, d)
            The rows to score.

        Returns
        -------
        numpy.ndarray, shape (n, n_classes)
            Rows sum to 1; uniform before anything was learned.

        Examples
        --------
        >>> from river import tree
        >>> clf = RiverClassifier(tree.HoeffdingTreeClassifier())
        >>> clf.partial_fit(np.zeros((1, 1)), [0], classes=[0, 1])  # doctest: +ELLIPSIS
        <...RiverClassifier object at ...>
        >>> clf.predict_proba(np.zeros((1, 1))).tolist()
        [[1.0, 0.0]]
        """
        classes = self._fitted_classes().tolist()
        self._check_X(X)
        out = np.zeros((len(X), len(classes)))
        for i, x in enumerate(self._dicts(X)):
            for label, p in self.model.predict_proba_one(x).items():
                if label in classes:
                    out[i, classes.index(label)] = p
        totals = out.sum(axis=1, keepdims=True)
        empty = totals[:, 0] == 0  # river answers {} before it has seen anything
        out[empty] = 1.0 / len(classes)
        return out / np.where(empty[:, None], 1.0, totals)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row (ties: the first class).

        Parameters
        ----------
        X : array-like or DataFrame, shape (n, d)
            The rows to classify.

        Returns
        -------
        numpy.ndarray, shape (n,)
            One class per row.

        Examples
        --------
        >>> from river import linear_model
        >>> clf = RiverClassifier(linear_model.LogisticRegression())
        >>> X, y = np.array([[0.0], [1.0]] * 30), np.array([0, 1] * 30)
        >>> clf.partial_fit(X, y, classes=[0, 1]).predict(np.array([[1.0]])).tolist()
        [1]
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
