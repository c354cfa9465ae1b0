package uitext

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

var samples = []string{
	"", "plain", "\x1b[38;2;1;2;3mcolour\x1b[m", "● peer · 12D3…abc │ ◆ ◉ ○ ◎ ✓ →", "⠋ starting",
	"\x1b[1002zzone\x1b[1002z", "日本語 wide", "e\u0301 combining", "emoji 🚀", "tab\tx", "µs ≥ ≤",
	"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\x1b[1;38;5;12m─── ──\x1b[0m end",
}

func TestWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range samples {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi says %d", s, got, want)
		}
	}
}

func TestFitIsExact(t *testing.T) {
	for _, s := range samples {
		for _, w := range []int{0, 1, 3, 8, 40} {
			if got := ansi.StringWidth(Fit(s, w)); got != w {
				t.Errorf("Fit(%q, %d) is %d wide", s, w, got)
			}
			if got := ansi.StringWidth(FitLeft(s, w)); got != w {
				t.Errorf("FitLeft(%q, %d) is %d wide", s, w, got)
			}
			if got := ansi.StringWidth(Truncate(s, w)); got > w {
				t.Errorf("Truncate(%q, %d) is %d wide", s, w, got)
			}
		}
	}
	b := Block([]string{"a", "toolong"}, 4, 3)
	if len(b) != 3 || b[0] != "a   " || b[1] != "too…" || b[2] != "    " {
		t.Fatalf("Block = %q", b)
	}
}

func TestFormats(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0s", -time.Second: "0s", 42 * time.Second: "42s",
		185 * time.Second: "3m05s", 2*time.Hour + 7*time.Minute: "2h07m", 76 * time.Hour: "3d04h"} {
		if got := Age(d); got != want {
			t.Errorf("Age(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "-", 850 * time.Microsecond: "850µs", 12300 * time.Microsecond: "12.3ms",
		450 * time.Millisecond: "450ms", 1200 * time.Millisecond: "1.20s"} {
		if got := Latency(d); got != want {
			t.Errorf("Latency(%v) = %q, want %q", d, got, want)
		}
	}
	if got := ShortID("12D3KooWRmy9cYvHGN52nchDXm7PT4gdr5RszzibhE7PzDUcdHpN"); got != "12D3…UcdHpN" {
		t.Errorf("ShortID = %q", got)
	}
	if Since(time.Now(), time.Time{}) != "-" {
		t.Error("Since of a zero time")
	}
}
