// Package uitext has the small text helpers the console's panes share: width-exact
// fitting of styled strings (ANSI-aware, through x/ansi), short peer ids and compact
// durations.
package uitext

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis marks text cut to fit.
const Ellipsis = "…"

// Width is the display width of s, ignoring ANSI sequences.
func Width(s string) int {
	if n, ok := fastWidth(s); ok {
		return n
	}
	return ansi.StringWidth(s)
}

// fastWidth measures s without grapheme segmentation when every rune in it is one
// cell wide for sure (ASCII, Latin-1, and the punctuation, arrows, box drawing,
// shapes and braille the console draws with), skipping CSI and OSC sequences. ok is
// false when s needs the full measure.
func fastWidth(s string) (n int, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			if i+1 >= len(s) {
				return 0, false
			}
			switch s[i+1] {
			case '[': // CSI: parameters, then a final byte in 0x40..0x7e
				j := i + 2
				for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
					j++
				}
				i = j + 1
			case ']': // OSC: up to BEL or ST
				j := i + 2
				for j < len(s) && s[j] != 0x07 && !(s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\') {
					j++
				}
				if j < len(s) && s[j] == 0x1b {
					j++
				}
				i = j + 1
			default:
				return 0, false
			}
		case c < 0x20 || c == 0x7f:
			return 0, false
		case c < 0x80:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return 0, false
			}
			n++
			i += size
		}
	}
	return n, true
}

func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300: // Latin-1 and extended Latin
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e: // punctuation (…, ‖, •)
		return true
	case r >= 0x2190 && r <= 0x21ff: // arrows
		return true
	case r >= 0x2500 && r <= 0x25ff: // box drawing, blocks, geometric shapes
		return true
	case r >= 0x2800 && r <= 0x28ff: // braille
		return true
	case r == 0x2713 || r == 0x2717 || r == 0x00b5 || r == 0x2205 || r == 0x2260 || r == 0x2264 || r == 0x2265:
		return true
	}
	return false
}

// Truncate cuts s to at most w cells, ending with an ellipsis when cut.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, Ellipsis)
}

// Fit returns s cut or padded with spaces to exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := Width(s)
	if n > w {
		s = ansi.Truncate(s, w, Ellipsis)
		n = Width(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// FitLeft right-aligns s in w cells (cutting it if needed).
func FitLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := Width(s)
	if n > w {
		s = ansi.Truncate(s, w, Ellipsis)
		n = Width(s)
	}
	if n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// Block returns exactly h lines of exactly w cells: lines are fitted, missing ones are
// blank, extra ones are dropped.
func Block(lines []string, w, h int) []string {
	out := make([]string, h)
	blank := strings.Repeat(" ", max(w, 0))
	for i := range out {
		if i < len(lines) {
			out[i] = Fit(lines[i], w)
		} else {
			out[i] = blank
		}
	}
	return out
}

// ShortID shortens a peer or particle id to its first 4 and last 6 characters.
func ShortID(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:4] + Ellipsis + id[len(id)-6:]
}

// Age renders a duration compactly: "0s", "42s", "3m05s", "2h07m", "3d04h"; negative
// and zero durations give "0s".
func Age(d time.Duration) string {
	switch {
	case d < time.Second:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}

// Since is Age(now - t), or "-" for a zero time.
func Since(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return Age(now.Sub(t))
}

// Latency renders a round-trip time: "-" when unknown, "850µs", "12.3ms", "1.20s".
func Latency(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d/time.Microsecond)
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}
