"""Execute a notebook top to bottom in a fresh kernel (for run_notebooks and bench)."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
# The kernel's own peak is VmHWM: Linux carries ru_maxrss across fork and exec, so
# a kernel started by a big process would report its parent's peak as its own.
PEAK_PROBE = (
    "import resource as _r\n"
    "_hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "_own = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss\n"
    "_self = int(_hwm[0].split()[1]) if _hwm else _own\n"
    "print(_self, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss)"
)


@dataclass(frozen=True)
class Run:
    notebook: nbformat.NotebookNode
    seconds: float
    peak_mib: float


def find_notebooks(targets: list[str]) -> list[Path]:
    """Notebook paths from files or folders (sorted; checkpoints skipped)."""
    found: list[Path] = []
    for target in targets or ["notebooks"]:
        path = (ROOT / target) if not Path(target).is_absolute() else Path(target)
        if path.is_dir():
            found += sorted(
                p for p in path.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
            )
        elif path.suffix == ".ipynb" and path.exists():
            found.append(path)
        else:
            raise SystemExit(f"no notebook at {target}")
    return found


def execute(path: Path, timeout: int = 300) -> Run:
    """Run every cell of ``path`` in a fresh ``python3`` kernel, cwd = its folder.

    The kernel's peak resident memory (its own, or a child process's if larger) is
    read from ``getrusage`` in the kernel after the last cell.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    # The kernel's own stderr (TensorFlow's C++ start-up lines, ZMQ notices) is not
    # part of any cell's output; keep it off the terminal so the table stays readable.
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        # What JupyterLab writes on opening: store it, so the tab does not turn dirty
        info = client.wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                error.cell_index = index  # where it failed, for tools.robustness
                raise
        seconds = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(PEAK_PROBE)
        nb.cells.append(probe)
        try:
            client.execute_cell(probe, len(nb.cells) - 1)
        finally:
            nb.cells.pop()
    text = "".join(
        o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"
    )
    self_kib, child_kib = (int(v) for v in text.split())
    return Run(notebook=nb, seconds=seconds, peak_mib=max(self_kib, child_kib) / 1024)
