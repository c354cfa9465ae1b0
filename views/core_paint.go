package views

import (
	"strings"
	"sync/atomic"

	"charm.land/lipgloss/v2"

	"github.com/reefhq/reef/themes"
)

// corePaint is how the Topology and Logs panes colour text: each style of the theme
// rendered once around a marker, split into the escape sequences before and after it,
// so styling a span is two string concatenations instead of a lipgloss Render (which
// measures and lays out its input every time). Only for single-line spans and styles
// without padding, borders or widths: all of themes.Styles' text styles.
type corePainter struct {
	styles *themes.Styles

	Base, Muted, Title, Key, Selected, SelectedPlain, Highlight coreFn
	OK, Warn, Err, Info, Accent                                 coreFn
}

// coreFn styles one line of text.
type coreFn func(string) string

var corePaintCache atomic.Pointer[corePainter]

// corePaintFor returns the painter of s (cached for the current styles).
func corePaintFor(s *themes.Styles) *corePainter {
	if p := corePaintCache.Load(); p != nil && p.styles == s {
		return p
	}
	p := &corePainter{
		styles: s, Base: coreFast(s.Base), Muted: coreFast(s.Muted), Title: coreFast(s.Title), Key: coreFast(s.Key),
		Selected: coreFast(s.Selected), SelectedPlain: coreFast(s.Selected.Bold(false)), Highlight: coreFast(s.Highlight),
		OK: coreFast(s.OK), Warn: coreFast(s.Warn), Err: coreFast(s.Err), Info: coreFast(s.Info), Accent: coreFast(s.Accent),
	}
	corePaintCache.Store(p)
	return p
}

func coreFast(st lipgloss.Style) coreFn {
	const marker = "\x00"
	out := st.Render(marker)
	i := strings.Index(out, marker)
	if i < 0 {
		return func(s string) string { return st.Render(s) }
	}
	pre, post := out[:i], out[i+len(marker):]
	if pre == "" && post == "" {
		return func(s string) string { return s }
	}
	return func(s string) string {
		if s == "" {
			return ""
		}
		return pre + s + post
	}
}
