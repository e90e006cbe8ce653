"""`make robustness`: every notebook's asserts under other seeds.

Each notebook reads its one seed from ``MODELMAINT_SEED`` (default 0) in its first code
cell. This runs every notebook under seeds 1, 2 and 3 (a fresh kernel each time, outputs
not stored) and prints a table notebook x seed -> ``pass`` or the first failing line::

    notebook                      seed 1   seed 2   seed 3
    07_pruning                    pass     pass     cell 14: AssertionError: 0.86

A claim that holds only for seed 0 is not a result: this must pass before an issue that
touches a notebook is called resolved (CONTRIBUTING.md). It is not part of `make test`
(it costs about three times the course). Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from nbclient.exceptions import CellExecutionError

from tools._nbrun import execute, find_notebooks

SEED_VARIABLE = "MODELMAINT_SEED"
DEFAULT_SEEDS = (1, 2, 3)


@dataclass(frozen=True)
class Outcome:
    notebook: str
    seed: int
    failure: str | None  # None when every cell ran

    @property
    def label(self) -> str:
        return "pass" if self.failure is None else self.failure


def describe(error: CellExecutionError) -> str:
    """``cell N: Name: message`` for the cell that raised (N is the 0-based index)."""
    index = getattr(error, "cell_index", None)
    name = getattr(error, "ename", "") or "Error"
    value = " ".join(str(getattr(error, "evalue", "") or "").split())[:100]
    where = f"cell {index}: " if index is not None else ""
    return f"{where}{name}: {value}".rstrip(": ")


def run_one(path: Path, seed: int, timeout: int) -> Outcome:
    os.environ[SEED_VARIABLE] = str(seed)  # the kernel inherits this environment
    try:
        execute(path, timeout=timeout)
    except CellExecutionError as error:
        return Outcome(path.stem, seed, describe(error))
    finally:
        os.environ.pop(SEED_VARIABLE, None)
    return Outcome(path.stem, seed, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="notebooks or folders")
    parser.add_argument(
        "--seeds", default=",".join(map(str, DEFAULT_SEEDS)), help="e.g. 1,2,3"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    paths = find_notebooks(args.targets)
    width = max(len(p.stem) for p in paths + [Path("notebook")]) + 2
    header = "".join(f"seed {s:<4d}" for s in seeds)
    print(f"{'notebook':{width}s}{header}", flush=True)
    outcomes: list[Outcome] = []
    for path in paths:
        row = [run_one(path, seed, args.timeout) for seed in seeds]
        outcomes += row
        cells = "".join(
            f"{'pass':9s}" if o.failure is None else "FAIL     " for o in row
        )
        print(f"{path.stem:{width}s}{cells}", flush=True)
        for o in row:
            if o.failure is not None:
                print(f"    seed {o.seed}: {o.failure}", flush=True)
    failed = [o for o in outcomes if o.failure is not None]
    print(f"\n{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
