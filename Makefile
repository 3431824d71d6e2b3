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

# The main job on the sample corpus: import and align, show a few repairs before -> after,
# clean with the sample glossary,
# a short scripted review (plain mode, answers from stdin), scores and progress, the
# repaired article, a validated TMX and the HTML report.
demo: $(STAMP)
	rm -rf $(WS)
	@for doc in $(DOCS); do \
	  $(BIN)/mtmend -w $(WS) import $(SAMPLES)/$$doc.zh.txt $(SAMPLES)/$$doc.txt || exit 1; \
	done
	cp $(SAMPLES)/glossary.tsv $(WS)/glossary.tsv
	@echo "== before -> after: the first repairs the clean below applies (- before, + after) =="
	@$(BIN)/mtmend -w $(WS) clean --diff | grep -A2 '^--- ' | grep -v -e '^--$$' -e '^?' | grep -B1 '^+' | grep -v '^--$$' | head -n 21
	$(BIN)/mtmend -w $(WS) clean
	printf 'y\ny\ny\nn\ny\ny\ny\nq\n' | $(BIN)/mtmend -w $(WS) review --plain $(firstword $(DOCS)) > $(WS)/review-transcript.txt
	$(BIN)/mtmend -w $(WS) export -o $(WS)/$(firstword $(DOCS)).repaired.txt $(firstword $(DOCS))
	$(BIN)/mtmend -w $(WS) export -o $(WS)/samples.tmx
	$(BIN)/mtmend tmx validate $(WS)/samples.tmx
	$(BIN)/mtmend -w $(WS) status
	$(BIN)/mtmend -w $(WS) score
	$(BIN)/mtmend -w $(WS) progress
	$(BIN)/mtmend -w $(WS) report --html $(WS)/report.html
	@echo "repaired article: $(WS)/$(firstword $(DOCS)).repaired.txt"
	@echo "TMX:              $(WS)/samples.tmx"
	@echo "HTML report:      $(CURDIR)/$(WS)/report.html"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py

clean-demo:
	rm -rf $(WS)
