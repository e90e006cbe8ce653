"""The commands: `make bench` writes its report; `make student` strips solutions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "notebooks" / "00_course_overview.ipynb"


def test_bench_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            "--no-extra",
            "--out",
            str(out),
            str(INDEX),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "00_course_overview" in run.stdout and "budget 60 s / 1536 MiB" in run.stdout
    report = json.loads(out.read_text())
    row = report["notebooks"]["00_course_overview"]
    assert 0 < row["seconds"] < 60
    assert 100 < row["peak_mib"] < 1536, "the kernel's peak memory, TensorFlow included"
    assert report["total_seconds"] == row["seconds"]


def test_student_build(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.make_student",
            "--out",
            str(tmp_path),
            str(INDEX),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    student = nbformat.read(tmp_path / INDEX.name, as_version=4)
    solutions = [c for c in student.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == 3
    assert all("# YOUR CODE HERE" in c.source for c in solutions)
    assert not any("BEGIN SOLUTION" in c.source for c in student.cells)
    assert (tmp_path / "README.md").exists()  # the teacher's README


def test_bench_compression_times_invoke_against_a_compiled_call() -> None:
    """The latency figures of `make bench` are the fair ones (COURSE.md §6)."""
    from modelmaint import compress
    from tools import bench_compression

    assert "tflite_vs_keras_latency_ratio" not in bench_compression.GOALS
    data = compress.digits_data()
    model = compress.build_cnn()
    files = {
        "float32": compress.to_tflite(model),
        "int8": compress.to_tflite(
            model, "int8", representative_data=data.x_train[:50]
        ),
    }
    figures = bench_compression.latency_figures(model, files, data.x_test, repeats=5)
    batches = ["batch_1", "batch_64", f"batch_{len(data.x_test)}"]
    for key in ("tflite_speedup_vs_tf_function", "int8_over_float32_invoke"):
        assert list(figures[key]) == batches
        assert all(v > 0 for v in figures[key].values())
    p50 = figures["p50_ms"]
    for b in batches:
        ratio = p50["tf_function_float32"][b] / p50["tflite_float32_invoke"][b]
        assert abs(ratio - figures["tflite_speedup_vs_tf_function"][b]) < 0.02 * ratio
    assert figures["python_call_cost_ms"] > 0
