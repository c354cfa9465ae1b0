// Command reef is a terminal developer console wrapping an embedded full node of a
// cloudless compute network: AIR scripts, particles, Wasm services and capacity proofs.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/reefhq/reef/internal/cli"
)

// Stamped by the release build (-ldflags "-X main.version=...").
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Execute(ctx, cli.BuildInfo{Version: version, Commit: commit, Date: date}, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
