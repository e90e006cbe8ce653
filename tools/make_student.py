"""`make student`: the notebooks with every `solution` cell replaced by a stub.

Writes ``build/student/NN_name.ipynb`` with outputs cleared: learners run the exercise,
fill in the stub, and the `check` cell that follows tells them when they are right.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

from tools._nbrun import ROOT, find_notebooks

STUB = "# Your solution here: the check cell below tells you when it is right.\n"


def to_student(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """Copy of ``nb``, solutions stubbed, outputs cleared; and how many were stubbed."""
    out = nbformat.from_dict(nb)
    stubbed = 0
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        if "solution" in cell.get("metadata", {}).get("tags", []):
            cell.source = STUB
            stubbed += 1
        cell.outputs = []
        cell.execution_count = None
    return out, stubbed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--out", default=str(ROOT / "build" / "student"))
    args = parser.parse_args()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in find_notebooks(args.targets):
        student, stubbed = to_student(nbformat.read(path, as_version=4))
        nbformat.write(student, out_dir / path.name)
        print(f"{path.name:45s} {stubbed} solution cell(s) stubbed")


if __name__ == "__main__":
    main()
