# senderscore: the two commands a new user needs are `make demo` and `make test`.
# Each installs what is missing (GSL through apt-get), builds, and runs.

SWIFT ?= swift
SCENARIO ?= Scenarios/baseline.yaml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN = .build/release/senderscore
VENV = .venv

.PHONY: demo test deps build release bench clean help

help:
	@echo "make demo    install what is missing, build, run $(SCENARIO)"
	@echo "make test    install what is missing, run every test"
	@echo "make bench   release-mode benchmark (trials per second, scaling)"

# GSL (libgsl-dev) and pkg-config are the only system dependencies.
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "Swift 6 is needed: install it from https://www.swift.org/install/linux/ and put it on PATH"; exit 1; }
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl; then \
	  echo "Installing libgsl-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product senderscore

demo: release
	$(RELEASE_BIN) run $(SCENARIO)

test: deps
	$(SWIFT) test

# The engine's own figures, then the numpy competitor on the same scenario and machine.
bench: release
	$(RELEASE_BIN) bench $(SCENARIO)
	@python3 -m venv --help >/dev/null 2>&1 || $(SUDO) apt-get install -y -qq python3-venv
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q -r Benchmarks/requirements.txt
	$(VENV)/bin/python Benchmarks/numpy_competitor.py $(SCENARIO)

clean:
	rm -rf .build $(VENV)
