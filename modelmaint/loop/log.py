"""What the monitors knew, day by day: :class:`MonitorLog`.

Part of :mod:`modelmaint.loop` (notebook 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modelmaint._validation import InputTypeError, as_names, check_int, check_one_of
from modelmaint.loop._stream import WATCHES, check_stream

__all__ = ["KINDS", "MonitorLog"]

KINDS = ("performance", "drift", "quality")


@dataclass(frozen=True)
class MonitorLog:
    """What the monitor knew on each day of the stream.

    ``daily`` has one row per monitored day: ``day``; ``labelled_day`` (the decision
    day whose labels arrived that day, or -1 before any did); the performance chart's
    ``statistic``, ``ewma``, ``lower`` and ``upper`` for it (NaN before any label;
    ``error_rate`` too); the three alarms ``performance``, ``drift`` and ``quality``
    (bool) with ``drifted`` and ``broken`` naming the features behind the last two
    (comma-separated, ``""`` if none). ``watch`` says what the performance chart
    watched (``"calibration"`` or ``"error"``).

    Parameters
    ----------
    daily : pandas.DataFrame
        One row per monitored day (columns above; at least ``day``, whole day
        numbers, and the three alarms, booleans).
    watch : {"calibration", "error"}, default "calibration"
        What the performance chart watched.

    Examples
    --------
    >>> log = MonitorLog(pd.DataFrame({"day": [5, 6], "drift": [True, False],
    ...     "performance": [False, True], "quality": [False, False]}))
    >>> log.alarm_days().tolist()
    [5, 6]
    """

    daily: pd.DataFrame
    watch: str = "calibration"

    def __post_init__(self) -> None:
        check_one_of(self.watch, "watch", WATCHES)
        check_stream(self.daily, ["day", *KINDS], "daily")
        for kind in KINDS:
            if not pd.api.types.is_bool_dtype(self.daily[kind]):
                raise InputTypeError(
                    f"daily[{kind!r}] must hold booleans (the {kind} alarm); "
                    f"got dtype {self.daily[kind].dtype}"
                )

    def alarm_days(self, kinds: Sequence[str] = KINDS) -> np.ndarray:
        """Days on which any alarm of ``kinds`` fired, ascending.

        Parameters
        ----------
        kinds : sequence of str
            A non-empty subset of ``("performance", "drift", "quality")``.

        Returns
        -------
        numpy.ndarray of int

        Examples
        --------
        >>> log = MonitorLog(pd.DataFrame({"day": [5, 6], "drift": [True, False],
        ...     "performance": [False, True], "quality": [False, False]}))
        >>> log.alarm_days(["performance"]).tolist(), log.alarm_days().tolist()
        ([6], [5, 6])
        """
        kinds = as_names(kinds, "kinds", allow_empty=True)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise ValueError(
                f"kinds must be a non-empty subset of {KINDS}; got {kinds}"
            )
        fired = self.daily[kinds].any(axis=1).to_numpy()
        return self.daily["day"].to_numpy()[fired]

    def began(self, start: int, end: int) -> dict[str, tuple[int, int]]:
        """Alarms that *began* in days ``[start, end)``: kind -> (day, day - start).

        An alarm begins on a day it is on and was off the day before; one that was
        already ringing when ``start`` came is not reported: it cannot announce a
        new incident.

        Parameters
        ----------
        start, end : int
            The window of days, ``end`` excluded.

        Returns
        -------
        dict
            ``{kind: (first day it began, days after start)}``.

        Examples
        --------
        >>> log = MonitorLog(pd.DataFrame({"day": [5, 6, 7], "drift": [True] * 3,
        ...     "performance": [False, False, True], "quality": [False] * 3}))
        >>> log.began(6, 8)
        {'performance': (7, 1)}
        """
        start, end = check_int(start, "start"), check_int(end, "end")
        daily = self.daily.set_index("day")
        found = {}
        for kind in KINDS:
            on = daily[kind].astype(bool)
            began = on & ~on.shift(1, fill_value=False)
            days = [int(d) for d in began[began].index if start <= d < end]
            if days:
                found[kind] = (days[0], days[0] - start)
        return found

    def first_alarm(self, kind: str, *, after: int = -1) -> int | None:
        """First day > ``after`` on which the ``kind`` alarm fired, or None.

        Parameters
        ----------
        kind : str
            ``"performance"``, ``"drift"`` or ``"quality"``.
        after : int, default -1
            Only days after this one count.

        Returns
        -------
        int or None

        Examples
        --------
        >>> log = MonitorLog(pd.DataFrame({"day": [5, 6], "drift": [True, True],
        ...     "performance": [False, False], "quality": [False, False]}))
        >>> log.first_alarm("drift", after=5), log.first_alarm("quality")
        (6, None)
        """
        days = self.alarm_days([check_one_of(kind, "kind", KINDS)])
        days = days[days > check_int(after, "after")]
        return int(days[0]) if days.size else None
