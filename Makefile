# A thin front end over CMake: the two commands of the README's Quick start.
#   make demo    install what is missing, build canrun and the example server
#                variants, and show canrun's verdicts on them
#   make check   install what is missing, build (gcc, and clang with ASan+UBSan)
#                and run every test; then scan's threads under ThreadSanitizer
#   make fuzz SECONDS=N
#                every fuzz target of the ASan+UBSan build, N seconds each, one
#                after another; fails on any crash, leak, timeout or sanitizer report
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
SECONDS    ?= 60
FIXTURES   := $(CURDIR)/$(BUILD)/fixtures
ROOTS      := $(CURDIR)/$(BUILD)/roots
IMAGES     := $(CURDIR)/$(BUILD)/images

.PHONY: all deps build build-asan build-tsan check fuzz demo clean

all: build

deps:
	@scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCANRUN_WERROR=ON -DCANRUN_FIXTURES_DIR=$(FIXTURES) -DCANRUN_ROOTS_DIR=$(ROOTS) -DCANRUN_IMAGES_DIR=$(IMAGES)
	cmake --build $(BUILD) -j $(JOBS)

build-asan:
	CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCANRUN_WERROR=ON \
	  -DCANRUN_SANITIZE=ON -DCANRUN_FUZZ=ON -DCANRUN_FIXTURES_DIR=$(FIXTURES) -DCANRUN_ROOTS_DIR=$(ROOTS) -DCANRUN_IMAGES_DIR=$(IMAGES)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Only the program: its scan tests are what runs threads.
build-tsan:
	CC=clang cmake -S . -B $(TSAN_BUILD) -DCANRUN_WERROR=ON -DCANRUN_TSAN=ON
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target canrun

# The builds share the fixture and root folders, so each is built once.
check: deps build build-asan build-tsan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1 CANRUN=$(CURDIR)/$(TSAN_BUILD)/canrun FIXTURES=$(FIXTURES) \
	  CANRUN_ROOTS_DIR=$(ROOTS) CANRUN_IMAGES=$(IMAGES) bats tests/cli/scan.bats

# One target at a time: each fuzzer takes a core.
fuzz: build-asan
	cd $(ASAN_BUILD) && FUZZ_SECONDS=$(SECONDS) ctest -L '^fuzz$$' --output-on-failure \
	  --timeout $$(( $(SECONDS) + 600 ))

demo: deps build
	scripts/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
