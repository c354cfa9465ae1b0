package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wasm"
)

type serviceDeployOptions struct {
	relay    string
	name     string
	watch    bool
	ttl      time.Duration
	keyDir   string
	interval time.Duration
	verbose  bool
}

func newServiceDeployCmd() *cobra.Command {
	var o serviceDeployOptions
	cmd := &cobra.Command{
		Use:   "deploy --relay MULTIADDR --name ALIAS [--watch] MODULE.wasm",
		Short: "Deploy a Wasm module as a service on a node, and redeploy it when the file changes",
		Long: `Deploy a Wasm module (an Extism plug-in) as a service on the relay node, as a client of
it: the module is uploaded with dist.add_module, a blueprint and a service are made of
it (dist.add_blueprint, srv.create), and the alias ALIAS is pointed at the new service
(srv.add_alias). If ALIAS named another service, that service is removed once its calls
in flight finish, unless another alias still names it: calls by the alias go to the new
version at once, and the alias never points at nothing. Prints one JSON line:

  {"service_id":"...","module":"<sha256>","alias":"ALIAS"}

with "replaced":["<old id>"] when a service was replaced.

With --watch it keeps watching the file (polling, no notifications needed) and
redeploys each time it changes, once the file has stopped changing and is a complete
WebAssembly binary; each redeploy prints a line with its time. The first deploy must
succeed; later failures are reported on stderr and the watch goes on. SIGINT or SIGTERM
end it (exit 0).

The client signs with a key kept in --key-dir (created on first use), so its peer id
is stable: start the node with --allow-deploy <that id> (a devnet lets everyone
deploy). Do not run two deploys with the same key against one relay at once.

Exit codes: 0 deployed, 1 the node refused the deploy or it failed, 2 bad input (flags,
a file that is not an Extism plug-in).`,
		Example: `  reef deploy --relay /ip4/127.0.0.1/tcp/7777/p2p/12D3KooW... --name kv kv.wasm
  reef deploy --relay /ip4/127.0.0.1/tcp/7777/p2p/12D3KooW... --name kv --watch target/kv.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runServiceDeploy(cmd, args[0], o) },
	}
	defaultKeys := ""
	if d := p2p.DefaultDataDir(); d != "" {
		defaultKeys = filepath.Join(d, "deployer")
	}
	cmd.Flags().StringVar(&o.relay, "relay", "", "multiaddr of the node to deploy on, with /p2p/ id (required)")
	cmd.Flags().StringVar(&o.name, "name", "", "the service's alias (required); also the module's and blueprint's name")
	cmd.Flags().BoolVar(&o.watch, "watch", false, "redeploy whenever the file changes, until interrupted")
	cmd.Flags().DurationVar(&o.ttl, "ttl", time.Minute, "time to live of each deploy particle")
	cmd.Flags().StringVar(&o.keyDir, "key-dir", defaultKeys, "directory of the client's key (identity.key)")
	cmd.Flags().DurationVar(&o.interval, "poll", services.DefaultWatchInterval, "with --watch: how often to look at the file")
	cmd.Flags().BoolVarP(&o.verbose, "verbose", "v", false, "log the client node's activity to stderr")
	return cmd
}

// serviceDeployLine is what reef deploy prints for each deploy.
type serviceDeployLine struct {
	Time string `json:"time,omitempty"` // --watch only
	services.Deployed
	Redeploy bool  `json:"redeploy,omitempty"`
	TookMS   int64 `json:"took_ms,omitempty"` // --watch: from the file change to the deploy's end
}

func runServiceDeploy(cmd *cobra.Command, path string, o serviceDeployOptions) error {
	switch {
	case o.relay == "":
		return badInput("--relay is required")
	case o.name == "":
		return badInput("--name is required (the service's alias)")
	case o.ttl <= 0:
		return badInput("--ttl must be positive")
	case o.interval <= 0:
		return badInput("--poll must be positive")
	case o.keyDir == "":
		return badInput("--key-dir is required (the home directory is unknown)")
	}
	if err := services.ValidAlias(o.name); err != nil {
		return badInput("--name: %v", err)
	}
	module, err := os.ReadFile(path)
	if err != nil {
		return badInput("%v", err)
	}
	if err := wasm.Precheck(module); err != nil {
		return badInput("%s: %v", path, err)
	}
	ident, err := p2p.LoadOrCreateIdentity(o.keyDir)
	if err != nil {
		return badInput("--key-dir: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if o.verbose {
		log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	p2p.RouteLibraryLogs(log.Handler())
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
	log.Info("deploying", "as", n.ID(), "relay", n.RelayID(), "module", path, "alias", o.name)

	out := json.NewEncoder(cmd.OutOrStdout())
	now := func() string { return time.Now().Format("2006-01-02T15:04:05.000Z07:00") }
	start := time.Now()
	d, err := n.DeployModule(ctx, module, o.name, o.ttl)
	if err != nil {
		return serviceDeployFailure(err)
	}
	line := serviceDeployLine{Deployed: d}
	if o.watch {
		line.Time, line.TookMS = now(), time.Since(start).Milliseconds()
	}
	if err := out.Encode(line); err != nil {
		return err
	}
	if !o.watch {
		return nil
	}

	w := &services.Watcher{
		Path:     path,
		Interval: o.interval,
		Hash:     d.Module,
		Changed: func(c services.FileChange) {
			d, err := n.DeployModule(ctx, c.Data, o.name, o.ttl)
			if err != nil {
				if ctx.Err() == nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s reef: redeploy of %s failed: %v\n", now(), path, err)
				}
				return
			}
			_ = out.Encode(serviceDeployLine{Time: now(), Deployed: d, Redeploy: true, TookMS: time.Since(c.Detected).Milliseconds()})
		},
		Invalid: func(_ string, err error) {
			fmt.Fprintf(cmd.ErrOrStderr(), "%s reef: %s is not a complete module yet, waiting for the next change: %v\n", now(), path, err)
		},
	}
	if err := w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return failure("%v", err)
	}
	return nil
}

// serviceDeployFailure maps a failed deploy to its exit code: 2 for a module the node refused
// as not runnable, 1 for everything else (a refused deploy, an upload that failed or
// timed out).
func serviceDeployFailure(err error) error {
	var de *peer.DeployError
	var te *peer.TimeoutError
	switch {
	case errors.As(err, &de) && de.BadModule():
		return badInput("the node refused the module: %s", de.Message)
	case errors.As(err, &de) && de.Refused():
		return failure("deploy refused: %s", de.Message)
	case errors.As(err, &de):
		return failure("deploy failed: %s", de.Message)
	case errors.As(err, &te):
		return failure("the upload did not complete: %v", te)
	case errors.Is(err, context.Canceled):
		return failure("interrupted")
	}
	return failure("%v", err)
}
