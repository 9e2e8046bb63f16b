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
