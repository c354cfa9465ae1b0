package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reefhq/reef/peer/p2p"
)

// testEnv is an environment with the given variables and a configuration directory.
func testEnv(configDir string, vars map[string]string) configEnv {
	return configEnv{
		lookup:    func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		configDir: func() (string, error) { return configDir, nil },
	}
}

// runEnv runs the command line on root (NewRoot when nil) in env.
func runEnv(t *testing.T, root *cobra.Command, env configEnv, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if root == nil {
		root = NewRoot(BuildInfo{Version: "1.2.3"})
	}
	var out, errb bytes.Buffer
	code = executeRoot(withConfigEnv(context.Background(), env), root, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// probe is a command with one flag of each kind, added to a real command tree: the
// configuration is applied to it exactly as to every other command.
type probe struct {
	name    string
	count   int
	items   []string
	wait    time.Duration
	on      bool
	changed []string // flags that count as changed when the command runs
}

func probeRoot(p *probe) *cobra.Command {
	root := NewRoot(BuildInfo{Version: "1.2.3"})
	cmd := &cobra.Command{
		Use:  "probe",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.Flags().VisitAll(func(f *pflag.Flag) {
				if f.Changed {
					p.changed = append(p.changed, f.Name)
				}
			})
			return nil
		},
	}
	cmd.Flags().StringVar(&p.name, "name", "def", "a string")
	cmd.Flags().IntVar(&p.count, "count", 1, "an int")
	cmd.Flags().StringArrayVar(&p.items, "item", nil, "a repeatable flag")
	cmd.Flags().DurationVar(&p.wait, "wait", time.Second, "a duration")
	cmd.Flags().BoolVar(&p.on, "on", false, "a bool")
	root.AddCommand(cmd)
	return root
}

func TestConfigPrecedence(t *testing.T) {
	fullFile := `[probe]
name = "file"
count = 3
item = ["a", "b"]
wait = "2s"
on = true
`
	tests := []struct {
		name    string
		file    string            // the default configuration file (<config dir>/reef/config.toml)
		env     map[string]string // the environment
		args    []string          // after "probe"
		want    probe
		changed []string
	}{
		{name: "defaults", want: probe{name: "def", count: 1, wait: time.Second}},
		{name: "file", file: fullFile, want: probe{name: "file", count: 3, items: []string{"a", "b"}, wait: 2 * time.Second, on: true},
			changed: []string{"count", "item", "name", "on", "wait"}},
		{name: "file repeating the defaults changes nothing", file: "[probe]\nname = \"def\"\ncount = 1\nitem = []\nwait = \"1s\"\non = false\n",
			want: probe{name: "def", count: 1, items: []string{}, wait: time.Second}},
		{name: "generic env over file", file: fullFile, env: map[string]string{"REEF_NAME": "genv", "REEF_COUNT": "7"},
			want: probe{name: "genv", count: 7, items: []string{"a", "b"}, wait: 2 * time.Second, on: true}, changed: []string{"count", "item", "name", "on", "wait"}},
		{name: "command env over generic env", file: fullFile, env: map[string]string{"REEF_NAME": "genv", "REEF_PROBE_NAME": "senv"},
			want: probe{name: "senv", count: 3, items: []string{"a", "b"}, wait: 2 * time.Second, on: true}, changed: []string{"count", "item", "name", "on", "wait"}},
		{name: "flags over env and file", file: fullFile, env: map[string]string{"REEF_NAME": "genv", "REEF_PROBE_NAME": "senv", "REEF_PROBE_ITEM": "x"},
			args: []string{"--name", "flag", "--item", "z", "--on=false"},
			want: probe{name: "flag", count: 3, items: []string{"z"}, wait: 2 * time.Second}, changed: []string{"count", "item", "name", "on", "wait"}},
		{name: "env list values are comma-separated", env: map[string]string{"REEF_ITEM": `x, "y,z", s="json"`},
			want: probe{name: "def", count: 1, items: []string{"x", "y,z", `s="json"`}, wait: time.Second}, changed: []string{"item"}},
		{name: "empty env is unset", file: fullFile, env: map[string]string{"REEF_NAME": "", "REEF_PROBE_NAME": ""},
			want: probe{name: "file", count: 3, items: []string{"a", "b"}, wait: 2 * time.Second, on: true}, changed: []string{"count", "item", "name", "on", "wait"}},
		{name: "bool and duration from env", env: map[string]string{"REEF_ON": "1", "REEF_PROBE_WAIT": "250ms"},
			want: probe{name: "def", count: 1, wait: 250 * time.Millisecond, on: true}, changed: []string{"on", "wait"}},
		{name: "a scalar for a repeatable flag is one value", file: "[probe]\nitem = \"only\"\n",
			want: probe{name: "def", count: 1, items: []string{"only"}, wait: time.Second}, changed: []string{"item"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				writeFile(t, filepath.Join(dir, "reef", "config.toml"), tt.file)
			}
			var p probe
			code, _, errOut := runEnv(t, probeRoot(&p), testEnv(dir, tt.env), append([]string{"probe"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			changed := p.changed
			p.changed = nil
			if tt.want.items == nil && p.items != nil && len(p.items) == 0 {
				tt.want.items = p.items
			}
			if p.name != tt.want.name || p.count != tt.want.count || !slices.Equal(p.items, tt.want.items) || p.wait != tt.want.wait || p.on != tt.want.on {
				t.Errorf("got %+v\nwant %+v", p, tt.want)
			}
			slices.Sort(changed)
			if !slices.Equal(changed, tt.changed) {
				t.Errorf("changed flags %q, want %q", changed, tt.changed)
			}
		})
	}
}

// TestConfigFileLocation: --config FILE, else $REEF_CONFIG, else the default file.
func TestConfigFileLocation(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "reef", "config.toml"), "[probe]\nname = \"default-file\"\n")
	envFile := writeFile(t, filepath.Join(dir, "env.toml"), "[probe]\nname = \"env-file\"\n")
	flagFile := writeFile(t, filepath.Join(dir, "flag.toml"), "[probe]\nname = \"flag-file\"\n")
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"default file", nil, nil, "default-file"},
		{"REEF_CONFIG", map[string]string{ConfigEnv: envFile}, nil, "env-file"},
		{"--config", map[string]string{ConfigEnv: envFile}, []string{"--config", flagFile}, "flag-file"},
		{"--config before the command", map[string]string{ConfigEnv: envFile}, []string{"--config=" + flagFile}, "flag-file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p probe
			code, _, errOut := runEnv(t, probeRoot(&p), testEnv(dir, tt.env), append([]string{"probe"}, tt.args...)...)
			if code != 0 || p.name != tt.want {
				t.Fatalf("exit %d, name %q, want %q: %s", code, p.name, tt.want, errOut)
			}
		})
	}
	// an explicit file must exist; the default one need not
	code, _, errOut := runEnv(t, nil, testEnv(t.TempDir(), nil), "--config", filepath.Join(dir, "missing.toml"), "air", "run", "--arg", `s="x"`, "../../testdata/air/echo.air")
	if code != ExitBadInput || !strings.Contains(errOut, "missing.toml") {
		t.Fatalf("missing --config file: exit %d: %s", code, errOut)
	}
	code, _, errOut = runEnv(t, nil, testEnv(t.TempDir(), map[string]string{ConfigEnv: filepath.Join(dir, "missing.toml")}), "air", "run", "--arg", `s="x"`, "../../testdata/air/echo.air")
	if code != ExitBadInput || !strings.Contains(errOut, "missing.toml") {
		t.Fatalf("missing $REEF_CONFIG file: exit %d: %s", code, errOut)
	}
}

// TestConfigRealCommand: the file and the environment reach a real command's repeatable flag.
func TestConfigRealCommand(t *testing.T) {
	echo := "../../testdata/air/echo.air"
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "reef", "config.toml"), "[air.run]\narg = ['s=\"from the file\"']\n")
	if code, out, errOut := runEnv(t, nil, testEnv(dir, nil), "air", "run", echo); code != 0 || out != "\"from the file\"\n" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	env := testEnv(dir, map[string]string{"REEF_AIR_RUN_ARG": `s="from the environment"`})
	if code, out, errOut := runEnv(t, nil, env, "air", "run", echo); code != 0 || out != "\"from the environment\"\n" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	if code, out, errOut := runEnv(t, nil, env, "air", "run", "--arg", `s="from the flag"`, echo); code != 0 || out != "\"from the flag\"\n" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	// a bad value from the environment names the variable
	env = testEnv(dir, map[string]string{"REEF_AIR_RUN_TTL": "soon"})
	if code, _, errOut := runEnv(t, nil, env, "air", "run", echo); code != ExitBadInput || !strings.Contains(errOut, "$REEF_AIR_RUN_TTL") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestConfigErrors: what no command reads, and values a flag refuses, are errors naming
// the file, the line and the key.
func TestConfigErrors(t *testing.T) {
	echo := "../../testdata/air/echo.air"
	for _, tt := range []struct {
		name, file string
		args       []string
		has        []string
	}{
		{"unknown key", "[devnet]\nnodes = 3\nnodez = 3\n", []string{"devnet"},
			[]string{":3:", `unknown key "nodez" in [devnet]`, "reef devnet has no flag --nodez"}},
		{"unknown key in another command's table", "# mine\n[devnet]\nnodez = 3\n", []string{"air", "run", echo},
			[]string{":3:", `"nodez"`}},
		{"unknown table", "[console]\ntheme = \"light\"\n\n[frobnicate]\nx = 1\n", []string{"air", "run", echo},
			[]string{":4:", "unknown table [frobnicate]"}},
		{"unknown subtable", "[wallet.sendx]\njson = true\n", []string{"air", "run", echo},
			[]string{":1:", "unknown table [wallet.sendx]"}},
		{"key outside a table", "theme = \"light\"\n", []string{"air", "run", echo},
			[]string{":1:", `"theme" is not in a table`, "[console]"}},
		{"a flag of another command", "[devnet]\ntheme = \"light\"\n", []string{"air", "run", echo},
			[]string{":2:", `unknown key "theme" in [devnet]`}},
		{"bad value", "[air.run]\n\nttl = 30\n", []string{"air", "run", "--arg", `s="x"`, echo},
			[]string{":3:", "ttl in [air.run]", "missing unit"}},
		{"not TOML", "[air.run]\nttl = = \"1s\"\n", []string{"air", "run", echo},
			[]string{":2:", "config "}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, filepath.Join(dir, "reef", "config.toml"), tt.file)
			code, out, errOut := runEnv(t, nil, testEnv(dir, nil), tt.args...)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, ExitBadInput, out, errOut)
			}
			for _, s := range append(tt.has, path) {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr %q does not contain %q", errOut, s)
				}
			}
		})
	}
	// the config commands work with a broken file
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "reef", "config.toml"), "broken = [\n")
	if code, out, errOut := runEnv(t, nil, testEnv(dir, nil), "config", "path"); code != 0 || out != path+"\n" {
		t.Fatalf("config path: exit %d, %q: %s", code, out, errOut)
	}
}

// cpuDefaults are the flags whose default is the number of CPUs, by table.
var cpuDefaults = map[string]string{"node": "threads", "bench.prover": "threads"}

// portableConfig makes machine-specific defaults (the data directory, the number of CPUs)
// the same everywhere, for the golden file.
func portableConfig(s string) string {
	s = strings.ReplaceAll(s, p2p.DefaultDataDir(), "~/.local/share/reef")
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		s = strings.ReplaceAll(s, home, "~")
	}
	lines := strings.Split(s, "\n")
	table := ""
	header := regexp.MustCompile(`^\[([a-z0-9.-]+)\]$`)
	for i, l := range lines {
		if m := header.FindStringSubmatch(l); m != nil {
			table = m[1]
		}
		if key, ok := cpuDefaults[table]; ok && l == key+" = "+strconv.Itoa(runtime.NumCPU()) {
			lines[i] = key + " = NUMBER_OF_CPUS"
		}
	}
	return strings.Join(lines, "\n")
}

// TestConfigInitGolden: what reef config init writes (testdata/TestConfigInitGolden.golden;
// -update rewrites it).
func TestConfigInitGolden(t *testing.T) {
	code, out, errOut := run(t, "", "config", "init", "--path", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.RequireEqual(t, portableConfig(out))
}

// TestConfigInitRoundTrip: the file config init writes parses, names every flag of every
// command once, and sets each to its default.
func TestConfigInitRoundTrip(t *testing.T) {
	code, out, errOut := run(t, "", "config", "init", "--path", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	file, err := parseConfig("init.toml", out)
	if err != nil {
		t.Fatal(err)
	}
	root := NewRoot(BuildInfo{})
	if err := file.check(root); err != nil {
		t.Fatal(err)
	}
	keys, flags := 0, 0
	var count func(m map[string]any)
	count = func(m map[string]any) {
		for _, v := range m {
			if sub, ok := v.(map[string]any); ok {
				count(sub)
			} else {
				keys++
			}
		}
	}
	count(file.data)
	for _, c := range configCommands(root) {
		for _, f := range ownFlags(c) {
			flags++
			table := tablePath(c)
			v, ok := file.lookup(table, f.Name)
			if !ok {
				t.Errorf("[%s] has no %s", strings.Join(table, "."), f.Name)
				continue
			}
			vals, err := tomlStrings(v)
			if err == nil {
				err = setFlag(f, vals)
			}
			if err != nil || f.Changed || f.Value.String() != f.DefValue {
				t.Errorf("[%s] %s = %v: %v, changed %v, %q != default %q", strings.Join(table, "."), f.Name, v, err, f.Changed, f.Value.String(), f.DefValue)
			}
		}
	}
	if keys != flags || flags < 50 {
		t.Errorf("%d keys for %d flags", keys, flags)
	}
	for _, want := range []string{"[console]", "[node]", "[devnet]", "[air.run]", "[bench.particles]", "# --theme: colour theme", "#   env REEF_DEVNET_NODES or REEF_NODES"} {
		if !strings.Contains(out, want) {
			t.Errorf("the file has no %q", want)
		}
	}
}

// TestConfigInitWrites: config init writes the file reef reads, keeps an existing one unless
// --force, and a real command accepts what it wrote.
func TestConfigInitWrites(t *testing.T) {
	dir := t.TempDir()
	env := testEnv(dir, nil)
	want := filepath.Join(dir, "reef", "config.toml")
	if code, out, errOut := runEnv(t, nil, env, "config", "init"); code != 0 || out != "wrote "+want+"\n" {
		t.Fatalf("exit %d, %q: %s", code, out, errOut)
	}
	if code, _, errOut := runEnv(t, nil, env, "config", "init"); code != ExitBadInput || !strings.Contains(errOut, "--force") {
		t.Fatalf("overwrote without --force: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runEnv(t, nil, env, "config", "init", "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
	other := filepath.Join(dir, "sub", "other.toml")
	if code, out, errOut := runEnv(t, nil, env, "config", "init", "--path", other); code != 0 || out != "wrote "+other+"\n" {
		t.Fatalf("--path: exit %d, %q: %s", code, out, errOut)
	}
	if code, out, errOut := runEnv(t, nil, env, "config", "path"); code != 0 || out != want+"\n" {
		t.Fatalf("config path: exit %d, %q: %s", code, out, errOut)
	}
	if code, out, errOut := runEnv(t, nil, env, "air", "run", "--arg", `s="x"`, "../../testdata/air/echo.air"); code != 0 || out != "\"x\"\n" {
		t.Fatalf("with the written file: exit %d, %q: %s", code, out, errOut)
	}
	if code, out, errOut := runEnv(t, nil, env, "--config", other, "bench", "air", "--json", "-n", "1", "--arg", `s="x"`, "../../testdata/air/echo.air"); code != 0 || !strings.Contains(out, `"iterations": 1`) {
		t.Fatalf("with --config: exit %d, %q: %s", code, out, errOut)
	}
}

// TestConfigNamesDoNotCollide: every flag has its own table key and environment variable,
// and no command has a flag and a subcommand of one name (TOML could not hold both).
func TestConfigNamesDoNotCollide(t *testing.T) {
	root := NewRoot(BuildInfo{})
	specific := map[string]string{}
	generic := map[string]bool{}
	for _, c := range configCommands(root) {
		for _, f := range ownFlags(c) {
			name := envName(c, f.Name)
			where := c.CommandPath() + " --" + f.Name
			if prev, ok := specific[name]; ok {
				t.Errorf("%s and %s are both $%s", prev, where, name)
			}
			specific[name] = where
			generic[envName(nil, f.Name)] = true
			if configSubcommand(c, f.Name) != nil && c.HasParent() {
				t.Errorf("%s has a flag and a subcommand %q", c.CommandPath(), f.Name)
			}
		}
	}
	for name, where := range specific {
		if generic[name] {
			t.Errorf("$%s is %s and also the variable of every --%s", name, where, strings.ToLower(strings.TrimPrefix(name, "REEF_")))
		}
	}
	for _, reserved := range []string{ConfigEnv, PasswordEnv} {
		if where, ok := specific[reserved]; ok || generic[reserved] {
			t.Errorf("$%s is reserved but names %s", reserved, where)
		}
	}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
