package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
	"github.com/reefhq/reef/internal/aquafn"
	"github.com/reefhq/reef/peer/builtins"
)

func newAirCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "air",
		Short: "Check, format and run AIR scripts",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newAirCheckCmd(), newAirFmtCmd(), newAirRunCmd())
	return cmd
}

// parseScript reads and parses a script, turning parse errors into bad-input errors
// that show the line, column and a caret.
func parseScript(cmd *cobra.Command, path string) (string, *air.Script, error) {
	src, err := readFile(cmd, path)
	if err != nil {
		return "", nil, err
	}
	s, err := air.Parse(string(src))
	if err != nil {
		name := path
		if name == "-" {
			name = "<stdin>"
		}
		return "", nil, badInput("%s: %v", name, err)
	}
	return string(src), s, nil
}

func newAirCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check SCRIPT",
		Short: "Parse and validate an AIR script (exit 0 when valid, 2 with the error otherwise)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, err := parseScript(cmd, args[0])
			return err
		},
	}
}

func newAirFmtCmd() *cobra.Command {
	var write bool
	cmd := &cobra.Command{
		Use:   "fmt SCRIPT",
		Short: "Print the canonical form of an AIR script",
		Long:  "Print the canonical form of an AIR script. Comments are not kept.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, s, err := parseScript(cmd, args[0])
			if err != nil {
				return err
			}
			out := air.Format(s.Root)
			if write && args[0] != "-" {
				if err := os.WriteFile(args[0], []byte(out), 0o644); err != nil {
					return failure("%v", err)
				}
				return nil
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().BoolVarP(&write, "write", "w", false, "rewrite the file in place instead of printing")
	return cmd
}

type airRunOptions struct {
	argsFile string
	args     []string
	ttl      time.Duration
	trace    bool
	onRun    func(*memnet.RunRecord) // reef bench air: sees every interpreter run
}

func newAirRunCmd() *cobra.Command {
	var o airRunOptions
	cmd := &cobra.Command{
		Use:   "run [--args-file F] [--arg name=JSON]... SCRIPT",
		Short: "Run a compiled Aqua function on one local in-memory peer",
		Long: `Run a compiled Aqua function on one local in-memory peer that is also the init peer
and the relay. getDataSrv serves the arguments (and "-relay-"), callbackSrv.response
receives the result, errorHandlingSrv.error receives an error, and the pure builtins
(op, math, cmp, array, json, debug, peer.timestamp_*) answer the other calls.

The result is printed as one JSON value: the single value passed to callbackSrv.response,
an array when it got several, null when the script ends without one. An error goes to
stderr with exit code 1; bad input exits with 2.`,
		Example: `  reef air run --arg s='"hi"' main.air
  reef air run --args-file args.json main.air`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runAir(cmd, args[0], o) },
	}
	cmd.Flags().StringVar(&o.argsFile, "args-file", "", "JSON object with the function's arguments by name")
	cmd.Flags().StringArrayVar(&o.args, "arg", nil, "one argument as name=JSON (repeatable; overrides --args-file)")
	cmd.Flags().DurationVar(&o.ttl, "ttl", time.Minute, "particle time to live")
	cmd.Flags().BoolVar(&o.trace, "trace", false, "print every executed instruction to stderr")
	return cmd
}

// functionArgs merges the --args-file object and the --arg values.
func functionArgs(cmd *cobra.Command, o airRunOptions) (map[string]jsonv.Value, error) {
	out := map[string]jsonv.Value{}
	if o.argsFile != "" {
		raw, err := readFile(cmd, o.argsFile)
		if err != nil {
			return nil, err
		}
		v, err := jsonv.Parse(raw)
		if err != nil {
			return nil, badInput("%s: not JSON: %v", o.argsFile, err)
		}
		if v.Kind() != jsonv.Object {
			return nil, badInput("%s: must hold a JSON object of arguments by name, got %s", o.argsFile, v.TypeName())
		}
		for _, m := range v.Members() {
			out[m.Key] = m.Value
		}
	}
	for _, a := range o.args {
		name, text, ok := strings.Cut(a, "=")
		if !ok || name == "" {
			return nil, badInput("--arg %q: expected name=JSON", a)
		}
		v, err := jsonv.ParseString(text)
		if err != nil {
			return nil, badInput("--arg %s: the value is not JSON (%v); quote strings, e.g. %s='\"text\"'", name, err, name)
		}
		out[name] = v
	}
	return out, nil
}

func runAir(cmd *cobra.Command, path string, o airRunOptions) error {
	src, _, err := parseScript(cmd, path)
	if err != nil {
		return err
	}
	fargs, err := functionArgs(cmd, o)
	if err != nil {
		return err
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return failure("generating the peer key: %v", err)
	}
	res, errObj, undelivered, err := runLocal(cmd.Context(), src, fargs, key, o, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	if errObj != nil {
		return failure("the script failed: %s\nerror object: %s", aquafn.ErrorMessage(*errObj), *errObj)
	}
	if len(undelivered) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "reef: warning: the script sent the particle to %s, which a single local peer cannot reach\n", strings.Join(undelivered, ", "))
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), res.String())
	return err
}

// runLocal runs src on one in-memory peer and returns what it delivered.
func runLocal(ctx context.Context, src string, args map[string]jsonv.Value, key ed25519.PrivateKey, o airRunOptions, stderr io.Writer) (jsonv.Value, *jsonv.Value, []string, error) {
	reg := builtins.NewRegistry()
	builtins.RegisterPure(reg)
	var client *aquafn.Client
	var failed *aqua.Outcome
	opts := []memnet.Option{memnet.OnRun(func(r *memnet.RunRecord) {
		if o.onRun != nil {
			o.onRun(r)
		}
		class := aqua.ClassOf(r.Outcome.RetCode)
		if r.Outcome.RetCode != 0 && class != aqua.Catchable && failed == nil {
			failed = r.Outcome
		}
	})}
	if o.trace {
		opts = append(opts, memnet.WithObserver(func(*memnet.Peer) aqua.Observer { return traceObserver(src, stderr) }))
	}
	net, err := memnet.New(opts...)
	if err != nil {
		return jsonv.Value{}, nil, nil, failure("%v", err)
	}
	peer := net.AddPeerWithKey("local", key, func(p *memnet.Peer, pt *memnet.Particle, req aqua.CallRequest) aqua.CallResult {
		if r, ok := client.Handle(req); ok {
			return r
		}
		if req.Service == "getDataSrv" {
			return aqua.Fail(1, fmt.Sprintf("argument '%s' was not given: pass it with --arg %s=JSON or in --args-file", req.Function, req.Function))
		}
		return reg.Call(ctx, builtins.NewCall(req, builtins.Particle{
			InitPeerID: pt.InitPeerID, CurrentPeerID: p.ID, ParticleID: pt.ID, Timestamp: pt.Timestamp, TTL: pt.TTL,
		}))
	})
	client = aquafn.New(args, peer.ID)
	particle := &memnet.Particle{
		ID:         uuid.NewString(),
		InitPeerID: peer.ID,
		Timestamp:  uint64(time.Now().UnixMilli()),
		TTL:        uint32(o.ttl.Milliseconds()),
		Script:     src,
	}
	if err := net.Start(particle); err != nil {
		return jsonv.Value{}, nil, nil, failure("%v", err)
	}
	undelivered, err := net.Run(ctx)
	if err != nil {
		if errors.Is(err, memnet.ErrTooManyRuns) {
			return jsonv.Value{}, nil, nil, failure("the script kept running after %d interpreter runs; it may loop", net.Runs())
		}
		return jsonv.Value{}, nil, nil, failure("%v", err)
	}
	res, errObj, delivered := client.Outcome()
	if !delivered && failed != nil {
		return jsonv.Value{}, nil, nil, failure("interpreter error (ret_code %d): %s", failed.RetCode, failed.ErrorMessage)
	}
	if !delivered {
		// The script ended without a result: a void function, or one waiting on a peer
		// that never answered.
		res = jsonv.Value{}
	}
	return res, errObj, undelivered, nil
}

// traceObserver prints every executed leaf instruction with its position.
func traceObserver(src string, w io.Writer) aqua.Observer {
	script, _ := air.Parse(src)
	return aqua.ObserverFunc(func(s *aqua.Step) {
		switch s.Kind {
		case "seq", "par", "xor", "new":
			return
		}
		line, col := script.Position(s.Instr.Span().Start)
		msg := fmt.Sprintf("%d:%d %s", line, col, air.Display(s.Instr))
		if s.Call != nil {
			msg += " -> " + s.Call.Outcome.String()
			if s.Call.Result != nil {
				msg += " " + s.Call.Result.String()
			}
		}
		if s.Err != nil {
			msg += fmt.Sprintf(" !! error %d: %s", s.Err.Code, s.Err.Message)
		}
		fmt.Fprintln(w, strings.TrimSpace(msg))
	})
}
