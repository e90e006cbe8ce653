"""The course outline, read from the README's table (the one source of course order).

``make student`` (the teacher's README) and ``make site`` (the index page) both read it,
so the course order and the topics are written once, in README.md. The reader itself
lives in :mod:`modelmaint.course` (notebooks 00 and A1 use it too): this module only
keeps the tools' names for it.
"""

from __future__ import annotations

from modelmaint.course import OutlineEntry as Entry
from modelmaint.course import learning_goals, read_outline

__all__ = ["Entry", "learning_goals", "read_outline"]
