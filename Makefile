# plainroute — see README.md. `make test` is what CI runs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: test unit build image crds bundle manifests test-kind k8s deps demo demo-down e2e-scale bench bench-alloc bench-scale clean

## test: install what is missing, build the Kubernetes binaries (once), run unit + integration tests
test: deps
	@hack/olm/validate.sh bundle
	@bin=$$(hack/k8s/build.sh) && $(MVN) verify -Dplainroute.k8s.bin=$$bin

## unit: unit tests only (no API server, seconds)
unit:
	$(MVN) test

## build: the operator jar (target/quarkus-app)
build:
	$(MVN) -DskipTests package

## image: the operator image from ./Containerfile, without a Docker daemon (buildah + debootstrap, root)
##        -> target/plainroute-image.tar (OCI archive). Not part of `make test`.
image: build
	@hack/image/build.sh

## crds: regenerate crds/ from the Java model (CrdsInSyncIT fails when they drift)
crds:
	$(MVN) -q verify -Dit.test=CrdsInSyncIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dplainroute.crds.update=true

## bundle: regenerate the OLM bundle in bundle/ from the code and config/ (BundleInSyncIT fails when
## it drifts), then validate it with the Operator Framework's validators (hack/olm)
bundle:
	$(MVN) -q verify -Dit.test=BundleInSyncIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dplainroute.bundle.update=true
	@hack/olm/validate.sh bundle

## manifests: print what `kubectl apply -k config/default` installs (kustomize of the test kubectl)
manifests:
	@bin=$$(hack/k8s/build.sh) && $$bin/kubectl kustomize config/default

## test-kind: optional, for machines with a Docker engine: config/default deployed into kind
##            through Testcontainers (KindIT; needs `make image` first). Not part of `make test`.
test-kind:
	$(MVN) verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KindIT

## k8s: build etcd, kube-apiserver, kube-controller-manager, kubectl into ~/.cache/plainroute
k8s:
	@hack/k8s/build.sh

deps:
	@hack/install-deps.sh

## bench: route programming through plainroute's netlink layer vs `ip -batch`, side by side (root),
##        then bench-alloc and bench-scale
bench: deps bench-alloc bench-scale
	@$(MVN) -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
	@for n in 1000 5000 10000; do \
	  java -cp target/classes:$$(cat target/bench-classpath.txt) bench/RouteBench.java $$n 12; done

## bench-alloc: a burst of ALLOC_NODES Nodes: plainroute's controller vs kube-controller-manager's
##              nodeipam (default and raised client limits), fresh control plane each, ALLOC_ROUNDS
##              rounds interleaved; wall times, per-node latency p50/p99, API writes per node
ALLOC_NODES ?= 1000
ALLOC_ROUNDS ?= 3
bench-alloc: deps
	@$(MVN) -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-test-classpath.txt
	@set -o pipefail; bin=$$(hack/k8s/build.sh) && java -Dplainroute.k8s.bin=$$bin -cp target/classes:target/test-classes:$$(cat target/bench-test-classpath.txt) \
	  bench/AllocBench.java $(ALLOC_NODES) $(ALLOC_ROUNDS) | grep '^\[alloc\]'

## bench-scale: a lab with 2 agent nodes and Node objects up to each of SCALE_TOTALS (root): RSS and
##              live heap of controller and agents, allocation and route convergence times
SCALE_TOTALS ?= 1000 5000
bench-scale: deps build
	@bench/scale.sh $(SCALE_TOTALS)

## demo: the lectures' 3-node cluster on one machine, in network namespaces (root); stays up
demo:
	@hack/lab/demo.sh

## e2e-scale: the e2e scale variant (not in `make test`): NODES nodes with PODS pods each, full mesh
NODES ?= 20
PODS ?= 2
e2e-scale: deps
	@set -o pipefail; bin=$$(hack/k8s/build.sh) && $(MVN) verify -Dplainroute.k8s.bin=$$bin -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=ClusterScale -Dplainroute.scale.nodes=$(NODES) -Dplainroute.scale.pods=$(PODS) | grep -E '\[scale\]|Tests run:|FAIL|ERROR'

## demo-down: removes everything `make demo` made
demo-down:
	@hack/lab/lab.sh --name demo down

clean:
	$(MVN) -q clean
