"""The monitoring figures: a control chart, a histogram of scores, flagged points.

Taught in notebooks 01 (anomaly scores, flagged points) and 02 (control charts).
Every ``plot_*`` takes ``ax=None`` and returns the Axes; matplotlib and NumPy are
imported inside the functions.
"""

from __future__ import annotations

from typing import Any

from modelmaint._validation import (
    MAX_BINS,
    as_1d,
    as_2d,
    check_int,
    check_length,
    check_real,
    check_str,
)
from modelmaint.plotting._checks import as_flags, check_chart, check_names
from modelmaint.plotting.style import get_ax

__all__ = ["plot_control_chart", "plot_flagged_points", "plot_score_histogram"]


def plot_control_chart(
    result: Any,
    ax: Any = None,
    title: str = "Control chart",
    xlabel: str = "observation (index)",
    ylabel: str = "statistic",
    x: Any = None,
    label: str | None = None,
) -> Any:
    """Draw a control chart: statistic, centre line, limits and signals.

    Works with any :class:`modelmaint.control.ChartResult`; for a CUSUM
    (:class:`~modelmaint.control.CusumResult`) it draws ``C+`` and ``-C-`` against
    ``±H``. Taught in notebook 02.

    Parameters
    ----------
    result : ChartResult
        The chart to draw.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title, xlabel, ylabel : str
        Labels of the plot.
    x : array-like, optional
        Positions of the points on the x axis, one per point (default 0, 1, ...).
    label : str, optional
        Legend name of the plotted series (default: ``ylabel``), so the legend says
        what is plotted ("daily accuracy", "EWMA of accuracy"), not "statistic". The
        legend sits outside the axes, where it cannot hide a point or look like one.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from modelmaint.control import individuals_chart
    >>> chart = individuals_chart([1.0, 2.0, 1.5, 9.0], reference=[1.0, 2.0, 1.5])
    >>> ax = plot_control_chart(chart, ylabel="accuracy")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['accuracy', 'centre line', 'control limits', 'signal']
    """
    import numpy as np

    check_chart(result)
    title = check_str(title, "title")
    xlabel, ylabel = check_str(xlabel, "xlabel"), check_str(ylabel, "ylabel")
    label = check_str(label, "label", allow_none=True)
    n = len(result.statistic)
    pos = np.arange(n) if x is None else as_1d(x, "x")
    check_length(pos, "x", n, "result.statistic")
    ax = get_ax(ax)
    signals = np.asarray(result.signals, dtype=int)
    if hasattr(result, "c_plus"):
        ax.plot(pos, result.c_plus, marker=".", lw=1, label="C+ (upward sum)")
        ax.plot(pos, -result.c_minus, marker=".", lw=1, label="-C- (downward sum)")
        marked = np.where(
            result.c_plus[signals] >= result.c_minus[signals],
            result.c_plus[signals],
            -result.c_minus[signals],
        )
    else:
        name = ylabel if label is None else label
        ax.plot(pos, result.statistic, marker=".", lw=1, label=name)
        marked = result.statistic[signals]
    ax.plot(pos, result.center, color="k", lw=1, label="centre line")
    ax.plot(pos, result.upper, color="tab:red", ls="--", lw=1, label="control limits")
    ax.plot(pos, result.lower, color="tab:red", ls="--", lw=1)
    if signals.size:
        ax.scatter(pos[signals], marked, color="tab:red", zorder=3, label="signal")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


def plot_score_histogram(
    scores: Any,
    threshold: float | None = None,
    labels: Any = None,
    ax: Any = None,
    bins: int = 40,
    title: str = "Anomaly scores",
    xlabel: str = "score",
    names: tuple[str, str] = ("normal", "anomaly (label 1)"),
) -> Any:
    """Histogram of anomaly scores, split by true label if given, with a threshold.

    Taught in notebook 01.

    Parameters
    ----------
    scores : array-like of float, 1-D
        One finite score per sample (higher = more anomalous, or |z|).
    threshold : float, optional
        Draws a vertical line at the decision threshold.
    labels : array-like of {0, 1}, optional
        1 for a known anomaly, one per score; draws the two groups separately.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    bins : int, default 40
        Number of histogram bins, 1 to 10,000.
    title, xlabel : str
        Labels of the plot.
    names : tuple of two str
        Legend names of the label-0 and label-1 groups.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> scores, labels = [0.1, 0.2, 0.3, 3.0], [0, 0, 0, 1]
    >>> ax = plot_score_histogram(scores, threshold=2.0, labels=labels)
    >>> ax.get_xlabel()
    'score'
    """
    import numpy as np

    values = as_1d(scores, "scores")
    threshold = None if threshold is None else check_real(threshold, "threshold")
    flags = (
        None if labels is None else as_flags(labels, "labels", values.size, "scores")
    )
    bins = check_int(bins, "bins", minimum=1, maximum=MAX_BINS)
    title, xlabel = check_str(title, "title"), check_str(xlabel, "xlabel")
    names = check_names(names)
    ax = get_ax(ax)
    edges = np.histogram_bin_edges(values, bins=bins)
    if flags is None:
        ax.hist(values, bins=edges, alpha=0.7, label="all samples")
    else:
        ax.hist(values[~flags], bins=edges, alpha=0.6, label=names[0])
        ax.hist(values[flags], bins=edges, alpha=0.6, label=names[1])
    if threshold is not None:
        ax.axvline(
            threshold, color="tab:red", ls="--", label=f"threshold {threshold:g}"
        )
    ax.set(title=title, xlabel=xlabel, ylabel="count")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_flagged_points(
    X: Any,
    labels: Any,
    flagged: Any,
    ax: Any = None,
    title: str = "Flagged points vs the true anomalies",
    flag_name: str = "flagged",
    names: tuple[str, str] = ("normal (label 0)", "anomaly (label 1)"),
    xlabel: str = "feature 1",
    ylabel: str = "feature 2",
) -> Any:
    """Scatter 2-D points by true label and ring the ones a detector flagged.

    Taught in notebook 01 (DBSCAN noise, hierarchical clustering). The legend sits
    outside the axes, where it cannot hide a point.

    Parameters
    ----------
    X : array-like of float, shape (n_samples, 2)
        The points (finite).
    labels : array-like of {0, 1}
        1 for a known anomaly, one per point.
    flagged : array-like of bool
        True where the detector flags the point (drawn as a black ring), one per
        point.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (7.5 x 4.5 in) when None.
    title, flag_name, xlabel, ylabel : str
        Labels of the plot; ``flag_name`` names the rings in the legend.
    names : tuple of two str
        Legend names of the label-0 and label-1 groups.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.1, 0.0], [3.0, 3.0]]
    >>> ax = plot_flagged_points(X, [0, 0, 1], [False, False, True], flag_name="noise")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['normal (label 0)', 'anomaly (label 1)', 'noise']
    """
    points = as_2d(X, "X")
    if points.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (x, y); got shape {points.shape}")
    anomaly = as_flags(labels, "labels", len(points), "X")
    rings = as_flags(flagged, "flagged", len(points), "X")
    title, flag_name = check_str(title, "title"), check_str(flag_name, "flag_name")
    xlabel, ylabel = check_str(xlabel, "xlabel"), check_str(ylabel, "ylabel")
    names = check_names(names)
    ax = get_ax(ax, figsize=(7.5, 4.5))
    ax.scatter(*points[~anomaly].T, s=10, c="tab:blue", label=names[0])
    ax.scatter(*points[anomaly].T, s=25, c="tab:orange", marker="^", label=names[1])
    ax.scatter(
        *points[rings].T, s=80, facecolors="none", edgecolors="k", label=flag_name
    )
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax
