# The course's commands. Every target creates .venv first if it is missing or stale.
#   make lab        JupyterLab on the course index notebook
#   make test       unit tests, doctests, dataset checks and every notebook (nbval)
#   make notebooks  re-execute every notebook in place (fresh committed outputs)
#   make bench      per-notebook seconds and peak memory -> build/bench.json
#   make lock       regenerate requirements.lock, binder/requirements.txt, environment.yml
#   make student    the student edition (nbgrader-ready) + teacher's README -> build/student/
#   make nbgrader   the course through a real nbgrader: release, autograde blank and solved
#   make check      the fast loop while editing: lint and the tests that run no notebook
#   make site       the course as a static website, offline -> build/site/index.html
#   make zh         the Chinese edition from i18n/zh/ -> build/zh/ (make lab-zh opens it)
#   make robustness every notebook's asserts under seeds 1, 2, 3 (MODELMAINT_SEED)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab settings of the course (no "Jupyter news?" pop-up over the first notebook)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
# The named kernel nbgrader grades with (docs/nbgrader/nbgrader_config.py): the course's .venv
KERNEL := $(VENV)/share/jupyter/kernels/modelmaint/kernel.json
CELL_TIMEOUT ?= 300
NB ?= notebooks

export TF_USE_LEGACY_KERAS := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

.PHONY: install lab lab-zh zh test check unit notebooks bench lock student site lint clean robustness nbgrader

install: $(STAMP) $(LAB_SETTINGS) $(KERNEL)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name modelmaint \
	    --display-name "Python 3 (modelmaint)" --env PYTHONHASHSEED 0 \
	    --env TF_USE_LEGACY_KERAS 1 --env TF_CPP_MIN_LOG_LEVEL 2

$(LAB_SETTINGS): binder/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp binder/overrides.json $@

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

lab: install
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_course_overview.ipynb

zh: install
	$(BIN)/python -m tools.i18n build

lab-zh: zh
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) build/zh/00_course_overview.ipynb

# Two workers (-n 2): a notebook's cells and a test module stay on one worker
# (conftest.py's scheduler), the longest work first.
XDIST := -n 2

test: install
	$(BIN)/python -m pytest $(XDIST) --nbval-lax --nbval-cell-timeout=$(CELL_TIMEOUT)

# The fast loop while editing (about a minute): lint, docstrings, and every test that
# does not execute a notebook, start a kernel, nbgrader or a browser (`-m "not slow"`).
check: install
	$(BIN)/ruff check modelmaint tests tools notebooks conftest.py
	$(BIN)/ruff format --check modelmaint tests tools notebooks conftest.py
	$(BIN)/python -m pytest $(XDIST) -q -m "not slow" tests modelmaint

unit: install
	$(BIN)/python -m pytest tests modelmaint

notebooks: install
	$(BIN)/python -m tools.run_notebooks --inplace $(NB)

bench: install
	$(BIN)/python -m tools.bench $(NB)

lock: install
	$(BIN)/uv pip compile pyproject.toml --extra course --extra test --extra dev \
	    --python-version 3.11 --universal --constraint tools/lock-constraints.txt --no-header --annotation-style line \
	    -o requirements.lock
	$(BIN)/python -m tools.sync_pins

robustness: install
	$(BIN)/python -m tools.robustness $(NB)

student: install
	$(BIN)/python -m tools.make_student

nbgrader: install
	$(BIN)/python -m tools.nbgrader_roundtrip $(NB)

site: install
	$(BIN)/python -m tools.make_site

lint: install
	$(BIN)/ruff check modelmaint tests tools notebooks conftest.py
	$(BIN)/ruff format --check modelmaint tests tools notebooks conftest.py
	$(BIN)/python -m tools.docstrings

clean:
	rm -rf build .pytest_cache
