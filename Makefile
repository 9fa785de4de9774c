# A thin front end over CMake: the two commands of the README's Quick start.
#   make demo    install what is missing, build canrun and the example server
#                variants, and show canrun's verdicts on them
#   make check   install what is missing, build (gcc, and clang with ASan+UBSan)
#                and run every test; then scan's threads under ThreadSanitizer
#   make static  build/canrun-static, one statically linked program
#   make deb     build/canrun_VERSION_amd64.deb, with Debian's tooling
#   make fuzz SECONDS=N
#                build the ASan+UBSan fuzz build and run every fuzz target
#                (the tests labelled "fuzz") one after another, N seconds each;
#                fails on any crash, leak, timeout or sanitizer report
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
SECONDS    ?= 60
FIXTURES   := $(CURDIR)/$(BUILD)/fixtures
ROOTS      := $(CURDIR)/$(BUILD)/roots
IMAGES     := $(CURDIR)/$(BUILD)/images
SARIF      := $(CURDIR)/$(BUILD)/sarif-schema

.PHONY: all deps build build-asan build-tsan check fuzz demo static deb clean

all: build

deps:
	@scripts/install-deps.sh

CONFIGURE  := cmake -S . -B $(BUILD) -DCANRUN_WERROR=ON -DCANRUN_FIXTURES_DIR=$(FIXTURES) \
              -DCANRUN_ROOTS_DIR=$(ROOTS) -DCANRUN_IMAGES_DIR=$(IMAGES) -DCANRUN_SARIF_SCHEMA_DIR=$(SARIF)

build:
	$(CONFIGURE)
	cmake --build $(BUILD) -j $(JOBS)

# -O1 keeps asserts and readable reports and runs the suite about 1.5x faster
# than -O0.
build-asan:
	CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DCANRUN_WERROR=ON \
	  -DCANRUN_SANITIZE=ON -DCANRUN_FUZZ=ON -DCANRUN_FIXTURES_DIR=$(FIXTURES) -DCANRUN_ROOTS_DIR=$(ROOTS) -DCANRUN_IMAGES_DIR=$(IMAGES) \
	  -DCANRUN_SARIF_SCHEMA_DIR=$(SARIF)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Only the program: its scan and per-file tests are what runs threads.
build-tsan:
	CC=clang cmake -S . -B $(TSAN_BUILD) -DCANRUN_WERROR=ON -DCANRUN_TSAN=ON
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target canrun

# The builds share the fixture, root and SARIF schema folders, so each is made once.
# The root filesystems start building first, in the background: debootstrap
# mostly waits on the archive, so it overlaps the compiles and the first
# fixtures. The roots.make test waits on the same lock and then finds them done
# (or builds them again and reports what failed).
check: deps
	@mkdir -p $(ROOTS)
	tests/roots/make-roots.sh $(ROOTS) > $(ROOTS)/prefetch.log 2>&1 &
	$(MAKE) build build-asan build-tsan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1 CANRUN=$(CURDIR)/$(TSAN_BUILD)/canrun FIXTURES=$(FIXTURES) \
	  CANRUN_ROOTS_DIR=$(ROOTS) CANRUN_IMAGES=$(IMAGES) bats tests/cli/scan.bats tests/cli/per_file.bats

# The CMake target canrun-static; its nested build lives in $(BUILD)/static.
static:
	$(CONFIGURE)
	cmake --build $(BUILD) --target canrun-static -- -j $(JOBS)

# dpkg-buildpackage in a copy of the tree under $(BUILD)/deb; lintian errors fail it.
deb:
	scripts/build-deb.sh $(BUILD)

# One target at a time (each fuzzer takes a core); FUZZ_SECONDS overrides the
# short CI time each test is registered with, and the timeout grows with it.
fuzz: build-asan
	cd $(ASAN_BUILD) && FUZZ_SECONDS=$(SECONDS) ctest -L '^fuzz$$' --output-on-failure \
	  --timeout $$(( $(SECONDS) + 900 ))

demo: deps build
	scripts/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
