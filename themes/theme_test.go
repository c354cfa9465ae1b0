package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsValidate(t *testing.T) {
	names := Names()
	if len(names) != 3 || names[0] != Default {
		t.Fatalf("built-ins %v, want 3 with %q first", names, Default)
	}
	for _, n := range names {
		th, ok := Builtin(n)
		if !ok {
			t.Fatalf("%s is listed but not found", n)
		}
		if err := th.Validate(); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		if NewStyles(th).Theme.Name != n {
			t.Errorf("%s: styles carry the wrong theme", n)
		}
	}
}

func TestNextCycles(t *testing.T) {
	seen := []string{}
	name := Default
	for range 3 {
		name = Next(name).Name
		seen = append(seen, name)
	}
	if strings.Join(seen, ",") != "light,high-contrast,dark" {
		t.Fatalf("cycle %v", seen)
	}
	if Next("my-file-theme").Name != Default {
		t.Fatal("a user theme does not cycle to the first built-in")
	}
}

func writeTheme(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPartialUserTheme(t *testing.T) {
	p := writeTheme(t, "ocean.toml", "base = \"light\"\naccent = \"#0077be\"\nfocus_border = \"33\"\n")
	th, err := Resolve(p)
	if err != nil {
		t.Fatal(err)
	}
	light, _ := Builtin("light")
	if th.Name != "ocean" || th.Accent != "#0077be" || th.FocusBorder != "33" {
		t.Fatalf("theme %+v", th)
	}
	if th.Background != light.Background || th.Err != light.Err {
		t.Fatalf("unset colours not taken from the base: %+v", th)
	}
	// Without a base, the default theme fills in.
	th, err = Load(writeTheme(t, "x.toml", "name = \"mine\"\nerr = \"#f00\"\n"))
	dark, _ := Builtin(Default)
	if err != nil || th.Name != "mine" || th.Err != "#f00" || th.Muted != dark.Muted {
		t.Fatalf("theme %+v, err %v", th, err)
	}
}

func TestBadThemesGiveClearErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"syntax.toml", "accent = \n", "syntax.toml"},
		{"colour.toml", "accent = \"blue-ish\"\n", `accent = "blue-ish" is not a colour`},
		{"key.toml", "acent = \"#fff\"\n", "unknown keys acent"},
		{"base.toml", "base = \"solarized\"\n", `base "solarized" is not a built-in theme`},
	} {
		_, err := Resolve(writeTheme(t, tc.name, tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	if _, err := Resolve("nope"); err == nil || !strings.Contains(err.Error(), "dark, light, high-contrast") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := Resolve("/nonexistent/t.toml"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}
