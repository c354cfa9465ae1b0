package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCompletionScripts: reef completion bash|zsh|fish prints a non-empty script for the
// reef command in that shell's completion language.
func TestCompletionScripts(t *testing.T) {
	for _, tt := range []struct{ shell, marker string }{
		{"bash", "__start_reef"},
		{"zsh", "#compdef reef"},
		{"fish", "complete -c reef"},
	} {
		t.Run(tt.shell, func(t *testing.T) {
			code, out, errOut := run(t, "", "completion", tt.shell)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if len(out) < 200 || !strings.Contains(out, "reef") || !strings.Contains(out, tt.marker) {
				t.Fatalf("not a %s completion script for reef (no %q):\n%.400s", tt.shell, tt.marker, out)
			}
		})
	}
}

// TestBashCompletionCompletes sources the bash script in bash and completes partial command
// lines through it, with this test binary standing in for the reef command.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + asReefEnv + "=1 exec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "reef"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	complete := func(line string) []string {
		t.Helper()
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		script := `
set -e
# bash-completion's _get_comp_words_by_ref, reduced to what the cobra script uses, unless the
# real one is loaded.
if ! declare -F _get_comp_words_by_ref >/dev/null; then
  _get_comp_words_by_ref() {
    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  }
fi
# compopt only works while bash runs a completion for real.
compopt() { :; }
source <(reef completion bash)
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE='` + line + `'
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
__start_reef
printf '%s\n' "${COMPREPLY[@]}"
`
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				got = append(got, l)
			}
		}
		slices.Sort(got)
		return got
	}
	for _, tt := range []struct {
		line string
		want []string
	}{
		{"reef de", []string{"demo", "deploy", "devnet"}},
		{"reef bench p", []string{"particles", "prover"}},
		{"reef config ", []string{"init", "path"}},
		{"reef config init --f", []string{"--force"}},
	} {
		if got := complete(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("%q completes to %q, want %q", tt.line, got, tt.want)
		}
	}
}
