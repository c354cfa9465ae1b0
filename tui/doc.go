// Package tui is the console's root: the Bubble Tea model that owns the terminal size,
// the layout, the focus, the global keys, the header, tabs and footer, and the one
// bridge through which the node's state reaches the panes (package views); plus the
// start-up of `reef` (Console, StartBackend), the script runner and `reef demo`'s
// traffic.
//
// # Layout
//
// ComputeLayout is a pure function of the size (and of whether the left column's panes
// exist, the demo banner and zoom). Below 60×16 the screen says the terminal is too
// small. From 110×30 the split layout shows, in the left column, either Particles (top)
// over the detail slot (Trace, Replay or Runner: the last one focused), or one of the
// node panes (Services, Capacity, Wallet) over the whole column: whichever group was
// focused last. Topology is in the right column and Logs along the bottom; smaller
// terminals, and z (zoom), show the focused pane alone. Header (peer, listen address,
// connected peers, routing table size, particles per second, uptime) on the first line,
// tabs (click to focus; unfocused titles are cut to fit narrow terminals) on the second,
// the footer (the focused pane's keys, then a transient notice) on the last.
//
// Panes, in focus order: 1 Particles, 2 Trace, 3 Replay, 4 Runner, 5 Topology, 6 Logs,
// 7 Services, 8 Capacity, 9 Wallet.
//
// # Keys
//
//	tab / shift+tab  next / previous pane      1-9  jump to pane
//	z                zoom the focused pane     t    next built-in theme
//	?                full help                 q, ctrl+c  quit
//	mouse            click a pane or tab to focus it; the wheel scrolls the pane under it
//
// A pane's own bindings shadow t, z and the digits while it has focus (the runner's t
// edits its TTL); a pane that is typing (Typing() true) gets every key except ctrl+c.
//
// # Data flow
//
// The node publishes typed events to a broker that never blocks it. The Bridge
// subscribes (4096 events per subscription; overflow is dropped by the broker and
// counted in the header) and, each tick (10 Hz), a command off the UI goroutine drains
// at most 2048 events, takes the new log records from the log ring (at most 4096),
// reads the particle list (5 Hz, at most 2000 particles) and the open trace from the
// recorder, and polls the routing table and status (2 Hz, or at once after a
// connection or routing table change), the Wasm services' snapshot and the log the
// Services pane shows (2 Hz, or at once after a service event), and the capacity
// provider's snapshots (2 Hz; copies, never a chain call; the Capacity pane's countdown
// runs on between them). The root applies that one Batch message to the
// panes and asks for the next one: never one message per event, no I/O in Update.
//
// Bounds: the recorder (--history particles), the log ring and the Logs pane
// (--log-buffer records), the log file (rotated at 64 MiB, previous run kept as
// reef.log.1), DHT lookups shown (32).
//
// # Invariants for pane authors
//
//   - Panes implement views.Pane; the root sizes them (SetSize gets the inner size of
//     the frame) and View must return exactly that many lines, none wider.
//   - No I/O and no blocking in Update or View: return a tea.Cmd; its result message
//     comes back to every pane (the root broadcasts what it does not handle).
//   - Every colour comes from Common.Styles (the theme); read it at render time so a
//     theme switch restyles everything.
//   - Cross-pane requests are messages to the root: views.OpenTraceMsg,
//     views.OpenReplayMsg, views.NoticeMsg.
package tui
