# dptdr-mini: `make demo` (set up + the main job), `make test` (set up + all tests), `make lab` (notebooks).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Empty: pip's default index (what CI here uses). CPU-only machines: make setup TORCH_INDEX=https://download.pytorch.org/whl/cpu
# (torch==2.13.0 from the default index is the CUDA build, with 16 nvidia-* packages, several GB).
TORCH_INDEX ?=
PIP_INDEX   := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))

.PHONY: setup demo dptdr test test-fast test-learner lab clean-runs

setup: $(STAMP)

# Pinned requirements first (torch==2.13.0: the CPU wheel with TORCH_INDEX set, else the default index's), then the
# kit itself, editable.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(PIP_INDEX) -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

demo: setup  ## the main job on the embedded sample: BM25 / untuned / DPT / FT table
	$(PY) -m dptdr_mini demo

dptdr: setup  ## the whole DPTDR recipe on the sample: RIP -> DPT on BM25 negatives -> mine -> DPT on the union
	$(PY) -m dptdr_mini pipeline --rip --data data_samples/msmarco --eval-split dev --pooling mean --normalize --temperature 0.05 --output-dir runs/dptdr

test: setup  ## library tests (the slow install test too) + every notebook under nbval, at CI size
	DPTDR_NB_SIZE=ci $(PY) -m pytest -q tests notebooks --nbval-lax --durations=15

test-learner: setup  ## every notebook at the size a learner runs (~15 min): its asserts check the prose's claims
	DPTDR_NB_SIZE=learner $(PY) -m pytest -q notebooks --nbval-lax --durations=0

test-fast: setup  ## library tests only, without the slow install test (tests/test_install.py, -m install)
	$(PY) -m pytest -q tests -m "not install"

lab: setup  ## open the lessons in JupyterLab
	$(VENV)/bin/jupyter lab notebooks

clean-runs:
	rm -rf runs
