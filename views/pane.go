// Package views holds the console's panes. Each pane is an imperative component driven by
// the root model (package tui): the root pushes data into it with typed setters, routes
// key and mouse messages to the focused pane, sizes it, and renders it with View. Panes
// never call each other and never do I/O in Update: work that blocks (a ping, a replay, a
// script run) is returned as a tea.Cmd whose result comes back as a message.
package views

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	zone "github.com/lrstanley/bubblezone/v2"

	"github.com/reefhq/reef/themes"
)

// Pane is one pane of the console.
type Pane interface {
	// Title names the pane in its frame and in the focus order.
	Title() string
	// SetSize gives the pane its inner size (inside the frame the root draws).
	SetSize(width, height int)
	// Focus and Blur tell the pane whether it receives keys.
	Focus()
	Blur()
	// Update handles a message routed to the pane (keys and mouse only when focused,
	// the pane's own result messages always) and may return a command.
	Update(msg tea.Msg) tea.Cmd
	// View renders the pane at its size; lines never exceed the width.
	View() string
	// KeyMap lists the pane's keys for the footer and the full help.
	KeyMap() help.KeyMap
}

// Common is what every pane shares: the styles of the current theme, the mouse zone
// manager, and the clock (injectable so golden tests render stable ages).
type Common struct {
	Styles *themes.Styles
	Zone   *zone.Manager
	Now    func() time.Time
}

// NewCommon returns a Common for a theme, with the real clock and a zone manager.
func NewCommon(t themes.Theme) *Common {
	return &Common{Styles: themes.NewStyles(t), Zone: zone.New(), Now: time.Now}
}

// SetTheme switches the styles to another theme.
func (c *Common) SetTheme(t themes.Theme) { c.Styles = themes.NewStyles(t) }
