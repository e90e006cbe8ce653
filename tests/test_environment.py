"""One lock, three consumers: make (requirements.lock), Binder and conda agree."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from tools.sync_pins import pins

ROOT = Path(__file__).resolve().parents[1]


def _pin_set(lines: list[str]) -> set[str]:
    return {re.sub(r"\s+", "", line) for line in lines}


def lock_pins() -> list[str]:
    return pins((ROOT / "requirements.lock").read_text())


def conda_pins() -> list[str]:
    text = (ROOT / "environment.yml").read_text()
    return [m.group(1) for m in re.finditer(r'^\s+- "(.+)"\s*$', text, flags=re.M)]


def test_every_lock_line_is_an_exact_pin() -> None:
    for line in lock_pins():
        requirement = Requirement(line)
        specs = list(requirement.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", line


def test_binder_uses_the_lock() -> None:
    binder = pins((ROOT / "binder" / "requirements.txt").read_text())
    assert _pin_set(binder) == _pin_set(lock_pins())


def test_environment_yml_uses_the_lock() -> None:
    text = (ROOT / "environment.yml").read_text()
    assert "python=3.11" in text
    assert _pin_set(conda_pins()) == _pin_set(lock_pins())


def test_lock_satisfies_pyproject_ranges() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("course", "test", "dev"):
        wanted += project["optional-dependencies"][extra]
    locked = {}
    for line in lock_pins():
        requirement = Requirement(line)
        version = next(iter(requirement.specifier)).version
        locked.setdefault(requirement.name.lower().replace("_", "-"), []).append(
            version
        )
    for line in wanted:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        assert name in locked, (
            f"{name} is in pyproject.toml but not in requirements.lock"
        )
        assert any(requirement.specifier.contains(v) for v in locked[name]), (
            line,
            locked[name],
        )


def test_binder_files() -> None:
    binder = ROOT / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = (binder / "postBuild").read_text()
    assert (
        "set -e" in post_build and "pip install" in post_build and "-e ." in post_build
    )
    start = (binder / "start").read_text()
    assert "TF_USE_LEGACY_KERAS=1" in start
    assert start.rstrip().splitlines()[-1] == 'exec "$@"'
    for script in ("postBuild", "start"):
        assert (binder / script).stat().st_mode & 0o111, (
            f"binder/{script} is not executable"
        )


REPO2DOCKER = Path(sys.executable).with_name("jupyter-repo2docker")


def test_repo2docker_plan() -> None:
    """`jupyter-repo2docker --no-build --debug .` prints the plan without Docker."""
    out = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    plan = out.stdout + out.stderr
    assert out.returncode == 0, plan[-2000:]
    assert "Building conda environment for python=3.11" in plan
    assert re.search(r"pip install .*-r \"?binder/requirements.txt", plan)
    assert "./binder/postBuild" in plan
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in plan


def test_makefile_targets() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("install", "lab", "test", "notebooks", "bench", "lock", "student"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "uv pip compile pyproject.toml" in makefile
    assert (ROOT / ".ci" / "run").read_text().count("make test") == 1
