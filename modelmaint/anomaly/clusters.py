"""Hierarchical clustering as an outlier detector: how far must you cut the tree?

Taught in notebook ``01_anomaly_detection``, section 5.1 (seed 000 §3.1 names
clustering among the methods for anomaly detection). Agglomerative clustering merges
the two closest groups again and again; cutting the dendrogram at a height ``h``
gives flat clusters, and a point that is still in a *small* cluster there is far
from every group of ordinary points. The score below turns "which cut height?" into
a ranking, as ROC-AUC needs: cutting at ``h`` flags exactly the points whose score
exceeds ``h``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import (
    MAX_ELEMENTS,
    as_2d,
    check_int,
    check_one_of,
    safe_scaled,
    show,
)

__all__ = ["MONOTONE_LINKAGES", "hierarchical_outlier_scores"]

#: Most rows: the linkage stores n(n-1)/2 pairwise distances.
MAX_ROWS = int((2 * MAX_ELEMENTS) ** 0.5)

#: Linkage methods whose merge heights never decrease up the tree (so "the lowest
#: ancestor with enough points" is well defined); centroid and median can invert.
MONOTONE_LINKAGES = ("single", "complete", "average", "weighted", "ward")


def hierarchical_outlier_scores(
    X: Any, min_cluster_size: int = 10, method: str = "average"
) -> np.ndarray:
    """Lowest dendrogram cut height at which each point is in a big enough cluster.

    A point's score is the merge height of its lowest ancestor in the dendrogram
    with at least ``min_cluster_size`` points. Cutting the tree at height ``h``
    (``scipy.cluster.hierarchy.fcluster(Z, h, criterion="distance")``) leaves a
    point in a cluster smaller than ``min_cluster_size`` exactly when its score is
    above ``h``: a high score means "far from every cluster".

    Parameters
    ----------
    X : array-like of float, shape (n_samples, n_features)
        At least ``min_cluster_size`` finite rows.
    min_cluster_size : int, default 10
        Clusters with fewer points count as outliers; at least 2.
    method : {"average", "single", "complete", "weighted", "ward"}
        Linkage of :func:`scipy.cluster.hierarchy.linkage` (Euclidean distance).

    Returns
    -------
    numpy.ndarray of float, shape (n_samples,)

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, holds NaN/inf or has more than ``MAX_ROWS`` (10,000)
        rows, if ``min_cluster_size`` < 2 or exceeds the number of rows, or if
        ``method`` is not a monotone linkage.

    Notes
    -----
    Taught in notebook 01, section 5.1, next to k-means with several clusters.

    Examples
    --------
    Three points close together and one far away (single linkage, groups of 3):

    >>> X = [[0.0], [0.1], [0.3], [5.0]]
    >>> hierarchical_outlier_scores(X, min_cluster_size=3, method="single")
    array([0.2, 0.2, 0.2, 4.7])
    """
    arr = as_2d(X, "X")
    n = arr.shape[0]
    if n > MAX_ROWS:
        raise ValueError(
            f"X must have at most {MAX_ROWS:,} rows (the linkage stores n(n-1)/2 "
            f"distances); got {n:,}"
        )
    min_cluster_size = check_int(min_cluster_size, "min_cluster_size", minimum=2)
    if min_cluster_size > n:
        raise ValueError(
            f"min_cluster_size must be <= the number of rows of X ({n}); "
            f"got {show(min_cluster_size)}"
        )
    method = check_one_of(method, "method", MONOTONE_LINKAGES)
    from scipy.cluster.hierarchy import linkage

    scaled, e = safe_scaled(arr)  # heights scale with X: no overflow near 1e308
    Z = linkage(scaled, method=method)
    children = Z[:, :2].astype(int)
    heights, sizes = Z[:, 2], Z[:, 3]
    # Walk down from the root: a node's answer is its own height if it is big
    # enough, otherwise its parent's answer (heights only grow going up).
    best = np.empty(2 * n - 1)
    best[-1] = heights[-1]
    for node in range(n - 2, -1, -1):  # merge ``node`` created cluster n + node
        parent_best = best[n + node]
        own = heights[node] if sizes[node] >= min_cluster_size else parent_best
        best[n + node] = min(own, parent_best)
        best[children[node]] = best[n + node]
    return np.ldexp(best[:n], e)
