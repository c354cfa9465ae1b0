package themes

import "charm.land/lipgloss/v2"

// Styles are the lipgloss styles of the console, all derived from one Theme.
type Styles struct {
	Theme Theme

	Base      lipgloss.Style // plain text
	Muted     lipgloss.Style
	Title     lipgloss.Style // pane titles
	Key       lipgloss.Style // key names in help and banners
	Pane      lipgloss.Style // pane frame
	Focused   lipgloss.Style // focused pane frame
	Header    lipgloss.Style
	Footer    lipgloss.Style
	Selected  lipgloss.Style // the selected row
	Highlight lipgloss.Style // the current instruction in a replay
	OK        lipgloss.Style
	Warn      lipgloss.Style
	Err       lipgloss.Style
	Info      lipgloss.Style
	Accent    lipgloss.Style
}

// NewStyles builds the styles of a theme.
func NewStyles(t Theme) *Styles {
	fg := lipgloss.NewStyle().Foreground(C(t.Foreground))
	frame := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(C(t.Border)).Padding(0, 1)
	return &Styles{
		Theme:     t,
		Base:      fg,
		Muted:     lipgloss.NewStyle().Foreground(C(t.Muted)),
		Title:     lipgloss.NewStyle().Foreground(C(t.Accent)).Bold(true),
		Key:       lipgloss.NewStyle().Foreground(C(t.Accent)).Bold(true),
		Pane:      frame,
		Focused:   frame.BorderForeground(C(t.FocusBorder)),
		Header:    lipgloss.NewStyle().Foreground(C(t.Foreground)).Background(C(t.Selection)).Padding(0, 1),
		Footer:    lipgloss.NewStyle().Foreground(C(t.Muted)).Padding(0, 1),
		Selected:  lipgloss.NewStyle().Foreground(C(t.Foreground)).Background(C(t.Selection)).Bold(true),
		Highlight: lipgloss.NewStyle().Foreground(C(t.Background)).Background(C(t.Highlight)).Bold(true),
		OK:        lipgloss.NewStyle().Foreground(C(t.OK)),
		Warn:      lipgloss.NewStyle().Foreground(C(t.Warn)),
		Err:       lipgloss.NewStyle().Foreground(C(t.Err)).Bold(true),
		Info:      lipgloss.NewStyle().Foreground(C(t.Info)),
		Accent:    lipgloss.NewStyle().Foreground(C(t.Accent)),
	}
}
