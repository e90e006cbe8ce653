"""The course's look: one figure style, a fresh Axes when none is given, fonts.

Used by every notebook (its set-up cell calls :func:`use_course_style`) and by every
``plot_*`` helper (:func:`get_ax`). matplotlib is imported inside the functions, so
importing :mod:`modelmaint` stays fast.
"""

from __future__ import annotations

from typing import Any

from modelmaint._validation import check_str
from modelmaint.plotting._checks import check_axes, check_figsize

__all__ = ["fonts_covering", "get_ax", "use_course_style"]


def use_course_style() -> None:
    """Readable figures (750 px wide) that keep every notebook under its 1 MB budget.

    Sets matplotlib's ``rcParams``: 7.5 x 3.6 in at 100 dpi, a light grid, no top
    and right spines, legends without a frame. Every notebook calls it in its set-up
    cell (CONTRIBUTING.md).

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

    Every ``plot_*`` helper of the course starts with it, so that it draws into the
    caller's Axes (a panel of a bigger figure) or into a figure of its own.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Returned as it is when given (anything else but None is refused).
    figsize : tuple of two float, optional
        Size in inches of the new figure, both > 0; default the course style's
        (7.5 x 3.6).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ax = get_ax()
    >>> type(ax).__name__
    'Axes'
    """
    figsize = check_figsize(figsize)
    if check_axes(ax) is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def fonts_covering(text: str) -> list[str]:
    """Names of the installed fonts that have a glyph for every character of ``text``.

    Matplotlib draws with DejaVu Sans by default, which has no Chinese, Japanese or
    Korean glyphs: such labels render as empty boxes, with a "Glyph ... missing from
    font(s) DejaVu Sans" warning at draw time. Pass a name from this list as a
    text's or legend's font family - or, when the list is empty, use labels the
    default font can draw. Taught in notebook 03 (seed 004 §4.3's Chinese labels).
    Matplotlib's "Last Resort" font is left out: it covers every character, with a
    placeholder box.

    Parameters
    ----------
    text : str
        The characters a label needs.

    Returns
    -------
    list of str
        Font family names, sorted.

    Examples
    --------
    >>> "DejaVu Sans" in fonts_covering("accuracy")
    True
    >>> "DejaVu Sans" in fonts_covering("真实值")
    False
    """
    text = check_str(text, "text")
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes = {ord(ch) for ch in text}
    names = set()
    for entry in font_manager.fontManager.ttflist:
        if entry.name in names or entry.name.startswith("Last Resort"):
            continue
        try:
            charmap = FT2Font(entry.fname).get_charmap()
        except (OSError, RuntimeError):  # unreadable or unsupported font file
            continue
        if codes <= charmap.keys():
            names.add(entry.name)
    return sorted(names)
