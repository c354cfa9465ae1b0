package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The command-line reference (docs/cli.md) and the README's command table are generated
// from the command tree; TestCLIReference keeps them current
// (go test ./internal/cli -run TestCLIReference -update rewrites them).

// docCommands returns every documented command of root: the root first, then depth first
// in help order, without help and hidden commands. It adds cobra's completion command,
// which cobra otherwise adds only when the command line runs.
func docCommands(root *cobra.Command) []*cobra.Command {
	root.InitDefaultCompletionCmd()
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		out = append(out, c)
		for _, sc := range c.Commands() {
			if sc.Hidden || sc.Deprecated != "" || sc.Name() == "help" {
				continue
			}
			walk(sc)
		}
	}
	walk(root)
	return out
}

// anchor is the GitHub heading anchor of "## reef a b".
func anchor(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "-")
}

// writeCommandTable writes a Markdown table of every command with its one-line summary,
// linked to its section in docs/cli.md (linkPrefix is the path to that file).
func writeCommandTable(w io.Writer, root *cobra.Command, linkPrefix string) {
	fmt.Fprintln(w, "| command | what it does |")
	fmt.Fprintln(w, "|---|---|")
	for _, c := range docCommands(root) {
		short := c.Short
		if !c.HasParent() {
			short = "the console: an embedded node on a local devnet (see [the console](#the-console))"
			if linkPrefix == "" {
				short = "the console: an embedded node on a local devnet"
			}
		}
		fmt.Fprintf(w, "| [`%s`](%s#%s) | %s |\n", c.CommandPath(), linkPrefix, anchor(c), mdEscape(short))
	}
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// writeReference writes the full reference: every command with its usage, description,
// examples and flags, and where the configuration file and the environment set them.
func writeReference(w io.Writer, root *cobra.Command) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `# reef command-line reference

Generated from the commands themselves by `+"`go test ./internal/cli -run TestCLIReference -update`"+`;
do not edit by hand. `+"`reef COMMAND --help`"+` prints the same.

Every flag of a command can also be set in the configuration file, in the command's table,
and in the environment (REEF_<COMMAND>_<FLAG>, then REEF_<FLAG>); precedence: flags,
environment, file, defaults. See [Configuration](../README.md#configuration) and `+"`reef config init`"+`.
Every command takes `+"`--config FILE`"+` (default: $%s, else %s).
Defaults shown under ~/.local/share/reef are the data directory on Linux; on macOS it is
~/Library/Application Support/reef, on Windows %%LocalAppData%%\reef.

`, ConfigEnv, defaultConfigPathDoc)
	writeCommandTable(bw, root, "")
	for _, c := range docCommands(root) {
		fmt.Fprintf(bw, "\n## %s\n\n", c.CommandPath())
		short := c.Short
		if !c.HasParent() {
			short = "The console (reef with no command)."
		}
		fmt.Fprintf(bw, "%s\n\n```text\n", short)
		if c.Runnable() {
			fmt.Fprintf(bw, "%s\n", c.UseLine())
		}
		if c.HasAvailableSubCommands() {
			fmt.Fprintf(bw, "%s [command]\n", c.CommandPath())
		}
		fmt.Fprintln(bw, "```")
		if c.Long != "" {
			fmt.Fprintf(bw, "\n```text\n%s\n```\n", strings.TrimRight(c.Long, "\n"))
		}
		if c.Example != "" {
			fmt.Fprintf(bw, "\nExamples:\n\n```sh\n%s\n```\n", strings.TrimRight(c.Example, "\n"))
		}
		if subs := visibleSubcommands(c); len(subs) > 0 {
			fmt.Fprintln(bw, "\nCommands:")
			fmt.Fprintln(bw)
			for _, sc := range subs {
				fmt.Fprintf(bw, "- [`%s`](#%s): %s\n", sc.CommandPath(), anchor(sc), sc.Short)
			}
		}
		fs := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" && f.Name != "config" && !f.Hidden {
				fs.AddFlag(f)
			}
		})
		if !fs.HasFlags() {
			continue
		}
		if configurable(c) && len(ownFlags(c)) > 0 && !noConfig(c) {
			fmt.Fprintf(bw, "\nFlags (configuration table `[%s]`, environment `%s` or `%s`):\n\n",
				strings.Join(tablePath(c), "."), envName(c, "")+"<FLAG>", envName(nil, "")+"<FLAG>")
		} else {
			fmt.Fprintf(bw, "\nFlags:\n\n")
		}
		fmt.Fprintf(bw, "```text\n%s```\n", fs.FlagUsagesWrapped(100))
	}
	return bw.Flush()
}

func visibleSubcommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, sc := range c.Commands() {
		if sc.IsAvailableCommand() && sc.Name() != "help" {
			out = append(out, sc)
		}
	}
	return out
}
