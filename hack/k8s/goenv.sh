# Sourced by the hack/k8s scripts: keep Go's module and build caches in the user's cache
# directory so that a second build (and a second `make test`) reuses them.
export PLAINROUTE_CACHE="${PLAINROUTE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plainroute}"
export GOMODCACHE="${PLAINROUTE_CACHE}/go/mod"
export GOCACHE="${PLAINROUTE_CACHE}/go/build"
# Builds use exactly the pinned go.mod and go.sum (pin.sh regenerates them).
export GOFLAGS="-mod=readonly"
# A Go older than go.mod asks for fetches the right toolchain from the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
export CGO_ENABLED=0
# `go build` with the compiler's garbage collector running 4x less often: on these 2-core machines
# the compiler spends a fifth of its CPU in GC at the default GOGC=100. Measured on the OLM bundle
# validator from an empty build cache: 111-123 s at 100, 89 s at 400, 97 s at 1000; peak memory
# 0.46-0.56 GB -> 0.62 GB. Only the build gets it: the programs it builds run with Go's default.
go_build() { GOGC="${PLAINROUTE_GO_BUILD_GOGC:-400}" go build "$@"; }
