"""The notebooks' exercise checks: one success line, and no pass for a cleared answer.

Every exercise of the course has an answer cell (the course's solution, folded; in the
student edition ``# YOUR CODE HERE``) and a check cell that asserts on the names the
exercise asks for. A check cell wraps its asserts in :func:`check`::

    with mm.exercise.check(globals(), "alpha_half", exercise=1):
        assert alpha_half > 0, f"alpha_half must be a strength > 0; got {alpha_half}"

On entry, a name the learner has not defined yet raises a ``NameError`` that says what
to do (write the answer, run its cell). When every assert holds, one line says so and
the checked names are removed from the notebook's namespace: a learner who then clears
the answer and runs both cells again gets the ``NameError``, not a stale pass (the
kernel would otherwise still hold the old answer). A failed assert keeps the names, so
the learner can look at them, and its message is the sentence the learner reads.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from contextlib import AbstractContextManager
from typing import Any

from modelmaint._validation import InputTypeError

__all__ = ["check"]


def _check_args(namespace: Any, names: tuple[str, ...], exercise: Any) -> None:
    if not isinstance(namespace, MutableMapping):
        raise InputTypeError(
            "namespace must be the notebook's globals() (a mutable mapping); "
            f"got {type(namespace).__name__}"
        )
    if not names:
        raise ValueError("names must name at least one variable the check reads")
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"names must be Python identifiers; got {name!r}")
    if isinstance(exercise, bool) or not isinstance(exercise, (int, str)):
        raise InputTypeError(
            f"exercise must be the exercise's number or label; got {exercise!r}"
        )


class _Check:
    """The context manager :func:`check` returns (its arguments already checked)."""

    def __init__(self, namespace: Any, names: tuple[str, ...], exercise: Any) -> None:
        self.namespace, self.names, self.exercise = namespace, names, exercise

    def __enter__(self) -> None:
        missing = [n for n in self.names if n not in self.namespace]
        if missing:
            listed = ", ".join(f"`{n}`" for n in missing)
            verb = "is" if len(missing) == 1 else "are"
            raise NameError(
                f"Exercise {self.exercise}: {listed} {verb} not defined yet - write "
                "your answer in the cell above and run it (Shift+Enter), then run "
                "this check."
            )

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool:
        if kind is None:
            for name in self.names:
                self.namespace.pop(name, None)
            print(f"Exercise {self.exercise}: correct.")
        return False  # a failed assert propagates, its message for the learner


def check(
    namespace: MutableMapping[str, Any], *names: str, exercise: int | str
) -> AbstractContextManager[None]:
    """Run an exercise's asserts; on success print one line and forget the answer.

    Parameters
    ----------
    namespace : MutableMapping
        The notebook's ``globals()``: where the answer's names live.
    *names : str
        The names the exercise asks the learner to define (the ones the check reads).
    exercise : int or str
        The exercise's number (or label), for the messages.

    Returns
    -------
    contextlib.AbstractContextManager
        Its block holds the exercise's asserts, each with a message for the learner.
        Entering it raises ``NameError`` when a name is not defined yet (the message
        says to run the answer); leaving it after every assert held prints
        ``Exercise N: correct.`` and removes the names from ``namespace``; an
        ``AssertionError`` from the block propagates and the names are kept.

    Examples
    --------
    >>> space = {"answer": 42}
    >>> with check(space, "answer", exercise=1):
    ...     assert space["answer"] == 42, "expected 42"
    Exercise 1: correct.
    >>> "answer" in space  # forgotten: clearing the answer cannot pass again
    False
    >>> with check(space, "answer", exercise=1):
    ...     pass
    Traceback (most recent call last):
    ...
    NameError: Exercise 1: `answer` is not defined yet - write your answer in the \
cell above and run it (Shift+Enter), then run this check.
    """
    _check_args(namespace, names, exercise)
    return _Check(namespace, names, exercise)
