// Package cli implements the reef command line: one cobra command per subcommand. main.go
// only calls Execute.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the operation ran and failed (e.g. the script reported an error)
	ExitBadInput = 2 // the input was invalid (unparsable script, bad flags or arguments)
)

// exitError carries an exit code with the error to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error {
	return &exitError{code: ExitBadInput, err: fmt.Errorf(format, args...)}
}

func failure(format string, args ...any) error {
	return &exitError{code: ExitFailure, err: fmt.Errorf(format, args...)}
}

// BuildInfo is stamped into the binary at release time.
type BuildInfo struct {
	Version, Commit, Date string
}

// NewRoot returns the reef command tree.
func NewRoot(info BuildInfo) *cobra.Command {
	root := &cobra.Command{
		Use:   "reef",
		Short: "Reef: a developer console and full node for a cloudless compute network",
		Long: `Reef runs AIR scripts (what the Aqua compiler emits) with AquaVM 0.62 semantics, on
a full node of a libp2p network with a private Kademlia DHT.

It is a terminal console (run reef with no command), the AIR toolchain (check, format,
run on a local peer), a headless node, an in-process devnet, and a client that runs
compiled Aqua functions on a network.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	root.AddCommand(newVersionCmd(info), newAirCmd(), newNodeCmd(), newDevnetCmd(), newRunCmd(), newServiceDeployCmd(), newWalletCmd(), newContractsCmd())
	root.AddCommand(newBenchCmd())
	addConsole(root)
	addConfig(root, info) // --config, the environment and the configuration file (config.go)
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context, info BuildInfo, args []string, stdout, stderr io.Writer) int {
	return executeWithInput(ctx, info, args, os.Stdin, stdout, stderr)
}

func executeWithInput(ctx context.Context, info BuildInfo, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return executeRoot(ctx, NewRoot(info), args, stdin, stdout, stderr)
}

// executeRoot runs root with args and returns the exit code.
func executeRoot(ctx context.Context, root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			fmt.Fprintln(stderr, "reef:", ee.err)
			return ee.code
		}
		// cobra's own errors: unknown command or flag, wrong argument count.
		fmt.Fprintln(stderr, "reef:", err)
		fmt.Fprintln(stderr, "Run 'reef --help' for usage.")
		return ExitBadInput
	}
	return ExitOK
}

func newVersionCmd(info BuildInfo) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of reef and of the AIR semantics it implements",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "reef %s\n", info.Version)
			if info.Commit != "" {
				fmt.Fprintf(out, "commit %s\n", info.Commit)
			}
			if info.Date != "" {
				fmt.Fprintf(out, "built %s\n", info.Date)
			}
			fmt.Fprintln(out, "air semantics: AquaVM 0.62.0")
			return nil
		},
	}
}

// readFile reads a script or argument file, "-" meaning standard input.
func readFile(cmd *cobra.Command, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return b, nil
}
