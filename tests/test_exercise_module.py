"""modelmaint.exercise and modelmaint.console: the check cells' helper, and the
native-stderr silencer the TensorFlow notebooks import under."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from modelmaint.console import quiet_stderr
from modelmaint.exercise import check


def test_a_pass_prints_one_line_and_forgets_only_the_named_answers(capsys) -> None:
    space = {"a": 1, "b": 2, "data": [1, 2]}
    with check(space, "a", "b", exercise=3):
        assert space["a"] + space["b"] == 3, "a + b must be 3"
    assert capsys.readouterr().out == "Exercise 3: correct.\n"
    assert space == {"data": [1, 2]}  # the notebook's own names stay


def test_a_failed_assert_keeps_the_answer_and_says_why(capsys) -> None:
    space = {"a": 1}
    with pytest.raises(AssertionError, match="a must be 2; got 1"):
        with check(space, "a", exercise=1):
            assert space["a"] == 2, f"a must be 2; got {space['a']}"
    assert space == {"a": 1} and capsys.readouterr().out == ""


def test_a_missing_answer_is_a_name_error_that_says_what_to_do() -> None:
    with pytest.raises(NameError, match=r"Exercise 2: `a`, `b` are not defined yet"):
        with check({}, "a", "b", exercise=2):
            pass


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([],), {"exercise": 1}, TypeError, "namespace must be the notebook's globals"),
        (({},), {"exercise": 1}, ValueError, "names must name at least one"),
        (({}, "not a name"), {"exercise": 1}, ValueError, "must be Python identifiers"),
        (({}, 3), {"exercise": 1}, ValueError, "must be Python identifiers"),
        (({}, "a"), {"exercise": True}, TypeError, "exercise must be the exercise's"),
        (({}, "a"), {"exercise": None}, TypeError, "exercise must be the exercise's"),
    ],
)
def test_bad_arguments_are_refused_when_called(args, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        check(*args, **kwargs)  # before any with block


def test_quiet_stderr_silences_native_writes_and_restores_the_stream() -> None:
    code = (
        "import os\n"
        "from modelmaint.console import quiet_stderr\n"
        "with quiet_stderr():\n"
        "    os.write(2, b'hidden\\n')\n"
        "os.write(2, b'shown\\n')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == "shown\n", run.stderr


def test_quiet_stderr_restores_the_stream_after_an_exception() -> None:
    before = os.fstat(2).st_ino
    with pytest.raises(RuntimeError):
        with quiet_stderr():
            raise RuntimeError("propagates")
    assert os.fstat(2).st_ino == before
