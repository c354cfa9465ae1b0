package views

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/prover"
)

const npNoProviderHint = "Start one with `reef node --provider --units N`, or run the console with --provider --units N."

// capGoldenPane is the Capacity pane in a named state, from canned snapshots.
func capGoldenPane(t testing.TB, name string, w, h int) *Capacity {
	p := NewCapacity(ppCommon(t))
	p.SetSize(w, h)
	switch name {
	case "starting":
	case "none":
		p.SetNoProvider(npNoProviderHint)
	case "proving", "network", "scrolled":
		p.SetCapacity(npCapacitySnapshot())
		switch name {
		case "network":
			p.network = true
		case "scrolled":
			p.top = 6
		}
	case "down":
		// The chain is unreachable: the provider keeps running and says so.
		p.SetCapacity(prover.CapacitySnapshot{
			At:      ppT0,
			Chain:   chain.State{Kind: chain.KindRPC, URL: "http://10.0.0.7:8545", ChainID: 1337, Reconnecting: true, Failures: 7, LastError: "dial tcp 10.0.0.7:8545: connect: connection refused", LastErrorAt: ppT0.Add(-2 * time.Second)},
			Address: npCapacitySnapshot().Address, Phase: prover.PhaseWaitingChain, Threads: 2, Workers: 2,
			HashRateSamples: make([]float64, 60),
		})
	}
	return p
}

// npGoldens renders a pane in each named state at the three reference sizes and
// compares it with testdata/<prefix>_<name>_<w>x<h>.golden.
func npGoldens(t *testing.T, prefix string, names []string, pane func(t testing.TB, name string, w, h int) Pane) {
	for _, name := range names {
		for _, sz := range ppSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", name, sz.w, sz.h), func(t *testing.T) {
				out := pane(t, name, sz.w, sz.h).View()
				ppCheckFrame(t, out, sz.w, sz.h)
				ppGolden(t, fmt.Sprintf("%s_%s_%dx%d", prefix, name, sz.w, sz.h), out)
			})
		}
	}
}

func TestCapacityGolden(t *testing.T) {
	npGoldens(t, "capacity", []string{"starting", "none", "proving", "network", "scrolled", "down"},
		func(t testing.TB, name string, w, h int) Pane { return capGoldenPane(t, name, w, h) })
}

// What the pane shows from a snapshot: the countdown runs on between snapshots, units at
// risk are flagged, n switches the recent proofs, the keys scroll.
func TestCapacityPane(t *testing.T) {
	p := capGoldenPane(t, "proving", 120, 40)
	if got := p.EpochEndsIn(ppT0); got != 8*time.Second {
		t.Fatalf("ends in %s", got)
	}
	if got := p.EpochEndsIn(ppT0.Add(3 * time.Second)); got != 5*time.Second {
		t.Fatalf("3 s later: ends in %s", got)
	}
	if got := p.EpochEndsIn(ppT0.Add(time.Minute)); got != 0 {
		t.Fatalf("after the epoch: ends in %s", got)
	}
	out := ansi.Strip(p.View())
	for _, want := range []string{
		"proving", "embedded", "head #1,234", "ends in 8.0s", " 60%", "18.0 bits", "262,144 hashes per proof",
		"1.24 MH/s", "a proof every 211ms", "⚠ 1 at risk", "⚠ at risk", "max reached", "min reached", "in deal deal #7",
		"#3 active", "missed 1 of 10 allowed", "slashed 0.01 ETH", "rewards 0.84 ETH", "Recent proofs (6)", "maximum proofs reached",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the view lacks %q", want)
		}
	}
	p.c.Now = func() time.Time { return ppT0.Add(4 * time.Second) }
	if out := ansi.Strip(p.View()); !strings.Contains(out, "ends in 4.0s") || !strings.Contains(out, " 80%") {
		t.Fatalf("the countdown did not move:\n%s", out)
	}
	ppPress(p, "n")
	if !p.Network() || !strings.Contains(ansi.Strip(p.View()), "Network proofs (5)") {
		t.Fatal("n did not switch to the network's proofs")
	}
	p.SetSize(80, 12)
	ppPress(p, "G")
	if p.top == 0 || !strings.Contains(ansi.Strip(p.View()), "↑") {
		t.Fatal("G did not scroll to the end")
	}
	ppPress(p, "g")
	if p.top != 0 {
		t.Fatal("g did not scroll to the top")
	}
	ppPress(p, "down", "down")
	if p.top != 2 {
		t.Fatalf("top %d", p.top)
	}
}

func TestCapacityNoProvider(t *testing.T) {
	p := capGoldenPane(t, "starting", 80, 24)
	if p.HasProvider() || !strings.Contains(ansi.Strip(p.View()), "Waiting for the node") {
		t.Fatal("starting")
	}
	p.SetNoProvider(npNoProviderHint)
	if out := ansi.Strip(p.View()); !strings.Contains(out, "No capacity provider") || !strings.Contains(out, "--provider --units N") {
		t.Fatalf("no hint:\n%s", out)
	}
	p.SetCapacity(npCapacitySnapshot())
	if !p.HasProvider() {
		t.Fatal("a snapshot does not make a provider")
	}
}

// walletGoldenPane is the Wallet pane in a named state, from canned snapshots.
func walletGoldenPane(t testing.TB, name string, w, h int) *Wallet {
	p := NewWallet(ppCommon(t))
	p.SetSize(w, h)
	switch name {
	case "none":
		p.SetNoProvider(npNoProviderHint)
	case "full":
		p.SetWallet(npWalletSnapshot())
	case "fresh":
		s := npWalletSnapshot()
		s.Deals, s.RecentTxs, s.TxCount = nil, nil, 0
		s.NativeDelta, s.TokenDelta = new(big.Int), nil
		p.SetWallet(s)
	}
	return p
}

func TestWalletGolden(t *testing.T) {
	npGoldens(t, "wallet", []string{"none", "full", "fresh"},
		func(t testing.TB, name string, w, h int) Pane { return walletGoldenPane(t, name, w, h) })
}

func TestWalletPane(t *testing.T) {
	p := walletGoldenPane(t, "full", 200, 60)
	out := ansi.Strip(p.View())
	for _, want := range []string{
		"0x71C7656EC7ab88b098defB751B7401B5f6d8976F", "999,994.123", "-4.012 since start", "12,345.5", "+12.5 since start",
		"0.01 ETH per unit-epoch", "withdrawable 0.8 ETH", "withdrawn 0.04 ETH", "locked 4 ETH", "slashed 0.01 ETH",
		"this epoch 0.000123 ETH", "1,234,567 gas", "42 transactions", "Deals (2)", "insufficient funds", "earned 12.5 tUSD in all",
		"Recent transactions (6 of 42)", "reverted", "max proofs reached", "pending",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the view lacks %q", want)
		}
	}
	p.SetSize(80, 10)
	ppPress(p, "pgdown")
	if p.top == 0 {
		t.Fatal("pgdown did not scroll")
	}
}

// Amounts: rounding, grouping, signs.
func TestNPFormats(t *testing.T) {
	wei := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 10); return v }
	tests := []struct {
		v         *big.Int
		dec, frac int
		want      string
	}{
		{nil, 18, 6, "-"},
		{big.NewInt(0), 18, 6, "0"},
		{wei("1500000000000000000"), 18, 6, "1.5"},
		{wei("1234567890000000000000"), 18, 4, "1,234.5679"},
		{wei("999999999999999999"), 18, 6, "1"},
		{wei("-4012000000000000000"), 18, 6, "-4.012"},
		{wei("1"), 18, 6, "0"},
		{big.NewInt(12_345_500_000), 6, 2, "12,345.5"},
		{big.NewInt(-1), 18, 6, "0"},
	}
	for _, tt := range tests {
		if got := npAmount(tt.v, tt.dec, tt.frac); got != tt.want {
			t.Errorf("npAmount(%v, %d, %d) = %q, want %q", tt.v, tt.dec, tt.frac, got, tt.want)
		}
	}
	for _, tt := range []struct {
		hps  float64
		want string
	}{{0, "0 H/s"}, {950, "950 H/s"}, {12_345, "12.3 kH/s"}, {1_240_000, "1.24 MH/s"}, {456_000_000, "456 MH/s"}} {
		if got := npRate(tt.hps); got != tt.want {
			t.Errorf("npRate(%v) = %q, want %q", tt.hps, got, tt.want)
		}
	}
	for _, tt := range []struct {
		n    uint64
		want string
	}{{512, "512 B"}, {31_396, "30.7 KiB"}, {3_411_996, "3.25 MiB"}, {64 << 20, "64 MiB"}} {
		if got := npBytes(tt.n); got != tt.want {
			t.Errorf("npBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := npSpark([]float64{0, 1, 2, 4, 8}, 4); got != "▂▃▅█" {
		t.Errorf("spark %q", got)
	}
	if d, s := npDelta(big.NewInt(0), 6, 2); d != "±0" || s != 0 {
		t.Errorf("delta %q %d", d, s)
	}
}

func BenchmarkCapacityView(b *testing.B) {
	p := capGoldenPane(b, "proving", 200, 60)
	s := npCapacitySnapshot()
	for i := range 60 { // a provider with 64 units (the most), 32 recent proofs of its own and 32 of the network (what it keeps)
		u := s.Units[i%3]
		u.Index = len(s.Units)
		s.Units = append(s.Units, u)
	}
	for len(s.RecentProofs) < 32 {
		s.RecentProofs = append(s.RecentProofs, s.RecentProofs[len(s.RecentProofs)%6])
	}
	for len(s.Network.Recent) < 32 {
		s.Network.Recent = append(s.Network.Recent, s.Network.Recent[len(s.Network.Recent)%5])
	}
	p.SetCapacity(s)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

func BenchmarkWalletView(b *testing.B) {
	p := walletGoldenPane(b, "full", 200, 60)
	s := npWalletSnapshot()
	for len(s.RecentTxs) < 32 { // what the provider keeps
		s.RecentTxs = append(s.RecentTxs, s.RecentTxs[len(s.RecentTxs)%6])
	}
	for len(s.Deals) < 8 {
		s.Deals = append(s.Deals, s.Deals[len(s.Deals)%2])
	}
	p.SetWallet(s)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}
