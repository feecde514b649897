# Two commands from a fresh clone: `make run` (install, build the index if needed, start the chat page)
# and `make test` (install, run all tests, then the eval gate).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test eval bench browser clean
AXE    := tests/node_modules/axe-core/axe.min.js

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first: the CPU build from local disk (otherwise pip pulls a multi-GB CUDA build)
	$(BIN)/pip install --disable-pip-version-check -q torch==2.13.0
	$(BIN)/pip install --disable-pip-version-check -q -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	$(BIN)/vraagbaak serve --ensure-index

# Debian's chromium for the browser tests (never Playwright's own download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "chromium installeren (apt-get)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# axe-core (npm, pinned in tests/package-lock.json) for the accessibility checks of the browser tests.
$(AXE): tests/package.json tests/package-lock.json
	@command -v npm >/dev/null || { \
		echo "npm installeren (apt-get)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	@touch $@

test: install browser $(AXE)
	$(BIN)/python -m pytest --durations=15
	VRAAGBAAK_PROFILE=test $(BIN)/vraagbaak ingest --quiet
	VRAAGBAAK_PROFILE=test $(BIN)/vraagbaak eval --gate

eval: install
	$(BIN)/vraagbaak ingest --quiet
	$(BIN)/vraagbaak eval

bench: install
	$(BIN)/vraagbaak bench

clean:
	rm -rf .cache index_store/data eval/reports tests/node_modules
