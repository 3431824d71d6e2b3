# The two commands a newcomer needs: `make demo` (the main job on the sample corpus)
# and `make test` (the whole test suite). Both create .venv and install on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WS     ?= demo-workspace
SAMPLES := corpus/samples
DOCS   := 000_46a1daae881aeae4 003_3ffcd919ae816214

.PHONY: demo test bench docs clean-demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	rm -rf $(WS)
	@for doc in $(DOCS); do \
	  $(BIN)/mtmend -w $(WS) import $(SAMPLES)/$$doc.zh.txt $(SAMPLES)/$$doc.txt || exit 1; \
	done
	$(BIN)/mtmend -w $(WS) status

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py

clean-demo:
	rm -rf $(WS)
