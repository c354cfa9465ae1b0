package tui

// Rect is an area of the screen in cells.
type Rect struct{ X, Y, W, H int }

// Empty reports whether the rect has no area.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Slot is a place of the split layout; each pane lives in one.
type Slot int

// Slots of the split layout.
const (
	// SlotMain is the top left area: the particle list.
	SlotMain Slot = iota
	// SlotDetail is below it: the trace, the replay or the script runner, one at a
	// time (the last one focused).
	SlotDetail
	// SlotSide is the right column: the topology. Without particle panes it takes the
	// whole upper area.
	SlotSide
	// SlotBottom is the bottom row: the logs.
	SlotBottom
	// SlotWide is the whole left column (main and detail together): the Services,
	// Capacity and Wallet panes. It shows instead of the main and detail slots when one
	// of its panes was focused last.
	SlotWide
	numSlots
)

// Mode is how the body is arranged.
type Mode int

const (
	// ModeSplit shows every slot at once.
	ModeSplit Mode = iota
	// ModeSingle shows only the focused pane, over the whole body (small terminals, or
	// zoom).
	ModeSingle
)

// Size limits of the layout.
const (
	MinWidth    = 60
	MinHeight   = 16
	SplitWidth  = 110
	SplitHeight = 30
)

// LayoutOptions are the inputs of the layout besides the terminal size.
type LayoutOptions struct {
	// Particles is set when the left column is used (the particle panes in the main and
	// detail slots, the node panes in the wide slot).
	Particles bool
	// Banner reserves a line under the tabs (demo mode).
	Banner bool
	// Zoom forces the single mode.
	Zoom bool
}

// Layout is where everything goes for one terminal size. It is a pure function of its
// inputs (ComputeLayout).
type Layout struct {
	Width, Height int
	// TooSmall is set below MinWidth × MinHeight; nothing else is set then.
	TooSmall bool
	Mode     Mode
	Header   Rect
	Tabs     Rect
	Banner   Rect
	Footer   Rect
	// Body is the area under the tabs (and banner) and above the footer.
	Body Rect
	// Slots are the panes' frames in split mode (zero in single mode, where the focused
	// pane takes Body). SlotWide covers SlotMain and SlotDetail: either it or they show.
	Slots [numSlots]Rect
}

// ComputeLayout lays out a w × h terminal.
//
//	split (w ≥ 110, h ≥ 30), with particle panes:   without:
//	  header                                          header
//	  tabs                                            tabs
//	  ┌ main ──────────┐┌ side ───┐                   ┌ side ────────────────┐
//	  └────────────────┘│         │                   │                      │
//	  ┌ detail ────────┐│         │                   └──────────────────────┘
//	  └────────────────┘└─────────┘                   ┌ bottom ──────────────┐
//	  ┌ bottom ─────────────────────┐                 └──────────────────────┘
//	  └─────────────────────────────┘                 footer
//	  footer
//
// (wide is main and detail together, for the node panes.)
//
// single: header, tabs, the focused pane over the body, footer.
func ComputeLayout(w, h int, o LayoutOptions) Layout {
	l := Layout{Width: w, Height: h}
	if w < MinWidth || h < MinHeight {
		l.TooSmall = true
		return l
	}
	y := 0
	l.Header = Rect{0, y, w, 1}
	y++
	l.Tabs = Rect{0, y, w, 1}
	y++
	if o.Banner {
		l.Banner = Rect{0, y, w, 1}
		y++
	}
	l.Footer = Rect{0, h - 1, w, 1}
	l.Body = Rect{0, y, w, h - 1 - y}
	if o.Zoom || w < SplitWidth || h < SplitHeight {
		l.Mode = ModeSingle
		return l
	}
	l.Mode = ModeSplit
	body := l.Body
	bottomH := max(8, body.H*3/10)
	upperH := body.H - bottomH
	l.Slots[SlotBottom] = Rect{0, body.Y + upperH, w, bottomH}
	if !o.Particles {
		l.Slots[SlotSide] = Rect{0, body.Y, w, upperH}
		return l
	}
	sideW := max(50, w*2/5)
	leftW := w - sideW
	mainH := upperH * 45 / 100
	l.Slots[SlotMain] = Rect{0, body.Y, leftW, mainH}
	l.Slots[SlotDetail] = Rect{0, body.Y + mainH, leftW, upperH - mainH}
	l.Slots[SlotSide] = Rect{leftW, body.Y, sideW, upperH}
	l.Slots[SlotWide] = Rect{0, body.Y, leftW, upperH}
	return l
}
