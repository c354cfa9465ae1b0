package tui

import (
	"fmt"
	"testing"
)

func TestComputeLayout(t *testing.T) {
	tests := []struct {
		w, h      int
		o         LayoutOptions
		tooSmall  bool
		mode      Mode
		body      Rect
		main, det Rect
		side, bot Rect
	}{
		{w: 59, h: 30, tooSmall: true},
		{w: 80, h: 15, tooSmall: true},
		{w: 60, h: 16, mode: ModeSingle, body: Rect{0, 2, 60, 13}},
		{w: 80, h: 24, mode: ModeSingle, body: Rect{0, 2, 80, 21}},
		{w: 80, h: 24, o: LayoutOptions{Banner: true}, mode: ModeSingle, body: Rect{0, 3, 80, 20}},
		{w: 109, h: 40, o: LayoutOptions{Particles: true}, mode: ModeSingle, body: Rect{0, 2, 109, 37}},
		{w: 120, h: 29, o: LayoutOptions{Particles: true}, mode: ModeSingle, body: Rect{0, 2, 120, 26}},
		{w: 120, h: 40, mode: ModeSplit, body: Rect{0, 2, 120, 37},
			side: Rect{0, 2, 120, 26}, bot: Rect{0, 28, 120, 11}},
		{w: 120, h: 40, o: LayoutOptions{Particles: true}, mode: ModeSplit, body: Rect{0, 2, 120, 37},
			main: Rect{0, 2, 70, 11}, det: Rect{0, 13, 70, 15}, side: Rect{70, 2, 50, 26}, bot: Rect{0, 28, 120, 11}},
		{w: 200, h: 60, o: LayoutOptions{Particles: true}, mode: ModeSplit, body: Rect{0, 2, 200, 57},
			main: Rect{0, 2, 120, 18}, det: Rect{0, 20, 120, 22}, side: Rect{120, 2, 80, 40}, bot: Rect{0, 42, 200, 17}},
		{w: 200, h: 60, o: LayoutOptions{Particles: true, Zoom: true}, mode: ModeSingle, body: Rect{0, 2, 200, 57}},
		{w: 250, h: 80, o: LayoutOptions{Particles: true, Banner: true}, mode: ModeSplit, body: Rect{0, 3, 250, 76},
			main: Rect{0, 3, 150, 24}, det: Rect{0, 27, 150, 30}, side: Rect{150, 3, 100, 54}, bot: Rect{0, 57, 250, 22}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d %+v", tt.w, tt.h, tt.o), func(t *testing.T) {
			l := ComputeLayout(tt.w, tt.h, tt.o)
			if l.TooSmall != tt.tooSmall {
				t.Fatalf("TooSmall = %v", l.TooSmall)
			}
			if tt.tooSmall {
				return
			}
			if l.Mode != tt.mode || l.Body != tt.body {
				t.Fatalf("mode %v body %+v, want %v %+v", l.Mode, l.Body, tt.mode, tt.body)
			}
			if l.Header != (Rect{0, 0, tt.w, 1}) || l.Tabs != (Rect{0, 1, tt.w, 1}) || l.Footer != (Rect{0, tt.h - 1, tt.w, 1}) {
				t.Fatalf("chrome %+v %+v %+v", l.Header, l.Tabs, l.Footer)
			}
			var wide Rect
			if !tt.main.Empty() {
				wide = Rect{tt.main.X, tt.main.Y, tt.main.W, tt.main.H + tt.det.H}
			}
			got := [numSlots]Rect{tt.main, tt.det, tt.side, tt.bot, wide}
			if l.Slots != got {
				t.Fatalf("slots %+v, want %+v", l.Slots, got)
			}
		})
	}
}

// Every size from the minimum to 250×80 tiles the body exactly: the visible slots cover
// it without overlap, and each frame is big enough for a border and a line of content.
func TestLayoutTilesEverySize(t *testing.T) {
	for w := MinWidth; w <= 250; w++ {
		for h := MinHeight; h <= 80; h++ {
			for _, o := range []LayoutOptions{{}, {Particles: true}, {Particles: true, Banner: true}} {
				l := ComputeLayout(w, h, o)
				if l.TooSmall {
					t.Fatalf("%dx%d too small", w, h)
				}
				if l.Mode == ModeSingle {
					continue
				}
				area := 0
				var shown []Rect
				for s, r := range l.Slots {
					if Slot(s) == SlotWide {
						// Shown instead of main and detail: it is their union.
						m, d := l.Slots[SlotMain], l.Slots[SlotDetail]
						if want := (Rect{m.X, m.Y, m.W, m.H + d.H}); o.Particles && (r != want || d.Y != m.Y+m.H || d.X != m.X || d.W != m.W) {
							t.Fatalf("%dx%d %+v: wide %+v is not main %+v over detail %+v", w, h, o, r, m, d)
						}
						continue
					}
					if r.Empty() {
						if !o.Particles && (Slot(s) == SlotMain || Slot(s) == SlotDetail) {
							continue
						}
						t.Fatalf("%dx%d %+v: slot %d empty", w, h, o, s)
					}
					if r.W < 20 || r.H < 3 {
						t.Fatalf("%dx%d %+v: slot %d is %+v", w, h, o, s, r)
					}
					if r.X < 0 || r.Y < l.Body.Y || r.X+r.W > l.Body.W || r.Y+r.H > l.Body.Y+l.Body.H {
						t.Fatalf("%dx%d %+v: slot %d %+v is outside the body %+v", w, h, o, s, r, l.Body)
					}
					for _, q := range shown {
						if r.X < q.X+q.W && q.X < r.X+r.W && r.Y < q.Y+q.H && q.Y < r.Y+r.H {
							t.Fatalf("%dx%d %+v: slot %d %+v overlaps %+v", w, h, o, s, r, q)
						}
					}
					shown = append(shown, r)
					area += r.W * r.H
				}
				if area != l.Body.W*l.Body.H {
					t.Fatalf("%dx%d %+v: slots cover %d cells of %d", w, h, o, area, l.Body.W*l.Body.H)
				}
			}
		}
	}
}
