"""Native libraries' start-up notices kept off a notebook's first screen.

TensorFlow's C++ runtime writes to the process's standard error before Python can
filter anything: on a machine without a GPU, importing it prints "All log messages
before absl::InitializeLog() is called are written to STDERR" and "Could not find cuda
drivers on your machine, GPU will not be used" (twice). Those lines say nothing a
learner can act on (the course runs on the CPU by design), and
``TF_CPP_MIN_LOG_LEVEL`` does not reach them. :func:`quiet_stderr` points the
process's file descriptor 2 at ``os.devnull`` for the length of a block - the import -
and back. Python's own warnings are unaffected (they go through ``sys.stderr``), and an
exception raised in the block propagates as usual.

Taught (and used) in every notebook that imports TensorFlow (03-10); notebook 00 says
what is silenced and why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quiet_stderr"]


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence what native code writes to file descriptor 2 inside the block.

    Yields
    ------
    None
        Inside the block, writes to file descriptor 2 go to ``os.devnull``.

    Examples
    --------
    >>> import os
    >>> with quiet_stderr():
    ...     _ = os.write(2, b"a C library's notice\\n")  # not shown
    >>> print("after the block, stderr is back")
    after the block, stderr is back
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        if sys.stderr is not None:
            sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
