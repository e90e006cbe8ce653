"""nbgrader's configuration for a course taught from modelmaint's notebooks.

Copy this file into the root of your nbgrader course directory (the folder where you
run the ``nbgrader`` commands, outside the clone); docs/teaching.md walks through a
whole assignment. ``make student`` reads the same file, so ``build/student/`` is what
``nbgrader generate_assignment`` releases, and ``make nbgrader``
(tools/nbgrader_roundtrip.py) grades a blank and a full submission with it.

It lives in docs/nbgrader/, not at the repository's root, because nbgrader reads
``nbgrader_config.py`` from the folder it runs in: at the root it would turn the clone
itself into a course directory (gradebook.db, source/, release/ among the notebooks).
"""

import os
import re
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import NbGraderPreprocessor

c = get_config()  # noqa: F821 - traitlets defines get_config in a config file

# The files some notebooks write (models, logs, an HTML page) go to one folder beside
# this file, not into every submission's folder: the notebooks write to
# $MODELMAINT_BUILD/<notebook number>/ (../build/ when learners run them), and the
# kernels nbgrader starts inherit this environment.
os.environ.setdefault(
    "MODELMAINT_BUILD",
    str(Path(__file__).resolve().parent / "modelmaint_build"),
)

# Grade in the course's environment, whatever environment nbgrader runs from: the
# notebooks ask for `python3`, which in nbgrader's own environment may lack the course's
# packages (a full solution then scores 0, exit code 0). `make install` and Binder
# register this kernel (Python 3 (modelmaint), the course's .venv).
c.ExecutePreprocessor.kernel_name = "modelmaint"

# Seconds per cell. nbgrader's default is 30; the slowest cells take about 16 s on two
# cores (05's fine-tuning) and Binder can be twice as slow.
c.ExecutePreprocessor.timeout = 300

# The learner's stub: the comment above it (the variables the check reads) stays.
# Without `raise NotImplementedError()` an untouched notebook runs through and only
# its check cells fail, with a NameError or an AssertionError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}

# No execution timings in the released notebooks.
c.ClearOutput.remove_metadata_fields = {"collapsed", "scrolled", "execution"}


class ShowSolutionCells(NbGraderPreprocessor):
    """Unfold the solution cells: the course folds them, a learner writes in them.

    Their first line, "# The course's solution to exercise N (folded: ...)", becomes
    "# Exercise N: your answer" (the solution itself is cleared by ClearSolutions).
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.metadata.pop("jupyter", None)
            cell.source = re.sub(
                r"\A# The course's solution to exercise (\S+) \(.*\)$",
                r"# Exercise \1: your answer",
                cell.source,
                count=1,
                flags=re.M,
            )
        return cell, resources


c.GenerateAssignment.preprocessors = [
    ShowSolutionCells,
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]
