# senderscore: the two commands a new user needs are `make demo` and `make test`.
# Each installs what is missing (GSL through apt-get), builds, and runs.

SWIFT ?= swift
SCENARIO ?= Scenarios/baseline.yaml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN = .build/release/senderscore
VENV = .venv
DEBUG_BIN = .build/debug/senderscore
NOTEBOOKS = band-distribution strategy-comparison rule-validation planning sensitivity timeline

.PHONY: demo test test-slurm fuzz hostile golden lint format deps deps-browser deps-python build release bench bench-plan bench-scale notebooks report-check clean help

help:
	@echo "make demo    install what is missing, build, run $(SCENARIO)"
	@echo "make test    install what is missing, run every test"
	@echo "make lint    check the code's layout (make format rewrites it)"
	@echo "make test-slurm  a sharded run on a throwaway single-node Slurm cluster (installs slurm-wlm, munge)"
	@echo "make fuzz    fuzz every reader for FUZZ_SECONDS (default 300) each"
	@echo "make golden  rewrite the stored outputs in Tests/Golden and show what changed"
	@echo "make bench   release-mode benchmark against the numpy peer (trials per second, ratio), then bench-plan"
	@echo "make bench-plan  time senderscore plan on 8 reps and 10 levers (1,024 plans)"
	@echo "make bench-scale time and memory as reps (to 10,000), strategies and timeline periods grow"
	@echo "make notebooks  execute every notebook headless (outputs in .build/notebooks)"

# GSL (libgsl-dev) and pkg-config are the only system dependencies.
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "Swift 6 is needed: install it from https://www.swift.org/install/linux/ and put it on PATH"; exit 1; }
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl || ! pkg-config --exists zlib; then \
	  echo "Installing libgsl-dev, zlib1g-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev zlib1g-dev pkg-config; \
	fi

# Chromium (headless) checks the HTML report; only the tests need it.
deps-browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Installing chromium with apt-get (headless check of the HTML report)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# One virtual environment with pinned versions serves the notebooks and the numpy competitor.
deps-python:
	@python3 -c "import ensurepip, venv" >/dev/null 2>&1 || { \
	  echo "Installing python3-venv with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; }
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r Notebooks/requirements.txt -r Benchmarks/requirements.txt

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product senderscore

demo: release
	$(RELEASE_BIN) run $(SCENARIO)

# The code's layout (swift format, .swift-format; `make format` rewrites what it finds) and the
# library's folders used in one direction only (scripts/check-layers.py).
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Benchmarks Package.swift
	python3 scripts/check-layers.py Sources/SenderScoreKit

format:
	$(SWIFT) format --in-place --recursive --parallel Sources Tests Benchmarks Package.swift

# Lint; unit, statistical, golden and CLI tests (with a short fuzz run of every reader); the
# hostile inputs of Tests/Hostile under a 1 GiB memory cap; memory per rep and linear time of
# every format as a team grows (Tests/Scale); a sharded run on a real Slurm cluster;
# the HTML report in a real browser; then every notebook, and make bench's comparison script.
test: deps deps-browser deps-python lint
	$(SWIFT) test
	python3 Tests/Hostile/hostile.py $(DEBUG_BIN)
	python3 Tests/Scale/scale.py $(DEBUG_BIN)
	@$(MAKE) --no-print-directory test-slurm BIN=$(DEBUG_BIN)
	bash scripts/check-report.sh $(DEBUG_BIN)
	@$(MAKE) --no-print-directory notebooks BIN=$(DEBUG_BIN)
	@echo "make bench's comparison with the numpy peer, a short run on the debug build (figures meaningless)"
	$(VENV)/bin/python Benchmarks/compare.py $(DEBUG_BIN) $(BENCH_SCENARIO) --trials 2000 --repeats 1 \
	    --precision 0.02 --first-trials 1000 > .build/bench-check.txt
	@tail -8 .build/bench-check.txt

# deploy/slurm end to end: installs slurm-wlm and munge when missing, starts munged, slurmctld and
# slurmd on this machine (configuration and state in a temporary folder), submits a 4-shard array
# and its merge, checks the merged reports are byte for byte the single run's, and stops the
# daemons (scripts/test-slurm.sh). BIN is the release build unless given.
SLURM_SCENARIO ?= Scenarios/combined-plan.yaml
test-slurm:
	@[ -x $(BIN) ] || $(MAKE) --no-print-directory $(if $(filter $(DEBUG_BIN),$(BIN)),build,release)
	FORMATS="json text html" bash scripts/test-slurm.sh $(BIN) $(SLURM_SCENARIO) --trials 2001 --seed 11

# The hostile inputs alone, on the debug build.
hostile: build
	python3 Tests/Hostile/hostile.py $(DEBUG_BIN)

# A longer fuzz run of every reader (Tests/SenderScoreKitTests/FuzzTests.swift); a failing input
# is saved in .build/fuzz. FUZZ_SEED replays another sequence of inputs.
FUZZ_SECONDS ?= 300
FUZZ_SEED ?= 20261201
fuzz: deps
	SENDERSCORE_FUZZ_SECONDS=$(FUZZ_SECONDS) SENDERSCORE_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --filter FuzzTests

# Rewrites the stored outputs in Tests/Golden from the current code and shows how they changed.
# Golden files change only on purpose: say why in the commit message.
golden: deps
	SENDERSCORE_RECORD_GOLDEN=1 $(SWIFT) test --filter 'Golden(Output|Documentation)Tests'
	@git status --short -- Tests/Golden docs
	@git --no-pager diff --stat -- Tests/Golden docs
	@git --no-pager diff -- Tests/Golden docs

BIN ?= $(RELEASE_BIN)
notebooks: deps-python
	@[ -x $(BIN) ] || $(MAKE) --no-print-directory release
	@mkdir -p .build/notebooks
	@for nb in $(NOTEBOOKS); do \
	  echo "notebook $$nb"; \
	  $(VENV)/bin/papermill Notebooks/$$nb.ipynb .build/notebooks/$$nb.ipynb \
	    -p senderscore_path $(CURDIR)/$(BIN) --cwd Notebooks -k python3 \
	    --log-level WARNING --no-progress-bar || exit 1; \
	done

# The engine against its numpy peer on the throughput benchmark (a 6-rep, 2-segment team), with
# their ratio; then the planning benchmark. BENCH_SCENARIO and BENCH_TRIALS choose another run.
BENCH_SCENARIO ?= Benchmarks/team.yaml
BENCH_TRIALS ?= 400000
bench: release deps-python
	$(VENV)/bin/python Benchmarks/compare.py $(RELEASE_BIN) $(BENCH_SCENARIO) --trials $(BENCH_TRIALS)
	@$(MAKE) --no-print-directory bench-plan

# Time and peak memory of `senderscore run` as reps (up to 10,000), strategies and timeline periods
# grow (Benchmarks/scaling.py; a few minutes).
bench-scale: release
	python3 Benchmarks/scaling.py $(RELEASE_BIN)

# The planning benchmark: the time to a decision among 1,024 plans, and the plan-trials spent
# against evaluating every plan with equal trials to the same precision.
bench-plan: release
	@/usr/bin/time -f "time to decision: %e s (wall), %U s user" $(RELEASE_BIN) plan Benchmarks/plan-team.yaml --quiet \
	  | sed -n '5,10p'

clean:
	rm -rf .build $(VENV)
