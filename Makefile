# plainroute — see README.md. `make test` is what CI runs.
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: test unit build image olm crds bundle manifests test-kind k8s deps demo demo-down e2e-scale bench bench-routes bench-drift bench-convergence bench-startup bench-alloc bench-scale alerts fuzz fuzz-short soak bad-input clean

## test: install what is missing, build the Kubernetes binaries (once), run unit + integration tests,
##       the short fuzz run and the bundle's validation; OLM and the images build beside (hack/test.sh)
test: deps
	@MVN="$(MVN)" hack/test.sh

## unit: unit tests only (no API server, seconds)
unit:
	$(MVN) test

## alerts: promtool check + unit tests of the alert rules (config/monitoring/prometheus; seconds).
##         `make test` runs the same through AlertRulesTest, and MonitoringE2E against a real Prometheus.
alerts: deps
	@promtool check rules config/monitoring/prometheus/plainroute-rules.yaml
	@cd config/monitoring/prometheus && promtool test rules plainroute-rules.test.yaml

## build: the operator jar (target/quarkus-app)
build:
	$(MVN) -DskipTests package

## image: the operator image from ./Containerfile, without a Docker daemon (buildah + debootstrap, root)
##        -> target/plainroute-image.tar (OCI archive). `make test` builds it for RealNodesE2E when stale.
image: build
	@hack/image/build.sh

## olm: OLM's operators and opm built from their Go modules, and the OLM path's images (olm, opm, the
##      bundle in two versions, a file-based catalog) as OCI archives; cached in ~/.cache/plainroute/olm.
##      OlmE2E installs plainroute with them (hack/olm/lab-olm.sh). Root (buildah).
olm:
	@hack/olm/images.sh

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

## bench: every benchmark, each side by side with its reference or floor in the same run (root)
bench: bench-routes bench-drift bench-convergence bench-startup bench-alloc bench-scale

## bench-routes: route add / dump / delete at 1,000 and 10,000 routes: plainroute's netlink layer
##               beside the C floor (bench/route_floor.c, built here with the system cc) and
##               `ip -batch`, plainroute's event subscription open all along (root)
ROUTE_ROUNDS ?= 9
bench-routes: deps
	@$(MVN) -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
	@command -v $(CC) >/dev/null || { echo "bench-routes builds its C floor with $(CC): install gcc" >&2; exit 1; }
	@$(CC) -O2 -Wall -o target/route-floor bench/route_floor.c
	@set -e -o pipefail; for n in 1000 10000; do \
	  java -cp target/classes:$$(cat target/bench-classpath.txt) bench/RouteBench.java $$n $(ROUTE_ROUNDS) target/route-floor \
	    | grep '^\[routes\]'; done

## bench-drift: a lab node's agent repairing 200 deletions of a peer route, timed by a listener of
##              the bench's own, beside a bare repairer (the floor) (root)
bench-drift: deps
	@$(MVN) -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
	@bench/with-lab.sh benchdrift 3 sh -c 'java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp target/classes:$$(cat target/bench-classpath.txt) bench/DriftBench.java $$LAB_NAME-node01 200'

## bench-convergence: 50 Nodes joining and leaving a lab of 3 running agents: until the route is in,
##                    and gone from, every node's kernel (root)
bench-convergence: deps
	@$(MVN) -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
	@bench/with-lab.sh benchconv 3 sh -c 'java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp target/classes:$$(cat target/bench-classpath.txt) bench/ConvergenceBench.java $$LAB_STATE $$LAB_NAME 3 50'

## bench-startup: agent start -> routes installed (alone, and NODES agents at once), agent RSS with
##                the lab's peers and with PEERS peer NodeNetworks (root; the lab of hack/lab)
PEERS ?= 1000,5000
bench-startup: deps build
	@bin=$$(hack/k8s/build.sh) && K8S_BIN=$$bin bench/startup-bench.sh --nodes $(NODES) --peers $(PEERS)

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

## fuzz: coverage-guided fuzzing (Jazzer) of the rtnetlink decoder and of CIDR/spec parsing, each
##       *FuzzTest for FUZZ_MINUTES (10) minutes in a JVM of its own. Crashing inputs land in
##       src/test/resources/.../<Test>Inputs/<method>/: commit them, `mvn test` replays them.
FUZZ_MINUTES ?= 10
fuzz:
	$(MVN) test -Pfuzz -Dfuzz.seconds=$$(( $(FUZZ_MINUTES) * 60 ))

## fuzz-short: the same for 20 s per target (part of `make test`, after the corpus replay of `mvn verify`)
fuzz-short:
	$(MVN) test -Pfuzz -Dfuzz.seconds=20

## soak: SOAK_MINUTES (30) minutes of node churn in the lab while pods talk; prints heap, file
##       descriptors, threads, routes and subnets at the start and the end, fails on a leak beyond
##       the bounds or a broken invariant (hack/lab/soak.sh; root). `make test` runs 3 min (SoakE2E).
SOAK_MINUTES ?= 30
soak: deps build
	@SOAK_MINUTES=$(SOAK_MINUTES) K8S_BIN=$$(hack/k8s/build.sh) hack/lab/soak.sh

## demo: the lectures' 3-node cluster on one machine, in network namespaces (root); stays up.
##       STACK=dual: the same with an IPv6 LAN and pod range beside the IPv4 ones; STACK=ipv6: IPv6 only
##       REAL=1: real nodes (containerd + kubelet per node), plainroute deployed from its manifests
##       with the image of `make image` (hack/lab/demo-real.sh; minutes, not seconds)
demo:
	@$(if $(REAL),hack/lab/demo-real.sh,$(if $(STACK),DEMO_STACK=$(STACK)) hack/lab/demo.sh)

## e2e-scale: the e2e scale variant (not in `make test`): NODES nodes with PODS pods each, full mesh
NODES ?= 20
PODS ?= 2
## bad-input: every row of docs/bad-input.md against a real API server (and the controller where
## plainroute repairs or reports); BadInputTableTest checks the table and the tests are in step
bad-input: deps
	@bin=$$(hack/k8s/build.sh) && $(MVN) verify -Dplainroute.k8s.bin=$$bin -Dtest=BadInputTableTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=BadInputMatrixIT,BadInputScenariosIT

e2e-scale: deps
	@set -o pipefail; bin=$$(hack/k8s/build.sh) && $(MVN) verify -Dplainroute.k8s.bin=$$bin -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=ClusterScale -Dplainroute.scale.nodes=$(NODES) -Dplainroute.scale.pods=$(PODS) | grep -E '\[scale\]|Tests run:|FAIL|ERROR'

## demo-down: removes everything `make demo` made
demo-down:
	@hack/lab/lab.sh --name demo down

clean:
	$(MVN) -q clean
