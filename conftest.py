"""Offline guard for the whole test run (unit tests and notebooks).

* pytest-socket (``--allow-hosts`` in pyproject) refuses any connection from the
  test process
  to a host other than this machine;
* every kernel that nbval starts inherits proxies that point to a closed local port,
  so an HTTP(S) download from a notebook (``urllib``, ``requests``,
  ``keras.utils.get_file``) fails
  at once instead of reaching the internet.
"""

from __future__ import annotations

import os

DEAD_PROXY = "http://127.0.0.1:9"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
    os.environ[_var] = DEAD_PROXY
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "localhost,127.0.0.1,::1"
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Under `pytest -n N` (make test) each worker, and every kernel it starts, gets a share
# of the cores: N processes that each spin up a thread per core (OpenBLAS, TensorFlow)
# fight over the cores and run about 15 % slower in all (measured on 2 cores: the 15
# notebooks in 179 s instead of 210 s). A single run keeps every thread; `make bench`
# measures the notebooks as a reader runs them.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
if _WORKERS > 1:
    _SHARE = str(max(1, (os.cpu_count() or 1) // _WORKERS))
    for _var in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
    ):
        os.environ.setdefault(_var, _SHARE)


# -- test tiers and parallel runs ---------------------------------------------------
import pytest  # noqa: E402

#: Modules that start kernels, nbgrader, JupyterLab or a browser, convert every
#: notebook (the site) or train TensorFlow models, as a whole (all their tests).
SLOW_MODULES = {
    "test_browser.py",
    "test_nbgrader.py",
    "test_lab.py",
    "test_site.py",
    "test_compress.py",
    "test_compress_latency.py",
    "test_compress_distill.py",
}
#: Doctests that train or convert TensorFlow models.
SLOW_DOCTESTS = {"finetune.py", "distill.py", "tflite.py", "latency.py", "pruning.py"}
#: Single tests that execute notebooks or start a kernel.
SLOW_TESTS = {
    "test_one_chinese_notebook_runs_under_nbval",
    "test_a_cleared_answer_fails_its_check_in_a_live_kernel",
    "test_bench_prints_the_table_and_writes_json",
    "test_bench_compression_times_invoke_against_a_compiled_call",
    "test_student_build",
    "test_a_built_wheel_carries_the_data_and_loads_outside_the_clone",
    "test_covariate_drift_keeps_calibration_and_concept_drift_breaks_it",
    "test_a_model_of_days_0_29_has_skill_on_days_30_79",
}
#: Modules that share a session fixture (tests/conftest.py's site): one worker.
TOGETHER = {"tests/test_site.py": "site", "tests/test_browser.py": "site"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: runs notebooks, kernels, nbgrader or a browser (not in `make check`)",
    )


def _bench_seconds() -> dict[str, float]:
    import json
    from pathlib import Path

    bench = Path(__file__).parent / "docs" / "bench.json"
    try:
        rows = json.loads(bench.read_text(encoding="utf-8"))["notebooks"]
        return {name: float(row["seconds"]) for name, row in rows.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _rank(item: pytest.Item, seconds: dict[str, float]) -> tuple[int, float]:
    if item.path.name == "test_nbgrader.py":
        return (0, 0.0)
    if item.path.suffix == ".ipynb":  # the longest first (docs/bench.json)
        return (1, -seconds.get(item.path.stem, 0.0))
    return (2 if item.path.name in SLOW_MODULES else 3, 0.0)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Mark the slow tier (``make check`` runs ``-m "not slow"``), longest work first.

    Under ``pytest -n 2`` the workers take files in this order, so the long units (the
    nbgrader round trip, the notebooks) start first and
    the many short unit tests fill the gaps at the end.
    """
    seconds = _bench_seconds()
    items.sort(key=lambda item: _rank(item, seconds))  # stable: files keep their order
    for item in items:
        name = getattr(item, "originalname", None)
        doctest = item.path.suffix == ".py" and item.path.parent.name == "compress"
        if (
            item.path.suffix == ".ipynb"
            or item.path.name in SLOW_MODULES
            or name in SLOW_TESTS
            or (doctest and item.path.name in SLOW_DOCTESTS)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """At a course notebook's first solution cell, run its student edition first.

    nbval's kernel then holds what a student's holds: the placeholders and checks of
    the student edition run there (every check must fail, nothing else may), and nbval
    goes on with the solutions (tools/student_in_nbval.py says why that suffices).
    """
    cell, parent = getattr(item, "cell", None), item.parent
    kernel = getattr(parent, "kernel", None)
    if cell is None or kernel is None or item.path.parent.name != "notebooks":
        return
    if getattr(parent, "student_checked", False):
        return
    from tools.student_in_nbval import is_solution, student_problems

    if not is_solution(cell):
        return
    parent.student_checked = True
    timeout = item.config.getoption("nbval_cell_timeout", 300)
    problems = student_problems(kernel, item.path, timeout=timeout)
    if problems:
        pytest.fail("student edition: " + "; ".join(problems), pytrace=False)


try:
    from xdist.scheduler import LoadFileScheduling
except ImportError:  # pragma: no cover - xdist is in the lock; plain pytest works too
    pass
else:

    class _FileScheduling(LoadFileScheduling):
        """Whole files to one worker.

        Under ``pytest -n 2`` (``make test``) a notebook's cells must run in order in
        one kernel, and a module's shared fixtures (the site, the nbgrader round trip)
        are built once, so every test goes with its file (and the files in ``TOGETHER``
        with each other). (The scope is
        read from the node id; ``--dist loadgroup`` cannot be used: it renames node
        ids, which pytest 9.2 no longer allows, and silently spreads every cell.)
        """

        def __init__(self, config: pytest.Config, log: object) -> None:
            super().__init__(config, log)
            config.option.loadscopereorder = False  # keep the collection's order

        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return TOGETHER.get(scope, scope)

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
        return _FileScheduling(config, log)
