package cli

import (
	"bytes"
	"flag"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reefhq/reef/peer/p2p"
)

// portableDefaults makes the machine-specific defaults of the tree (the data directory, the
// number of CPUs) the same everywhere, for the generated documentation.
func portableDefaults(root *cobra.Command) {
	home, _ := os.UserHomeDir()
	for _, c := range docCommands(root) {
		table := strings.Join(tablePath(c), ".")
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			f.DefValue = strings.ReplaceAll(f.DefValue, p2p.DefaultDataDir(), "~/.local/share/reef")
			if home != "" {
				f.DefValue = strings.ReplaceAll(f.DefValue, home, "~")
			}
			if cpuDefaults[table] == f.Name && f.DefValue == strconv.Itoa(runtime.NumCPU()) {
				f.DefValue = "the number of CPUs"
			}
		})
	}
}

// updateOrCompare rewrites path with want under -update, else fails when they differ.
func updateOrCompare(t *testing.T, path, want string) {
	t.Helper()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is out of date with the commands; regenerate it with\n\n\tgo test ./internal/cli -run TestCLIReference -update\n\n(first difference at byte %d)", path, firstDiff(string(got), want))
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestCLIReference: docs/cli.md and the README's command table are what the command tree
// says (-update regenerates them).
func TestCLIReference(t *testing.T) {
	root := NewRoot(BuildInfo{Version: "dev"})
	portableDefaults(root)
	var ref bytes.Buffer
	if err := writeReference(&ref, root); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## reef devnet", "## reef bench particles", "## reef completion bash", "## reef config init", "--nodes int", "`[devnet]`", "REEF_DEVNET_<FLAG>"} {
		if !strings.Contains(ref.String(), want) {
			t.Errorf("the reference has no %q", want)
		}
	}
	updateOrCompare(t, "../../docs/cli.md", ref.String())

	const begin, end = "<!-- commands:begin (generated: go test ./internal/cli -run TestCLIReference -update) -->\n", "<!-- commands:end -->\n"
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(readme, []byte(begin)), bytes.Index(readme, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", begin, end)
	}
	var table bytes.Buffer
	writeCommandTable(&table, root, "docs/cli.md")
	want := string(readme[:i+len(begin)]) + table.String() + string(readme[j:])
	updateOrCompare(t, "../../README.md", want)
}
