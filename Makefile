# The vMotion Lab Kit. Two commands on a fresh machine (see README.md):
#   make lab    install, get the simulator, open JupyterLab on the labs
#   make test   install and pass the tests
PYTHON ?= python3
GO ?= go
VENV := .venv
PY := $(VENV)/bin/python
BIN := .build/bin
# Every Go source of the tools module, so that any edit there rebuilds the binaries.
GO_SOURCES := $(shell find docker/go -name '*.go' -o -name go.mod -o -name go.sum)

.PHONY: lab test lint install sim-tools go-test govc-suite simulator browser stop reset labs bench clean

# JupyterLab with .venv/bin and .build/bin first on the PATH of its kernels and terminals
# (lablib/labserver.py); as root it adds --allow-root and says so. JUPYTER_ARGS are passed on.
lab: install simulator
	$(PY) -m lablib sim start
	$(PY) -m lablib lab $(JUPYTER_ARGS)

test: install lint sim-tools go-test browser
	$(PY) -m pytest --nbval-lax --nbval-current-env $(PYTEST_ARGS)

# ruff (pyproject.toml's rules) on the Python code, mypy on lablib and tools, gofmt and go vet
# on the simulator's Go code.
lint: install
	$(VENV)/bin/ruff check lablib tools tests
	$(VENV)/bin/mypy
	@out=$$(gofmt -l docker/go); if [ -n "$$out" ]; then echo "gofmt would change: $$out" >&2; exit 1; fi
	cd docker/go && $(GO) vet ./...

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# vcsim and govc pinned to govmomi v0.56.0, built with Go (>= 1.25) into .build/bin.
sim-tools: $(BIN)/vcsim $(BIN)/govc

$(BIN)/vcsim $(BIN)/govc &: $(GO_SOURCES)
	@command -v $(GO) >/dev/null || { echo "Go >= 1.25 is needed to build vcsim and govc (or use Docker: see README.md)." >&2; exit 1; }
	@$(GO) env GOVERSION | awk -F'[go.]' '{ if ($$3 < 1 || ($$3 == 1 && $$4 < 25)) { print "Go " $$0 " is too old: vcsim v0.56.0 needs Go >= 1.25." > "/dev/stderr"; exit 1 } }'
	mkdir -p $(BIN)
	cd docker/go && $(GO) build -trimpath -ldflags "-s -w -X github.com/vmware/govmomi/cli/flags.BuildVersion=v0.56.0" -o ../../$(BIN)/ ./vcsim ./govc

# Go tests of the kit's vcsim main (and of the extension), with the race detector.
go-test:
	cd docker/go && $(GO) test -race ./...

# govmomi's govc bats suite (govc/test at v0.56.0, kept OUTSIDE the repository) against the
# kit's vcsim and govc: make govc-suite GOVC_TEST=/path/to/govc/test (docker/go/README.md).
# VCSIM_LAB_EXTENSION=false (the default here) runs vcsim as stock vcsim; true, with the
# kit's extension. GOVC_SUITE_FILES picks the bats files (names without .bats).
GOVC_TEST ?=
VCSIM_LAB_EXTENSION ?= false
GOVC_SUITE_FILES ?= host vm cluster events fields tasks datastore network object ls folder \
	pool device disk snapshot session role metric license tags alarms datacenter extension \
	storage volume vsan cli esxcli firewall gpu kms namespace sso vlcm vm_dataset logs guest \
	export library import vcsim vcsa_access_consolecli vcsa_access_dcui vcsa_access_shell \
	vcsa_access_ssh vcsa_shutdown
govc-suite: sim-tools
	@test -f "$(GOVC_TEST)/test_helper.bash" || { echo "Set GOVC_TEST to govmomi v0.56.0's govc/test folder (docker/go/README.md says how to get it)." >&2; exit 1; }
	VCSIM_LAB_EXTENSION=$(VCSIM_LAB_EXTENSION) docker/go/govc-suite.sh "$(GOVC_TEST)" $(BIN) .build/govc-suite $(GOVC_SUITE_FILES)

# The simulator for `make lab`: built with Go when Go is there, else Docker's image.
simulator:
	@if command -v $(GO) >/dev/null; then $(MAKE) --no-print-directory sim-tools; \
	elif docker info >/dev/null 2>&1; then echo "Go not found: lablib will run the vmware/vcsim:v0.56.0 image with Docker."; \
	else echo "Neither Go (>= 1.25) nor a running Docker engine: install one of them (README.md)." >&2; exit 1; fi

# Debian's Chromium for the browser test (no browser download: Playwright drives this one).
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "The browser test needs Chromium at /usr/bin/chromium: install it (Debian/Ubuntu: apt-get install chromium)." >&2; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

# Regenerate the lab notebooks from labs/src (see labs/README.md).
labs: install
	$(PY) -m tools.labsource

bench: install sim-tools
	$(PY) -m tools.bench

stop: install
	$(PY) -m lablib sim stop

reset: install
	$(PY) -m lablib sim reset

clean:
	rm -rf $(VENV) .build
