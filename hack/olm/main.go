// Command validate-bundle runs the Operator Framework's own bundle validators
// (github.com/operator-framework/api, the library behind `operator-sdk bundle validate`)
// on a bundle directory: manifests/ + metadata/annotations.yaml.
//
// Usage: validate-bundle [-k8s-version 1.34] DIR
//
// Errors make it exit 1; warnings are printed and do not fail.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
	"github.com/operator-framework/api/pkg/validation/errors"
)

func main() {
	k8sVersion := flag.String("k8s-version", "1.34",
		"Kubernetes version the bundle must install on (removed APIs are errors from it on)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: validate-bundle [-k8s-version X.Y] BUNDLE_DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	dir := flag.Arg(0)

	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot load the bundle: %v\n", dir, err)
		os.Exit(1)
	}

	// The default suite (CSV, CRDs, bundle consistency) plus what OperatorHub and
	// `operator-sdk bundle validate --select-optional suite=operatorframework` check.
	validators := validation.DefaultBundleValidators.WithValidators(
		validation.OperatorHubV2Validator,
		validation.StandardCapabilitiesValidator,
		validation.StandardCategoriesValidator,
		validation.GoodPracticesValidator,
		validation.AlphaDeprecatedAPIsValidator,
		validation.ObjectValidator,
	)
	objs := append(bundle.ObjectsToValidate(), map[string]string{"k8s-version": *k8sVersion})
	results := validators.Validate(objs...)

	failed := report(results)
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d validation error(s)\n", dir, failed)
		os.Exit(1)
	}
	fmt.Printf("%s: bundle %s is valid (operator-framework/api validators)\n", dir, bundle.CSV.GetName())
}

// report prints every error and warning and returns the number of errors.
func report(results []errors.ManifestResult) int {
	failed := 0
	for _, r := range results {
		for _, e := range r.Errors {
			fmt.Fprintf(os.Stderr, "ERROR   %s: %s\n", r.Name, e.Error())
			failed++
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(os.Stderr, "WARNING %s: %s\n", r.Name, w.Error())
		}
	}
	return failed
}
