# P2PShare build, test, demo and benchmark entry points.
DOTNET ?= dotnet
CONFIG ?= Release
OUT := out
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all build test demo bench release clean format images

all: build

# Ahead-of-time compiled (ReadyToRun) for this machine, so a node spends its CPU on moving data, not in the JIT.
PUBLISH := -c $(CONFIG) --use-current-runtime -p:PublishReadyToRun=true --nologo -v quiet
# The peer is one composite image with the runtime it ships with: generic code over the framework's types (every
# async state machine) is compiled ahead of time too, which only works inside one version bubble. With nearly
# everything precompiled, tiered re-compilation costs more than it gains, so it is off.
PEER_PUBLISH := $(PUBLISH) --self-contained true -p:PublishReadyToRunComposite=true -p:TieredCompilation=false

## build: publish the tracker and peer into out/ and link them as bin/tracker and bin/peer
build:
	$(DOTNET) publish src/P2PShare.Tracker $(PUBLISH) --self-contained false -o $(OUT)/tracker
	$(DOTNET) publish src/P2PShare.Peer $(PEER_PUBLISH) -o $(OUT)/peer
	mkdir -p bin
	ln -sfn ../$(OUT)/tracker/tracker bin/tracker
	ln -sfn ../$(OUT)/peer/peer bin/peer
	@echo "built bin/tracker and bin/peer"

## test: build, then run every test project; prints 'N passed, N failed, N skipped'
test: build
	scripts/run-tests.sh

## demo: tracker + two peers on loopback, share, download, verify
demo: build
	scripts/demo.sh

## bench: benchmarks side by side with the tools a user would pick instead; writes docs/benchmarks.md
bench: build
	scripts/bench.sh

## images: build the tracker and peer container images with podman and run them (tracker /health, a peer image
## downloads a file another peer image shares); makes local base and SDK images where no registry is reachable
images:
	scripts/images.sh

## release: self-contained single-file binaries in bin/
release:
	scripts/release.sh

format:
	$(DOTNET) format P2PShare.slnx

clean:
	rm -rf bin $(OUT) TestResults
	find src tests bench -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
