package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The configuration file and the environment set every flag of every command, generically:
// before a command runs, each of its flags not given on the command line is set from
//
//  1. the environment: REEF_<COMMAND>_<FLAG> (the command's path, e.g. REEF_WALLET_SEND_JSON;
//     REEF_CONSOLE_<FLAG> for the console), then REEF_<FLAG> (every command with that flag);
//  2. the configuration file: the key named like the flag in the command's table ([console]
//     for the console, [node], [wallet.send], ...);
//
// and otherwise keeps its default. Names are upper-cased, with '-' turned into '_'. A flag
// added to any command is covered without more code.

// ConfigEnv names the configuration file when --config is not given.
const ConfigEnv = "REEF_CONFIG"

// consoleTable is the table of the root command's flags: the console has no name of its own,
// and a top-level key would collide with a command's table (the console's --devnet flag and
// the devnet command).
const consoleTable = "console"

func init() {
	// The root's PersistentPreRunE applies the configuration; hooks that subcommands add
	// later must not replace it.
	cobra.EnableTraverseRunHooks = true
}

// configEnv is where the configuration comes from besides the command line.
type configEnv struct {
	lookup    func(string) (string, bool) // the environment
	configDir func() (string, error)      // the user's configuration directory
}

// processEnv is the process's environment; tests replace it (TestMain) or pass another one
// in the context (withConfigEnv).
var processEnv = configEnv{lookup: os.LookupEnv, configDir: os.UserConfigDir}

type configEnvKey struct{}

// withConfigEnv makes the commands executed with ctx read env instead of the process's.
func withConfigEnv(ctx context.Context, env configEnv) context.Context {
	return context.WithValue(ctx, configEnvKey{}, env)
}

func envOf(cmd *cobra.Command) configEnv {
	if ctx := cmd.Context(); ctx != nil {
		if e, ok := ctx.Value(configEnvKey{}).(configEnv); ok {
			return e
		}
	}
	return processEnv
}

// addConfig adds the --config flag, the hook that applies the environment and the file, and
// the config command.
func addConfig(root *cobra.Command, info BuildInfo) {
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations["version"] = info.Version
	root.PersistentFlags().String("config", "", "configuration file (default: $"+ConfigEnv+", else "+defaultConfigPathDoc+" if it exists)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyConfig(cmd) }
	root.AddCommand(newConfigCmd())
}

const defaultConfigPathDoc = "<user config dir>/reef/config.toml"

// defaultConfigPath is <user config dir>/reef/config.toml: ~/.config/reef/config.toml on
// Linux ($XDG_CONFIG_HOME), ~/Library/Application Support/reef/config.toml on macOS,
// %AppData%\reef\config.toml on Windows.
func defaultConfigPath(env configEnv) (string, error) {
	dir, err := env.configDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "reef", "config.toml"), nil
}

// configPath returns the configuration file of cmd and whether it was named explicitly
// (--config or $REEF_CONFIG: then it must exist).
func configPath(cmd *cobra.Command, env configEnv) (path string, explicit bool, err error) {
	if f := cmd.Flags().Lookup("config"); f != nil && f.Changed {
		return f.Value.String(), true, nil
	}
	if p, ok := env.lookup(ConfigEnv); ok && p != "" {
		return p, true, nil
	}
	p, err := defaultConfigPath(env)
	return p, false, err
}

// noConfig reports whether cmd runs without the configuration: the config commands (which
// must work when the file is broken), shell completion and help.
func noConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "config", "completion", "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			if c.Parent() == cmd.Root() {
				return true
			}
		}
	}
	return false
}

// settable reports whether a flag can be set by the configuration.
func settable(f *pflag.Flag) bool {
	return f.Name != "help" && f.Name != "config" && !f.Hidden
}

// applyConfig sets cmd's flags that the command line left alone from the environment, else
// from the configuration file.
func applyConfig(cmd *cobra.Command) error {
	if noConfig(cmd) {
		return nil
	}
	var flags []*pflag.Flag
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if settable(f) {
			flags = append(flags, f)
		}
	})
	if len(flags) == 0 {
		return nil
	}
	env := envOf(cmd)
	file, err := findConfig(cmd, env)
	if err != nil {
		return err
	}
	for _, f := range flags {
		if f.Changed {
			continue // the command line wins
		}
		owner := flagOwner(cmd, f)
		set := false
		for _, name := range []string{envName(owner, f.Name), envName(nil, f.Name)} {
			v, ok := env.lookup(name)
			if !ok || v == "" {
				continue
			}
			vals := []string{v}
			if _, slice := f.Value.(pflag.SliceValue); slice {
				r := csv.NewReader(strings.NewReader(v))
				r.TrimLeadingSpace = true
				r.LazyQuotes = true // JSON values (--arg s="x") hold quotes
				if vals, err = r.Read(); err != nil {
					return badInput("$%s: %v", name, err)
				}
			}
			if err := setFlag(f, vals); err != nil {
				return badInput("$%s=%s: %v", name, v, err)
			}
			set = true
			break
		}
		if set || file == nil {
			continue
		}
		table := tablePath(owner)
		v, ok := file.lookup(table, f.Name)
		if !ok {
			continue
		}
		vals, err := tomlStrings(v)
		if err == nil {
			err = setFlag(f, vals)
		}
		if err != nil {
			return file.errorf(table, f.Name, "%s in [%s]: %v", f.Name, strings.Join(table, "."), err)
		}
	}
	return nil
}

// findConfig loads and checks the configuration file of cmd; nil when there is none.
func findConfig(cmd *cobra.Command, env configEnv) (*configFile, error) {
	path, explicit, err := configPath(cmd, env)
	if err != nil {
		if explicit {
			return nil, badInput("%v", err)
		}
		return nil, nil // no user config dir (no $HOME): no default file
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, badInput("config: %v", err)
	}
	file, err := parseConfig(path, string(b))
	if err != nil {
		return nil, err
	}
	if err := file.check(cmd.Root()); err != nil {
		return nil, err
	}
	return file, nil
}

// flagOwner is the command whose table holds f: the command that defines it (an ancestor
// for an inherited persistent flag).
func flagOwner(cmd *cobra.Command, f *pflag.Flag) *cobra.Command {
	for c := cmd; c != nil; c = c.Parent() {
		if c.PersistentFlags().Lookup(f.Name) == f {
			return c
		}
	}
	return cmd
}

// tablePath is the configuration table of cmd: "console" for the root, else the command's
// path below the root ("wallet", "send" for reef wallet send).
func tablePath(cmd *cobra.Command) []string {
	if !cmd.HasParent() {
		return []string{consoleTable}
	}
	var p []string
	for c := cmd; c.HasParent(); c = c.Parent() {
		p = append([]string{c.Name()}, p...)
	}
	return p
}

// envName is REEF_<TABLE>_<FLAG> for cmd, or REEF_<FLAG> when cmd is nil.
func envName(cmd *cobra.Command, flag string) string {
	parts := []string{"REEF"}
	if cmd != nil {
		parts = append(parts, tablePath(cmd)...)
	}
	parts = append(parts, flag)
	return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(strings.Join(parts, "_")))
}

// setFlag sets f to vals (one value, or the list of a repeatable flag). The flag counts as
// changed when its value is not the default, so a file that repeats the defaults changes
// nothing.
func setFlag(f *pflag.Flag, vals []string) error {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		if err := sv.Replace(vals); err != nil {
			return err
		}
	} else {
		if len(vals) != 1 {
			return fmt.Errorf("--%s takes one value, not a list", f.Name)
		}
		if err := f.Value.Set(vals[0]); err != nil {
			return err
		}
	}
	f.Changed = f.Value.String() != f.DefValue
	return nil
}

// tomlStrings turns a TOML value into the flag's text: one value, or the elements of an
// array.
func tomlStrings(v any) ([]string, error) {
	if arr, ok := v.([]any); ok {
		out := make([]string, 0, len(arr))
		for _, e := range arr {
			s, err := tomlScalar(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := tomlScalar(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func tomlScalar(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case map[string]any:
		return "", errors.New("a table is not a flag value")
	case []any:
		return "", errors.New("nested arrays are not flag values")
	}
	return fmt.Sprint(v), nil
}

// configFile is a parsed configuration file.
type configFile struct {
	path string
	src  string
	data map[string]any
}

func parseConfig(path, src string) (*configFile, error) {
	var data map[string]any
	if _, err := toml.Decode(src, &data); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, badInput("config %s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, badInput("config %s: %v", path, err)
	}
	return &configFile{path: path, src: src, data: data}, nil
}

// lookup returns the value of key in the table at path.
func (f *configFile) lookup(path []string, key string) (any, bool) {
	t := f.data
	for _, p := range path {
		sub, ok := t[p].(map[string]any)
		if !ok {
			return nil, false
		}
		t = sub
	}
	v, ok := t[key]
	return v, ok
}

// errorf is a bad-input error naming the file and, when it can be found, the line of key in
// the table at path.
func (f *configFile) errorf(path []string, key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line := f.line(path, key); line > 0 {
		return badInput("config %s:%d: %s", f.path, line, msg)
	}
	return badInput("config %s: %s", f.path, msg)
}

// line finds the line of key in the table at path (of the table's header when key is ""):
// a plain scan of "[a.b]" headers and "key =" lines, good for the files people write.
func (f *configFile) line(path []string, key string) int {
	want := strings.Join(path, ".")
	cur := ""
	sc := bufio.NewScanner(strings.NewReader(f.src))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "[[") {
			end := strings.Index(l, "]")
			if end < 0 {
				continue
			}
			var parts []string
			for _, p := range strings.Split(l[1:end], ".") {
				parts = append(parts, strings.Trim(strings.TrimSpace(p), `"'`))
			}
			cur = strings.Join(parts, ".")
			if key == "" && (cur == want || strings.HasPrefix(cur, want+".")) {
				return n
			}
			continue
		}
		if key == "" || cur != want {
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return n
		}
	}
	return 0
}

// check rejects what no command reads: tables that are not commands, keys that are not
// flags of their table's command, and keys outside any table.
func (f *configFile) check(root *cobra.Command) error {
	for _, k := range sortedKeys(f.data) {
		t, ok := f.data[k].(map[string]any)
		if !ok {
			return f.errorf(nil, k, "%q is not in a table: a flag goes in its command's table, e.g. [%s] for the console or [node] for reef node", k, consoleTable)
		}
		if k == consoleTable {
			if err := f.checkTable(root, []string{k}, t); err != nil {
				return err
			}
			continue
		}
		c := configSubcommand(root, k)
		if c == nil {
			return f.errorf([]string{k}, "", "unknown table [%s]: reef has no command %q (the console's flags go in [%s])", k, k, consoleTable)
		}
		if err := f.checkTable(c, []string{k}, t); err != nil {
			return err
		}
	}
	return nil
}

func (f *configFile) checkTable(c *cobra.Command, path []string, t map[string]any) error {
	for _, k := range sortedKeys(t) {
		v := t[k]
		if sub, ok := v.(map[string]any); ok && c.HasParent() {
			if sc := configSubcommand(c, k); sc != nil {
				if err := f.checkTable(sc, append(slices.Clone(path), k), sub); err != nil {
					return err
				}
				continue
			}
		}
		if fl := c.LocalFlags().Lookup(k); fl != nil && settable(fl) {
			if _, isTable := v.(map[string]any); isTable {
				return f.errorf(path, k, "%s in [%s] is a table; --%s takes a value", k, strings.Join(path, "."), k)
			}
			continue
		}
		name := "reef"
		if c.HasParent() {
			name = c.CommandPath()
		}
		if _, isTable := v.(map[string]any); isTable {
			return f.errorf(append(slices.Clone(path), k), "", "unknown table [%s.%s]: %s has no subcommand %q", strings.Join(path, "."), k, name, k)
		}
		return f.errorf(path, k, "unknown key %q in [%s]: %s has no flag --%s", k, strings.Join(path, "."), name, k)
	}
	return nil
}

// configSubcommand is the subcommand of c that a table can configure.
func configSubcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sc := range c.Commands() {
		if sc.Name() == name && configurable(sc) {
			return sc
		}
	}
	return nil
}

// configurable reports whether a command has a place in the configuration file.
func configurable(c *cobra.Command) bool {
	if c.Hidden || c.Deprecated != "" {
		return false
	}
	switch c.Name() {
	case "help", "completion", "config":
		return c.Parent() != c.Root() && c.HasParent()
	}
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// configCommands returns every command with a table in the configuration file (settable
// flags of its own), the root first, then depth first in help order.
func configCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if len(ownFlags(c)) > 0 {
			out = append(out, c)
		}
		for _, sc := range c.Commands() {
			if configurable(sc) {
				walk(sc)
			}
		}
	}
	walk(root)
	return out
}

// ownFlags are the settable flags a command defines (local and its own persistent ones),
// sorted by name.
func ownFlags(c *cobra.Command) []*pflag.Flag {
	var out []*pflag.Flag
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if settable(f) && flagOwner(c, f) == c {
			out = append(out, f)
		}
	})
	return out
}

// writeConfigTemplate writes a configuration file that sets every flag of every command to
// its default, each with its help and its environment variables as comments. root must be
// a fresh command tree (its flags at their defaults).
func writeConfigTemplate(w io.Writer, root *cobra.Command, version string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `# Reef configuration, written by 'reef config init' (reef %s).
#
# Every flag of every command can be set here, in its command's table: [%s] for the console
# (reef with no command), [node] for reef node, [wallet.send] for reef wallet send, ...
# A repeatable flag takes an array. Keys no command reads are an error.
#
# Precedence: command-line flags, then the environment (REEF_<COMMAND>_<FLAG>, then
# REEF_<FLAG>: upper case, '-' as '_'), then this file, then the defaults. The file is
# --config FILE, else $%s, else %s.
#
# Every key below is set to its default: delete the ones you do not change, so that new
# defaults reach you.
`, version, consoleTable, ConfigEnv, defaultConfigPathDoc)
	for _, c := range configCommands(root) {
		table := strings.Join(tablePath(c), ".")
		title := "reef: the console"
		if c.HasParent() {
			title = c.CommandPath() + ": " + c.Short
		}
		fmt.Fprintf(bw, "\n%s\n[%s]\n", commentLines(title, 0), table)
		for _, f := range ownFlags(c) {
			help := fmt.Sprintf("--%s: %s", f.Name, f.Usage)
			fmt.Fprintf(bw, "\n%s\n", commentLines(help, 0))
			fmt.Fprintf(bw, "#   env %s or %s\n", envName(c, f.Name), envName(nil, f.Name))
			fmt.Fprintf(bw, "%s = %s\n", tomlKey(f.Name), tomlDefault(f))
		}
	}
	return bw.Flush()
}

// commentLines wraps text into "# " lines of at most 96 columns.
func commentLines(text string, indent int) string {
	const width = 96
	var lines []string
	line := "#" + strings.Repeat(" ", indent)
	for _, word := range strings.Fields(text) {
		if len(line) > 1+indent && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = "#" + strings.Repeat(" ", indent+2)
		}
		line += " " + word
	}
	return strings.Join(append(lines, line), "\n")
}

func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(k)
		}
	}
	return k
}

// tomlDefault is the TOML text of a flag's current (default) value.
func tomlDefault(f *pflag.Flag) string {
	typ := f.Value.Type()
	bare := func(s string) string {
		switch {
		case typ == "bool" || strings.HasPrefix(typ, "int") || strings.HasPrefix(typ, "uint"):
			return s
		case strings.HasPrefix(typ, "float"):
			if !strings.ContainsAny(s, ".eEn") {
				s += ".0"
			}
			return s
		}
		return tomlString(s)
	}
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		typ = strings.TrimSuffix(strings.TrimSuffix(typ, "Slice"), "Array")
		var elems []string
		for _, s := range sv.GetSlice() {
			elems = append(elems, bare(s))
		}
		return "[" + strings.Join(elems, ", ") + "]"
	}
	return bare(f.Value.String())
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write and locate the configuration file",
		Long: `Reef reads a TOML configuration file that can set every flag of every command, in the
table of its command: [console] for the console (reef with no command), [node] for reef
node, [wallet.send] for reef wallet send. A repeatable flag takes an array.

The file is --config FILE, else $` + ConfigEnv + `, else ` + defaultConfigPathDoc + `
(~/.config/reef/config.toml on Linux) when it exists. A key no command reads is an error
that names the file and the line.

Every flag can also be set in the environment: REEF_<COMMAND>_<FLAG> for one command
(REEF_DEVNET_NODES, REEF_CONSOLE_THEME for the console), REEF_<FLAG> for every command with
that flag (REEF_DATA_DIR); upper case, '-' as '_'; a repeatable flag's values separated by
commas. Precedence: flags, then the environment, then the file, then the defaults.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newConfigInitCmd(), newConfigPathCmd())
	return cmd
}

func newConfigInitCmd() *cobra.Command {
	var path string
	var force bool
	cmd := &cobra.Command{
		Use:   "init [--path FILE|-] [--force]",
		Short: "Write a configuration file with every flag at its default, commented",
		Long: `Write a configuration file that sets every flag of every command to its default, with its
help and its environment variables as comments. It goes to --path, else to the file reef
reads (--config, $` + ConfigEnv + `, else ` + defaultConfigPathDoc + `); "-" prints it. An
existing file is kept unless --force is given.`,
		Example: `  reef config init
  reef config init --path - | less
  reef config init --path ./reef.toml && reef --config ./reef.toml devnet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if path == "" {
				p, _, err := configPath(cmd, envOf(cmd))
				if err != nil {
					return badInput("no configuration directory (%v): give --path", err)
				}
				path = p
			}
			fresh := NewRoot(BuildInfo{})
			if path == "-" {
				return writeConfigTemplate(cmd.OutOrStdout(), fresh, versionOf(cmd))
			}
			if _, err := os.Stat(path); err == nil && !force {
				return badInput("%s exists; give --force to overwrite it", path)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return failure("%v", err)
			}
			var b strings.Builder
			if err := writeConfigTemplate(&b, fresh, versionOf(cmd)); err != nil {
				return failure("%v", err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				return failure("%v", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", path)
			return nil
		},
	}
	cmd.Flags().StringVar(&path, "path", "", `where to write the file ("-": standard output; default: the file reef reads)`)
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func newConfigPathCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "path",
		Short: "Print the path of the configuration file reef reads",
		Long: `Print the path of the configuration file reef reads: --config, else $` + ConfigEnv + `, else
` + defaultConfigPathDoc + `. Standard error says when it does not exist.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := configPath(cmd, envOf(cmd))
			if err != nil {
				return failure("no configuration directory: %v", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			if _, err := os.Stat(p); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "reef: %s does not exist (reef config init writes it)\n", p)
			}
			return nil
		},
	}
}

// versionOf is the version of the running reef (addConfig keeps it).
func versionOf(cmd *cobra.Command) string {
	if v := cmd.Root().Annotations["version"]; v != "" {
		return v
	}
	return "dev"
}
