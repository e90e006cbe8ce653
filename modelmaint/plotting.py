"""Plots used across the course. Every ``plot_*`` takes ``ax=None``, returns the Axes.

matplotlib is imported inside the functions, so importing :mod:`modelmaint` stays fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["use_course_style", "get_ax", "plot_control_chart", "plot_score_histogram"]


def use_course_style() -> None:
    """Readable figures (750 px wide) that keep every notebook under its 1 MB budget.

    Examples
    --------
    >>> use_course_style()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["figure.dpi"]
    100.0
    """
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )


def get_ax(ax: Any = None, figsize: tuple[float, float] | None = None) -> Any:
    """Return ``ax``, or a new Axes on a new figure when ``ax`` is None.

    Examples
    --------
    >>> ax = get_ax()
    >>> type(ax).__name__
    'Axes'
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def plot_control_chart(
    result: Any,
    ax: Any = None,
    title: str = "Control chart",
    xlabel: str = "observation (index)",
    ylabel: str = "statistic",
    x: Any = None,
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
        Positions of the points on the x axis (default 0, 1, ...).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from modelmaint.control import individuals_chart
    >>> chart = individuals_chart([1.0, 2.0, 1.5, 9.0], reference=[1.0, 2.0, 1.5])
    >>> ax = plot_control_chart(chart)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['statistic', 'centre line', 'control limits', 'signal']
    """
    import numpy as np

    ax = get_ax(ax)
    n = len(result.statistic)
    pos = np.arange(n) if x is None else np.asarray(x)
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
        ax.plot(pos, result.statistic, marker=".", lw=1, label="statistic")
        marked = result.statistic[signals]
    ax.plot(pos, result.center, color="k", lw=1, label="centre line")
    ax.plot(pos, result.upper, color="tab:red", ls="--", lw=1, label="control limits")
    ax.plot(pos, result.lower, color="tab:red", ls="--", lw=1)
    if signals.size:
        ax.scatter(pos[signals], marked, color="tab:red", zorder=3, label="signal")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="best", fontsize="small")
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
    scores : array-like of float
        One score per sample (higher = more anomalous, or |z|).
    threshold : float, optional
        Draws a vertical line at the decision threshold.
    labels : array-like of {0, 1}, optional
        1 for a known anomaly; draws the two groups separately.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    bins : int, default 40
        Number of histogram bins.
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

    ax = get_ax(ax)
    values = np.asarray(scores, dtype=float)
    edges = np.histogram_bin_edges(values, bins=bins)
    if labels is None:
        ax.hist(values, bins=edges, alpha=0.7, label="all samples")
    else:
        flags = np.asarray(labels).astype(bool)
        ax.hist(values[~flags], bins=edges, alpha=0.6, label=names[0])
        ax.hist(values[flags], bins=edges, alpha=0.6, label=names[1])
    if threshold is not None:
        ax.axvline(
            threshold, color="tab:red", ls="--", label=f"threshold {threshold:g}"
        )
    ax.set(title=title, xlabel=xlabel, ylabel="count")
    ax.legend(loc="best", fontsize="small")
    return ax
