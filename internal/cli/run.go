package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/reefhq/reef/internal/aquafn"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
)

// ExitTimeout is reef run's exit code when the particle's TTL runs out.
const ExitTimeout = 3

type runOptions struct {
	relay    string
	argsFile string
	args     []string
	ttl      time.Duration
	trace    string
	verbose  bool
}

func newRunCmd() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run --relay MULTIADDR [--args-file F] [--arg name=JSON]... [--ttl 30s] [--trace FILE] SCRIPT.air",
		Short: "Run a compiled Aqua function on the network as a client",
		Long: `Run a compiled Aqua function as a client of one node (its relay). getDataSrv serves the
arguments and "-relay-"; the value sent to callbackSrv.response is printed as one JSON
value (an array when there are several, null when the script finishes without one).

Exit codes: 0 success, 1 the script reported an error (its message on stderr), 2 bad
input, 3 the TTL ran out (stderr says which peers the particle reached and what it was
waiting for).`,
		Example: `  reef run --relay /ip4/127.0.0.1/tcp/7777/p2p/12D3KooW... --arg name='"reef"' greet.air`,
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return runClient(cmd, args[0], o) },
	}
	cmd.Flags().StringVar(&o.relay, "relay", "", "multiaddr of the node to connect to, with /p2p/ id (required)")
	cmd.Flags().StringVar(&o.argsFile, "args-file", "", "JSON object with the function's arguments by name")
	cmd.Flags().StringArrayVar(&o.args, "arg", nil, "one argument as name=JSON (repeatable; overrides --args-file)")
	cmd.Flags().DurationVar(&o.ttl, "ttl", 30*time.Second, "particle time to live")
	cmd.Flags().StringVar(&o.trace, "trace", "", "trace the particle: write every run on every peer (the client's and the nodes' hop reports) to FILE as JSON lines, ordered by time")
	cmd.Flags().BoolVarP(&o.verbose, "verbose", "v", false, "log the client node's activity to stderr")
	return cmd
}

func runClient(cmd *cobra.Command, path string, o runOptions) error {
	if o.relay == "" {
		return badInput("--relay is required")
	}
	if o.ttl <= 0 {
		return badInput("--ttl must be positive")
	}
	src, _, err := parseScript(cmd, path)
	if err != nil {
		return err
	}
	fargs, err := functionArgs(cmd, airRunOptions{argsFile: o.argsFile, args: o.args})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if o.verbose {
		log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	p2p.RouteLibraryLogs(log.Handler())
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return failure("%v", err)
	}
	ident, err := p2p.IdentityFromKey(key)
	if err != nil {
		return failure("%v", err)
	}
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	n, err := peer.New(peer.WithIdentity(ident), peer.WithClientMode(o.relay), peer.WithLogger(log))
	if err != nil {
		return badInput("%v", err)
	}
	if err := n.Start(ctx); err != nil {
		n.Close()
		return failure("connecting to the relay: %v", err)
	}
	defer n.Close()
	var callOpts []peer.CallOption
	if o.trace != "" {
		callOpts = append(callOpts, peer.WithTracing())
	}
	res, err := n.CallFunction(ctx, src, fargs, o.ttl, callOpts...)
	if o.trace != "" && res != nil {
		if werr := writeTrace(o.trace, res.Hops); werr != nil {
			return failure("writing the trace: %v", werr)
		}
	}
	var te *peer.TimeoutError
	switch {
	case errors.As(err, &te):
		return &exitError{code: ExitTimeout, err: te}
	case errors.Is(err, context.Canceled):
		return failure("interrupted")
	case err != nil:
		return failure("%v", err)
	}
	if res.ErrorObject != nil {
		return failure("the script failed: %s", aquafn.ErrorMessage(*res.ErrorObject))
	}
	_, err = cmd.OutOrStdout().Write(append([]byte(res.Value.String()), '\n'))
	return err
}

func writeTrace(path string, hops []peer.Hop) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, h := range hops {
		if err := enc.Encode(h); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
