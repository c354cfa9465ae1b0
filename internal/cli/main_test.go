package cli

import (
	"context"
	"os"
	"testing"
)

// asReefEnv makes the test binary act as the reef command (the shell-completion test runs
// the completion script, which calls reef).
const asReefEnv = "REEF_CLI_TEST_AS_REEF"

func TestMain(m *testing.M) {
	if os.Getenv(asReefEnv) == "1" {
		os.Exit(Execute(context.Background(), BuildInfo{Version: "test"}, os.Args[1:], os.Stdout, os.Stderr))
	}
	// The developer's environment and configuration file must not reach the tests: no
	// REEF_* variable is seen, and the default configuration file is in an empty directory.
	// Tests that need them pass a configEnv in the context (withConfigEnv).
	dir, err := os.MkdirTemp("", "reef-cli-test-config")
	if err != nil {
		panic(err)
	}
	processEnv = configEnv{
		lookup:    func(string) (string, bool) { return "", false },
		configDir: func() (string, error) { return dir, nil },
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
