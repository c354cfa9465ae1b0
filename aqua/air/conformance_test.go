package air

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConformanceScripts parses every compiled Aqua script of the repository's
// conformance suite (../../testdata/conformance/*.air, if any) and checks that
// Parse→Format→Parse round-trips. It passes when there are no such files.
func TestConformanceScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "conformance", "*.air"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Log("no conformance scripts found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, f, mustParse(t, string(src)))
		})
	}
}
