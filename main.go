// Command reef is a terminal developer console wrapping an embedded full node of a
// cloudless compute network: AIR scripts, particles, Wasm services and capacity proofs.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

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
	code := cli.Execute(ctx, cli.BuildInfo{Version: buildVersion(), Commit: commit, Date: date}, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// buildVersion is the version stamped by the release build, else the module version Go
// recorded (go install github.com/reefhq/reef@v1.2.3 gives v1.2.3), else "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}
