"""`make bench`: each notebook in a fresh kernel, its wall seconds and peak memory.

Prints a table against the budgets (60 s, 1.5 GiB per notebook; 6 min in all) and
writes ``build/bench.json``::

    {"notebooks": {"NN_name": {"seconds": s, "peak_mib": m}}, "total_seconds": t, ...}

Then every ``tools/bench_*.py`` module adds its own section: it defines ``KEY`` (the
section's name in the JSON) and ``run() -> dict``.

``make bench`` (the default ``--out``) also updates the committed, dated table
``docs/bench.json`` with the rows it measured: ``make student``'s teacher's README and
docs/teaching.md read their run times from it, so a fresh clone has them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path

import tools
from tools._nbrun import ROOT, execute, find_notebooks

SECONDS_BUDGET = 60.0
PEAK_MIB_BUDGET = 1.5 * 1024
TOTAL_SECONDS_BUDGET = 6 * 60.0
OUT = ROOT / "build" / "bench.json"
DOCS = ROOT / "docs" / "bench.json"


def bench_notebooks(targets: list[str]) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    print(f"{'notebook':40s} {'seconds':>8s} {'peak MiB':>9s}  budget 60 s / 1536 MiB")
    for path in find_notebooks(targets):
        run = execute(path)
        over = []
        if run.seconds > SECONDS_BUDGET:
            over.append("TIME")
        if run.peak_mib > PEAK_MIB_BUDGET:
            over.append("MEMORY")
        flag = "OVER: " + "+".join(over) if over else "ok"
        print(
            f"{path.stem:40s} {run.seconds:8.1f} {run.peak_mib:9.0f}  {flag}",
            flush=True,
        )
        rows[path.stem] = {
            "seconds": round(run.seconds, 2),
            "peak_mib": round(run.peak_mib, 1),
        }
    return rows


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null: TensorFlow's C++ log lines bypass Python."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def extra_sections() -> dict[str, dict]:
    sections: dict[str, dict] = {}
    for info in pkgutil.iter_modules(tools.__path__):
        if info.name.startswith("bench_"):
            module = importlib.import_module(f"tools.{info.name}")
            print(f"\n== {module.KEY} ({info.name}) ==", flush=True)
            with _quiet_stderr():
                sections[module.KEY] = module.run()
    return sections


def record(rows: dict[str, dict[str, float]], docs: Path = DOCS) -> None:
    """Merge ``rows`` into the committed table ``docs``, each row dated today."""
    table = json.loads(docs.read_text(encoding="utf-8")) if docs.exists() else {}
    notebooks = table.setdefault("notebooks", {})
    today = datetime.date.today().isoformat()
    for name, row in rows.items():
        notebooks[name] = {
            "seconds": round(row["seconds"], 1),
            "peak_mib": round(row["peak_mib"]),
            "date": today,
        }
    table["notebooks"] = dict(sorted(notebooks.items()))
    docs.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "targets", nargs="*", help="notebooks or folders (default: notebooks)"
    )
    parser.add_argument("--no-extra", action="store_true", help="skip tools/bench_*.py")
    parser.add_argument("--out", type=Path, default=OUT, help="JSON report to update")
    parser.add_argument(
        "--docs", type=Path, help="dated table to update (default: docs/bench.json)"
    )
    args = parser.parse_args()
    out = args.out
    report = json.loads(out.read_text()) if out.exists() else {}
    rows = bench_notebooks(args.targets)
    report.setdefault("notebooks", {}).update(rows)
    docs = args.docs or (DOCS if out == OUT else None)
    if docs is not None:
        record(rows, docs)
    total = sum(r["seconds"] for r in report["notebooks"].values())
    report["total_seconds"] = round(total, 2)
    flag = "ok" if total <= TOTAL_SECONDS_BUDGET else "OVER"
    print(
        f"{'total':40s} {total:8.1f}{'':12s}budget {TOTAL_SECONDS_BUDGET:.0f} s: {flag}"
    )
    if not args.no_extra:
        report.update(extra_sections())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
