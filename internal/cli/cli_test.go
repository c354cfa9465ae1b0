package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = executeWithInput(context.Background(), BuildInfo{Version: "1.2.3", Commit: "abc"}, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLI(t *testing.T) {
	echo := "../../testdata/air/echo.air"
	greet := "../../testdata/air/greet_relay.air"
	argsFile := writeTemp(t, "args.json", `{"s":"hi"}`)
	badAir := writeTemp(t, "bad.air", "(seq\n  (call %init_peer_id% (\"s\" \"f\") [] x)\n  (call x (\"s\") [] y))\n")
	messy := writeTemp(t, "messy.air", `(seq (null)   ; comment
	(call "p" ("s" "f") [1 2.5 "x"] $r))`)
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string // exact, when set
		stderrHas  []string
		stdoutHas  []string
		stdoutNone bool
	}{
		{name: "version", args: []string{"version"}, stdoutHas: []string{"reef 1.2.3", "commit abc", "AquaVM 0.62.0"}},
		{name: "help lists only working commands", args: []string{"--help"}, stdoutHas: []string{"air", "version", "demo", "node", "devnet", "run", "--theme", "--no-devnet", "reef.log"}},
		{name: "console needs a terminal", args: nil, code: ExitBadInput, stderrHas: []string{"needs a terminal"}},
		{name: "console with an unknown theme", args: []string{"--theme", "solarized"}, code: ExitBadInput, stderrHas: []string{"--theme", "dark, light, high-contrast"}},
		{name: "console with a bad theme file", args: []string{"--theme", writeTemp(t, "t.toml", "accent = \"blue\"\n")}, code: ExitBadInput, stderrHas: []string{`accent = "blue" is not a colour`}},
		{name: "console with a bad log level", args: []string{"--log-level", "loud"}, code: ExitBadInput, stderrHas: []string{"--log-level"}},
		{name: "console with a bad history", args: []string{"--history", "0"}, code: ExitBadInput, stderrHas: []string{"--history"}},
		{name: "demo needs enough nodes", args: []string{"demo", "--nodes", "3"}, code: ExitBadInput, stderrHas: []string{"--nodes 3"}},
		{name: "demo needs a terminal", args: []string{"demo"}, code: ExitBadInput, stderrHas: []string{"needs a terminal"}},
		{name: "unknown command", args: []string{"frobnicate"}, code: ExitBadInput, stderrHas: []string{"unknown command"}},
		{name: "check ok", args: []string{"air", "check", echo}, stdoutNone: true},
		{name: "check bad script shows line, column and caret", args: []string{"air", "check", badAir}, code: ExitBadInput,
			stderrHas: []string{"bad.air", "3:", "^"}},
		{name: "check missing file", args: []string{"air", "check", "/nonexistent.air"}, code: ExitBadInput, stderrHas: []string{"no such file"}},
		{name: "fmt", args: []string{"air", "fmt", messy}, stdoutHas: []string{"(seq", "(null)", `(call "p" ("s" "f") [1 2.5 "x"] $r)`}},
		{name: "fmt from stdin", args: []string{"air", "fmt", "-"}, stdin: "(null)", stdout: "(null)\n"},
		{name: "run with args file prints the result", args: []string{"air", "run", "--args-file", argsFile, echo}, stdout: "\"hi\"\n"},
		{name: "run with --arg", args: []string{"air", "run", "--arg", `s="yo"`, echo}, stdout: "\"yo\"\n"},
		{name: "run through the relay and builtins", args: []string{"air", "run", "--arg", `name="reef"`, greet}, stdout: "\"hello, reef\"\n"},
		{name: "run with a missing argument fails", args: []string{"air", "run", echo}, code: ExitFailure,
			stderrHas: []string{"argument 's' was not given"}},
		{name: "run with a non-JSON argument", args: []string{"air", "run", "--arg", "s=hi", echo}, code: ExitBadInput,
			stderrHas: []string{"not JSON", `s='"text"'`}},
		{name: "run with a bad args file", args: []string{"air", "run", "--args-file", writeTemp(t, "a.json", "[1]"), echo}, code: ExitBadInput,
			stderrHas: []string{"JSON object"}},
		{name: "run a bad script", args: []string{"air", "run", badAir}, code: ExitBadInput, stderrHas: []string{"^"}},
		{name: "run with trace", args: []string{"air", "run", "--trace", "--arg", `s="t"`, echo}, stdout: "\"t\"\n",
			stderrHas: []string{`getDataSrv`, "requested", "applied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if tt.stdout != "" && out != tt.stdout {
				t.Errorf("stdout = %q, want %q", out, tt.stdout)
			}
			if tt.stdoutNone && out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(out, s) {
					t.Errorf("stdout %q does not contain %q", out, s)
				}
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr %q does not contain %q", errOut, s)
				}
			}
		})
	}
}

func TestFmtWrite(t *testing.T) {
	p := writeTemp(t, "x.air", "(seq (null) (null))")
	if code, _, errOut := run(t, "", "air", "fmt", "-w", p); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(p)
	code, out, _ := run(t, "", "air", "fmt", p)
	if code != 0 || out != string(b) {
		t.Fatalf("fmt -w did not write the canonical form: %q vs %q", b, out)
	}
}
