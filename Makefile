# plainroute — see README.md. `make test` is what CI runs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: test unit build crds manifests k8s deps demo bench clean

## test: install what is missing, build the Kubernetes binaries (once), run unit + integration tests
test: deps
	@bin=$$(hack/k8s/build.sh) && $(MVN) verify -Dplainroute.k8s.bin=$$bin

## unit: unit tests only (no API server, seconds)
unit:
	$(MVN) test

## build: the operator jar (target/quarkus-app)
build:
	$(MVN) -DskipTests package

## crds: regenerate crds/ from the Java model (CrdsInSyncIT fails when they drift)
crds:
	$(MVN) -q verify -Dit.test=CrdsInSyncIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dplainroute.crds.update=true

## manifests: print what `kubectl apply -k config/default` installs (kustomize of the test kubectl)
manifests:
	@bin=$$(hack/k8s/build.sh) && $$bin/kubectl kustomize config/default

## k8s: build etcd, kube-apiserver, kube-controller-manager, kubectl into ~/.cache/plainroute
k8s:
	@hack/k8s/build.sh

deps:
	@hack/install-deps.sh

## bench: route programming through plainroute's netlink layer vs `ip -batch`, side by side (root)
bench: deps
	@$(MVN) -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
	@for n in 1000 5000 10000; do \
	  java -cp target/classes:$$(cat target/bench-classpath.txt) bench/RouteBench.java $$n 12; done

## demo: the lectures' 3-node cluster on one machine (comes with the end-to-end issue)
demo:
	@echo "make demo is not built yet: it comes with the end-to-end lab (see README, 'Status')." >&2; exit 2

clean:
	$(MVN) -q clean
