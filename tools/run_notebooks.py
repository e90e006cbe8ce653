"""Re-execute notebooks in fresh kernels, write the outputs back (`make notebooks`)."""

from __future__ import annotations

import argparse

import nbformat

from tools._nbrun import execute, find_notebooks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "targets", nargs="*", help="notebooks or folders (default: notebooks)"
    )
    parser.add_argument("--inplace", action="store_true", help="write outputs back")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()
    for path in find_notebooks(args.targets):
        run = execute(path, timeout=args.timeout)
        if args.inplace:
            nbformat.write(run.notebook, path)
        print(
            f"{path.name:45s} {run.seconds:6.1f} s {run.peak_mib:7.0f} MiB", flush=True
        )


if __name__ == "__main__":
    main()
