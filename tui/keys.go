package tui

import "charm.land/bubbles/v2/key"

// GlobalKeys are the keys the root handles whatever pane has focus (except while a
// pane captures input, see views.KeyCapturer).
type GlobalKeys struct {
	Quit, Help, Theme, Next, Prev, Jump, Zoom key.Binding
}

func newGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:  key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Theme: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "theme")),
		Next:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		Prev:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev pane")),
		Jump:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "jump to pane")),
		Zoom:  key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
	}
}

// ShortHelp are the global keys shown in the footer after the pane's own.
func (k GlobalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Next, k.Help, k.Quit} }

// FullHelp are the global keys in the full help.
func (k GlobalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Jump, k.Zoom, k.Theme, k.Help, k.Quit}}
}
