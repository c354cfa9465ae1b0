package views

// Helpers shared by the node panes (Services, Capacity, Wallet). Everything is prefixed
// "np" to stay out of the way of the other panes.

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/uitext"
)

// npBytes renders a size in bytes: "512 B", "30.7 KiB", "3.25 MiB", "64 MiB".
func npBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	suffix := [...]string{" KiB", " MiB", " GiB", " TiB"}[i]
	switch {
	case v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64) + suffix
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64) + suffix
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64) + suffix
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + suffix
}

// npRate renders a hash rate: "0 H/s", "950 H/s", "12.3 kH/s", "1.24 MH/s".
func npRate(hps float64) string {
	if hps <= 0 || math.IsNaN(hps) || math.IsInf(hps, 0) {
		return "0 H/s"
	}
	units := []string{"H/s", "kH/s", "MH/s", "GH/s", "TH/s"}
	i := 0
	for hps >= 1000 && i < len(units)-1 {
		hps /= 1000
		i++
	}
	prec := 2
	switch {
	case i == 0:
		prec = 0
	case hps >= 100:
		prec = 0
	case hps >= 10:
		prec = 1
	}
	return strconv.FormatFloat(hps, 'f', prec, 64) + " " + units[i]
}

// npCount formats a large count compactly: "950", "12,345", "1.23 M", "4.5 G".
func npCount(n uint64) string {
	switch {
	case n < 1_000_000:
		return ppCount(int(n))
	case n < 1_000_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 2, 64) + " M"
	}
	return strconv.FormatFloat(float64(n)/1e9, 'f', 2, 64) + " G"
}

// npAmount formats base units with decimals as a decimal number with thousands
// separators and at most frac fractional digits (rounded half up, trailing zeros
// dropped): npAmount(1_234_567_890_000_000_000_000, 18, 4) is "1,234.5679". nil is "-".
func npAmount(v *big.Int, decimals, frac int) string {
	if v == nil {
		return "-"
	}
	neg := v.Sign() < 0
	a := new(big.Int).Abs(v)
	if decimals > frac {
		// Round to frac digits.
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals-frac)), nil)
		half := new(big.Int).Rsh(div, 1)
		a.Add(a, half)
		a.Quo(a, div)
		decimals = frac
	}
	s := a.String()
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	intPart, fracPart := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	var b strings.Builder
	if neg && (strings.Trim(intPart, "0") != "" || fracPart != "") {
		b.WriteByte('-')
	}
	start := len(intPart) % 3
	if start == 0 {
		start = 3
	}
	b.WriteString(intPart[:start])
	for i := start; i < len(intPart); i += 3 {
		b.WriteByte(',')
		b.WriteString(intPart[i : i+3])
	}
	if fracPart != "" {
		b.WriteByte('.')
		b.WriteString(fracPart)
	}
	return b.String()
}

// Currencies of the wallet and capacity panes (see docs/wallet.md).
const (
	npNativeDecimals = 18 // ETH, the embedded chain's coin
	npTokenDecimals  = 6  // tUSD
)

// npETH and npUSD format the two currencies with their unit.
func npETH(v *big.Int) string { return npAmount(v, npNativeDecimals, 6) + " ETH" }
func npUSD(v *big.Int) string { return npAmount(v, npTokenDecimals, 2) + " tUSD" }

// npDelta formats a change with its sign ("+0.84", "-12.5", "±0") and returns the sign.
func npDelta(v *big.Int, decimals, frac int) (string, int) {
	if v == nil || v.Sign() == 0 {
		return "±0", 0
	}
	s := npAmount(v, decimals, frac)
	if v.Sign() > 0 {
		return "+" + s, 1
	}
	return s, -1
}

// npShortHex shortens 0x-prefixed hex to its first n and last 4 digits: "0x1a2b3c…9f0e".
func npShortHex(s string, n int) string {
	body, ok := strings.CutPrefix(s, "0x")
	if !ok || len(body) <= n+5 {
		return s
	}
	return "0x" + body[:n] + "…" + body[len(body)-4:]
}

var npSparkRunes = []rune("▁▂▃▄▅▆▇█")

// npSpark draws the last w samples as a one-line sparkline scaled to their maximum.
func npSpark(samples []float64, w int) string {
	if w <= 0 || len(samples) == 0 {
		return ""
	}
	if len(samples) > w {
		samples = samples[len(samples)-w:]
	}
	top := 0.0
	for _, s := range samples {
		top = max(top, s)
	}
	var b strings.Builder
	b.Grow(len(samples) * 3)
	for _, s := range samples {
		i := 0
		if top > 0 && s > 0 {
			i = min(int(s/top*float64(len(npSparkRunes)-1)+0.5), len(npSparkRunes)-1)
		}
		b.WriteRune(npSparkRunes[i])
	}
	return b.String()
}

// npBar splits a bar of w cells at frac (0..1): the filled and the empty part.
func npBar(frac float64, w int) (string, string) {
	if w <= 0 {
		return "", ""
	}
	if math.IsNaN(frac) {
		frac = 0
	}
	n := int(math.Round(math.Min(math.Max(frac, 0), 1) * float64(w)))
	return strings.Repeat("█", n), strings.Repeat("░", w-n)
}

// npField is one "label value" line group of a pane: the label in the muted ink, then
// the parts joined by " · ", wrapped under the value column.
type npField struct {
	label string
	parts []string // already inked
}

// npFields renders fields with the labels in a column of labelW cells, wrapping parts to
// the width; at most maxLines lines per field (the last one cut).
func npFields(ink *ppInks, fields []npField, labelW, w, maxLines int) []string {
	var out []string
	sep := ink.muted.on(" · ")
	for _, f := range fields {
		if len(f.parts) == 0 {
			continue
		}
		indent := strings.Repeat(" ", labelW)
		line := ink.muted.on(uitext.Fit(f.label, labelW))
		lw := labelW
		n := 1
		for i, p := range f.parts {
			pw := uitext.Width(p)
			add := pw
			if i > 0 {
				add += 3
			}
			if i > 0 && lw+add > w && n < maxLines {
				out = append(out, line)
				line, lw = indent+p, labelW+pw
				n++
				continue
			}
			if i > 0 {
				line += sep
			}
			line += p
			lw += add
		}
		out = append(out, uitext.Truncate(line, w))
	}
	return out
}

// npSection is a section title: "Title ── detail".
func npSection(ink *ppInks, title, detail string, w int) string {
	s := ink.title.on(title)
	if detail != "" {
		s += ink.muted.on("  " + detail)
	}
	return uitext.Truncate(s, w)
}

// npScrollKeys are the scrolling keys of the Capacity and Wallet panes.
type npScrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newNPScrollKeys() npScrollKeys {
	return npScrollKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
	}
}

func (k npScrollKeys) list() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// npScrolled applies a scrolling key to top (the renderer clamps it) and reports
// whether msg was one; page is the number of visible rows.
func npScrolled(k npScrollKeys, msg tea.KeyPressMsg, top *int, page int) bool {
	page = max(page-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		*top--
	case key.Matches(msg, k.Down):
		*top++
	case key.Matches(msg, k.PageUp):
		*top -= page
	case key.Matches(msg, k.PageDown):
		*top += page
	case key.Matches(msg, k.Top):
		*top = 0
	case key.Matches(msg, k.Bottom):
		*top = math.MaxInt32
	default:
		return false
	}
	*top = max(*top, 0)
	return true
}

// npWindow returns at most h lines of body from *top (clamped so the last page is
// full), marking hidden lines above and below in the muted ink.
func npWindow(ink *ppInks, body []string, top *int, h int) []string {
	if h <= 0 {
		return nil
	}
	*top = max(min(*top, len(body)-h), 0)
	out := body[*top:min(*top+h, len(body))]
	if *top > 0 || len(out) < len(body)-*top {
		out = append([]string(nil), out...)
		if *top > 0 {
			out[0] = ink.muted.on("  ↑ " + strconv.Itoa(*top) + " more (↑/pgup)")
		}
		if below := len(body) - *top - len(out); below > 0 && len(out) > 1 {
			out[len(out)-1] = ink.muted.on("  ↓ " + strconv.Itoa(below+1) + " more (↓/pgdn)")
		}
	}
	return out
}

// npBase is what the Capacity and Wallet panes share: the size, the focus, the scroll
// offset, the inks and whether a provider runs.
type npBase struct {
	npSource
	c       *Common
	w, h    int
	focused bool
	top     int
	ink     ppInks
}

// SetSize implements Pane.
func (b *npBase) SetSize(w, h int) { b.w, b.h = max(w, 0), max(h, 0) }

// Focus implements Pane.
func (b *npBase) Focus() { b.focused = true }

// Blur implements Pane.
func (b *npBase) Blur() { b.focused = false }

// scroll applies a scrolling key or the mouse wheel, reporting whether msg was one.
func (b *npBase) scroll(msg tea.Msg, k npScrollKeys) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return npScrolled(k, msg, &b.top, b.h-1)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			b.top = max(b.top-3, 0)
		case tea.MouseWheelDown:
			b.top += 3
		}
		return true
	}
	return false
}

// render draws the pane: the head line and the scrolled body once a provider's
// snapshot is shown, the title and why there is none before.
func (b *npBase) render(title, what string, head func() string, body func() []string) string {
	if b.w <= 0 || b.h <= 0 {
		return ""
	}
	b.ink.sync(b.c.Styles)
	if b.state != npLive {
		return ppJoin(append([]string{b.ink.title.on(title)}, b.placeholder(&b.ink, what, b.w)...), b.w, b.h)
	}
	lines := []string{head()}
	lines = append(lines, npWindow(&b.ink, body(), &b.top, b.h-1)...)
	return ppJoin(lines, b.w, b.h)
}
