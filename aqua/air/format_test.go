package air

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/format")

// TestFormatGolden pins the formatter's layout: testdata/format/NAME.air formats to
// testdata/format/NAME.golden. Regenerate with: go test -run TestFormatGolden -update
func TestFormatGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/format/*.air")
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := mustParse(t, string(src))
		got := Format(s.Root)
		golden := strings.TrimSuffix(f, ".air") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s: Format output differs from %s:\n%s", f, golden, got)
		}
		checkRoundTrip(t, f, s)
		// The golden output is itself in canonical form.
		if again := Format(mustParse(t, string(want)).Root); again != string(want) {
			t.Errorf("%s is not a fixed point of Format", golden)
		}
	}
}

// Format round-trips and is idempotent on every test script.
func TestFormatRoundTrip(t *testing.T) {
	for name, src := range testScripts(t) {
		checkRoundTrip(t, name, mustParse(t, src))
	}
}

func TestFormatLayout(t *testing.T) {
	long := `(call %init_peer_id% ("a-rather-long-service-name" "and-a-function") [] result-variable)`
	tests := []struct{ src, want string }{
		{`(null)`, "(null)\n"},
		{`(seq   (null)
		 (never))`, "(seq (null) (never))\n"},
		{`(fold [] i (next i) (never))`, "(fold [] i (next i) (never))\n"},
		// Leaves stay on one line even when longer than the width.
		{long, long + "\n"},
		// A compound form that does not fit is split, children indented by two.
		{`(seq ` + long + ` (null))`, "(seq\n  " + long + "\n  (null))\n"},
		{`(new $s (fold $s i (seq ` + long + ` (next i)) (null)))`,
			"(new $s\n  (fold $s i\n    (seq\n      " + long + "\n      (next i))\n    (null)))\n"},
		{`(match 1 2 ` + long + `)`, "(match 1 2\n  " + long + ")\n"},
		{`(mismatch 1 2 ` + long + `)`, "(mismatch 1 2\n  " + long + ")\n"},
		// Exactly 80 characters fit; 81 do not.
		{`(seq (call "p" ("s" "f") ["` + strings.Repeat("a", 42) + `"]) (null))`,
			`(seq (call "p" ("s" "f") ["` + strings.Repeat("a", 42) + `"]) (null))` + "\n"},
		{`(seq (call "p" ("s" "f") ["` + strings.Repeat("a", 43) + `"]) (null))`,
			"(seq\n  (call \"p\" (\"s\" \"f\") [\"" + strings.Repeat("a", 43) + "\"])\n  (null))\n"},
		// Width counts characters, not bytes.
		{`(seq (call "p" ("s" "f") ["` + strings.Repeat("é", 42) + `"]) (null))`,
			`(seq (call "p" ("s" "f") ["` + strings.Repeat("é", 42) + `"]) (null))` + "\n"},
		// A compound containing a multi-line literal is never on one line.
		{"(seq (null) (ap \"a\nb\" x))", "(seq\n  (null)\n  (ap \"a\nb\" x))\n"},
		// Floats stay floats; flattening marks and lens forms are normalized.
		{`(ap 1.0 x)`, "(ap 1.0 x)\n"},
		{`(ap -0.0 x)`, "(ap -0.0 x)\n"},
		{`(ap +1.50 x)`, "(ap 1.5 x)\n"},
		{`(ap 1234567890. x)`, "(ap 1234567890. x)\n"},
		{`(ap -123456789. x)`, "(ap -123456789. x)\n"},
		{`(ap 123456789. x)`, "(ap 123456789.0 x)\n"},
		{`(ap +3 x)`, "(ap 3 x)\n"},
		{`(new x (ap x.$[0].a[i]! y))`, "(new x (ap x.$.[0].a.[i]! y))\n"},
		{`(call "p" ("s" "f") [ [ ] ])`, "(call \"p\" (\"s\" \"f\") [[]])\n"},
	}
	for _, tt := range tests {
		src := tt.src
		if strings.Contains(src, "[i]") {
			src = "(new i " + src + ")"
			tt.want = "(new i " + strings.TrimSuffix(tt.want, "\n") + ")\n"
		}
		s := mustParse(t, src)
		if got := Format(s.Root); got != tt.want {
			t.Errorf("Format(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
		}
		checkRoundTrip(t, tt.src, s)
	}
	if Format(nil) != "" {
		t.Error("Format(nil) != \"\"")
	}
}

// Indentation stops growing at maxIndent so that output stays linear in the input.
func TestFormatIndentCap(t *testing.T) {
	const depth = 150
	src := strings.Repeat(`(seq (call "p" ("s" "f") [] x) `, depth) + "(null)" + strings.Repeat(")", depth)
	s := mustParse(t, src)
	out := Format(s.Root)
	maxLead := 0
	for _, line := range strings.Split(out, "\n") {
		maxLead = max(maxLead, len(line)-len(strings.TrimLeft(line, " ")))
	}
	if maxLead != maxIndent {
		t.Errorf("deepest indentation %d, want %d", maxLead, maxIndent)
	}
	checkRoundTrip(t, "deep", s)
}
