package views

import (
	"context"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/recorder"
)

// Messages panes return (as commands) for the root model to act on.

// OpenTraceMsg asks the root to show a particle's trace and focus the trace pane.
type OpenTraceMsg struct{ ParticleID string }

// OpenReplayMsg asks the root to replay one hop of a particle and focus the replay pane.
type OpenReplayMsg struct {
	ParticleID string
	Hop        int
}

// NoticeMsg shows a short message in the footer (Level: "info", "warn" or "error").
type NoticeMsg struct {
	Text  string
	Level string
}

// TraceSource is what the particle panes read: the node's particle history.
// *recorder.Recorder implements it.
type TraceSource interface {
	Particles(f recorder.Filter) []recorder.Summary
	Trace(id string) (*recorder.Trace, bool)
	Replay(ctx context.Context, particleID string, hop int) (*recorder.Replay, error)
}

// ScriptResult is the outcome of a script run from the console.
type ScriptResult struct {
	// Value is what the script returned (null when nothing).
	Value jsonv.Value
	// Error is the script's error message, or why the run failed.
	Error string
	// TimedOut reports an expired TTL; Diagnosis then says where the particle went.
	TimedOut  bool
	Diagnosis string
	Duration  time.Duration
}

// ScriptRunner runs compiled Aqua from the console through the embedded node, as a client
// would, with tracing on. It returns the particle's id at once (so its trace can be shown
// live) and the outcome on the channel later.
type ScriptRunner interface {
	RunScript(ctx context.Context, script string, args map[string]jsonv.Value, ttl time.Duration) (particleID string, result <-chan ScriptResult, err error)
}
