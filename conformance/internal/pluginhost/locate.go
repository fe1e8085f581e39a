package pluginhost

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// ModulePath is this Go module; used to recognise its go.mod when searching
// upwards from the working directory.
const ModulePath = "github.com/sluice/conformance"

// PluginEnvVar overrides the executable under test (e.g. the reference plugin).
const PluginEnvVar = "SLUICE_PLUGIN"

// ModuleRoot finds the conformance module directory by walking up from the
// working directory (go test runs in the package dir, go run in the caller's),
// falling back to this source file's location.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err == nil {
		for {
			if isThisModule(filepath.Join(dir, "go.mod")) {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if isThisModule(filepath.Join(root, "go.mod")) {
			return filepath.Clean(root), nil
		}
	}
	return "", errors.New("pluginhost: cannot find the conformance module root (go.mod of " + ModulePath + ")")
}

func isThisModule(goMod string) bool {
	b, err := os.ReadFile(goMod)
	return err == nil && bytes.Contains(b, []byte("module "+ModulePath+"\n"))
}

// DistDir is the repository's build output (../dist relative to the module).
func DistDir() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "..", "dist"), nil
}

// LauncherName is the file name Grafana executes: <executable>_<os>_<arch>.
func LauncherName() string {
	return fmt.Sprintf("gpx_sluice_%s_%s", runtime.GOOS, runtime.GOARCH)
}

// SluiceLauncher is the path of the built Sluice launcher, checked to exist.
func SluiceLauncher() (string, error) {
	dist, err := DistDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dist, LauncherName())
	if err := mustBeExecutable(path); err != nil {
		return "", fmt.Errorf("Sluice launcher missing: %w; run `npm run build:backend` in the repository root first", err)
	}
	return path, nil
}

// TargetExecutable is the plugin under test: $SLUICE_PLUGIN if set, else the
// Sluice launcher. The bool reports whether it is the Sluice launcher, so
// Sluice-only checks (sidecar, frames CLI) can tell.
func TargetExecutable() (path string, isSluice bool, err error) {
	if override := os.Getenv(PluginEnvVar); override != "" {
		abs, err := filepath.Abs(override)
		if err != nil {
			return "", false, err
		}
		if err := mustBeExecutable(abs); err != nil {
			return "", false, fmt.Errorf("%s: %w", PluginEnvVar, err)
		}
		launcher, lerr := SluiceLauncher()
		return abs, lerr == nil && sameFile(abs, launcher), nil
	}
	path, err = SluiceLauncher()
	return path, err == nil, err
}

func mustBeExecutable(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() || st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}

func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
