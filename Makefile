# lessonbook — the two set-up commands:
#   make        install system packages, build (release), render the course into output/
#   make test   install system packages, swift test, check every lesson as a doctest
SHELL := /bin/bash
# Build and run: BLAS, GitHub-flavoured Markdown (cmark-gfm), zlib, the data set and KaTeX. Tests also drive a headless browser.
PACKAGES := pkg-config libopenblas-dev libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev dataset-fashion-mnist libjs-katex
TEST_PACKAGES := $(PACKAGES) chromium chromium-driver
SWIFT_BUILD_FLAGS ?=
# The CPU level release builds are compiled for (see Package.swift).
export LESSONBOOK_TARGET_CPU ?= $(shell if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then echo skylake-avx512; \
  elif grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo; then echo haswell; else echo x86-64; fi)
BIN = $(shell swift build -c release --show-bin-path)/lessonbook


.PHONY: all install install-test install-packages build render test check bench clean fuzz fuzz-replay

all: install build render

# Installs what is missing with apt-get; without the rights to, prints the exact line and stops.
install:
	@$(MAKE) --no-print-directory install-packages WANTED="$(PACKAGES)"

install-test:
	@$(MAKE) --no-print-directory install-packages WANTED="$(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(WANTED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) || exit 1; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) || exit 1; \
	  else \
	    echo "missing system packages; run:"; echo "  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build:
	@echo "release build for CPU level $(LESSONBOOK_TARGET_CPU) (set LESSONBOOK_TARGET_CPU=x86-64 for a portable binary)"
	swift build -c release $(SWIFT_BUILD_FLAGS)

render: build
	$(BIN) render lessons -o output

test: install-test
	LESSONBOOK_SCREENSHOTS=$(CURDIR)/output swift test
	@echo "release build for CPU level $(LESSONBOOK_TARGET_CPU)"
	swift build -c release $(SWIFT_BUILD_FLAGS)
	$(BIN) check lessons
	@$(MAKE) --no-print-directory fuzz-replay

# The fuzz corpus: the course, the golden scripts, the language guide and every input that
# once crashed (Tests/Fuzz/regressions). New inputs libFuzzer finds go to .build/fuzz-corpus.
FUZZ_SEEDS := lessons Tests/LessonScriptTests/Scripts docs Tests/Fuzz/regressions
FUZZ_SECONDS ?= 1800
FUZZ_BUILD := .build/fuzz

# Deterministic replay of the corpus through the fuzz harness, without libFuzzer (part of `make test`).
fuzz-replay:
	swift build -c release --product lessonbook-fuzz $(SWIFT_BUILD_FLAGS)
	$$(swift build -c release --show-bin-path)/lessonbook-fuzz $(FUZZ_SEEDS) 2>/dev/null

# libFuzzer on the harness for FUZZ_SECONDS (default 30 minutes); crashes land in .build/fuzz-artifacts.
fuzz:
	swift build -c release --product lessonbook-fuzz --build-path $(FUZZ_BUILD) \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING $(SWIFT_BUILD_FLAGS)
	mkdir -p .build/fuzz-corpus .build/fuzz-artifacts
	$$(swift build -c release --build-path $(FUZZ_BUILD) --show-bin-path)/lessonbook-fuzz \
	  -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=3072 -max_len=65536 \
	  -artifact_prefix=.build/fuzz-artifacts/ .build/fuzz-corpus $(FUZZ_SEEDS)

bench: install build
	$$(swift build -c release --show-bin-path)/lessonbook-bench all

clean:
	rm -rf .build output/*.html output/*.md
