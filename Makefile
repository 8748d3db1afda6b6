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


.PHONY: all install install-test install-packages build render test check bench clean

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
	swift build -c release $(SWIFT_BUILD_FLAGS)

render: build
	$(BIN) render lessons -o output

test: install-test
	LESSONBOOK_SCREENSHOTS=$(CURDIR)/output swift test
	swift build -c release $(SWIFT_BUILD_FLAGS)
	$(BIN) check lessons

bench: install build
	$$(swift build -c release --show-bin-path)/lessonbook-bench all

clean:
	rm -rf .build output/*.html output/*.md
