package views

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/prover"
)

// npSource is what the Capacity and Wallet panes know about the provider: not known
// yet (the node is starting), none (with why and how to start one), or running.
type npSource struct {
	state npState
	why   string
}

type npState int

const (
	npStarting npState = iota
	npNone
	npLive
)

// SetNoProvider says no capacity provider runs; why says so and how to start one.
func (s *npSource) SetNoProvider(why string) { s.state, s.why = npNone, why }

// HasProvider reports whether the pane shows a provider's snapshots.
func (s *npSource) HasProvider() bool { return s.state == npLive }

// placeholder draws the pane's body while no snapshot is shown.
func (s *npSource) placeholder(ink *ppInks, what string, w int) []string {
	if s.state == npStarting {
		return []string{"", "  " + ink.muted.on("Waiting for the node to start…")}
	}
	out := []string{"", "  " + ink.warn.on("No capacity provider runs in this console, so there is no "+what+" to show.")}
	for _, l := range strings.Split(s.why, "\n") {
		for _, wl := range strings.Split(wrapText(l, max(w-4, 20)), "\n") {
			out = append(out, "  "+ink.muted.on(wl))
		}
	}
	return out
}

// CapacityKeyMap are the Capacity pane's keys.
type CapacityKeyMap struct {
	npScrollKeys
	Network key.Binding
}

// ShortHelp implements help.KeyMap.
func (k CapacityKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Network}
}

// FullHelp implements help.KeyMap.
func (k CapacityKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.list(), {k.Network}}
}

// Capacity is the capacity pane: the chain, the epoch with a countdown, the difficulty,
// the prover's hash rate, each compute unit's proofs this epoch against the minimum and
// maximum (with at-risk flags), the commitment and its slashing, and the recent proofs
// with their transactions. It shows prover.CapacitySnapshot, polled by the bridge.
type Capacity struct {
	npBase
	keys    CapacityKeyMap
	snap    prover.CapacitySnapshot
	network bool
}

// NewCapacity returns the Capacity pane.
func NewCapacity(c *Common) *Capacity {
	k := CapacityKeyMap{npScrollKeys: newNPScrollKeys(),
		Network: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "our/network proofs"))}
	return &Capacity{npBase: npBase{c: c}, keys: k}
}

// Title implements Pane.
func (p *Capacity) Title() string { return "Capacity" }

// KeyMap implements Pane.
func (p *Capacity) KeyMap() help.KeyMap { return p.keys }

// SetCapacity shows a snapshot of the provider.
func (p *Capacity) SetCapacity(s prover.CapacitySnapshot) {
	p.snap, p.state = s, npLive
}

// Snapshot returns the snapshot shown.
func (p *Capacity) Snapshot() prover.CapacitySnapshot { return p.snap }

// Network reports whether the recent proofs are the network's rather than ours.
func (p *Capacity) Network() bool { return p.network }

// Update implements Pane.
func (p *Capacity) Update(msg tea.Msg) tea.Cmd {
	if p.scroll(msg, p.keys.npScrollKeys) {
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, p.keys.Network) {
		p.network = !p.network
	}
	return nil
}

// EpochEndsIn is the countdown at now: the snapshot's, less the time since it was taken.
func (p *Capacity) EpochEndsIn(now time.Time) time.Duration {
	return capEndsIn(&p.snap, now)
}

func capEndsIn(s *prover.CapacitySnapshot, now time.Time) time.Duration {
	if s.EpochDuration <= 0 || s.At.IsZero() {
		return s.EpochEndsIn
	}
	return max(s.EpochEndsIn-max(now.Sub(s.At), 0), 0)
}

func capProgress(s *prover.CapacitySnapshot, now time.Time) float64 {
	if s.EpochDuration <= 0 {
		return s.EpochProgress
	}
	if s.At.IsZero() {
		return s.EpochProgress
	}
	return min(s.EpochProgress+float64(max(now.Sub(s.At), 0))/float64(s.EpochDuration), 1)
}

// View implements Pane.
func (p *Capacity) View() string {
	return p.render("Capacity", "capacity", func() string {
		ink, s := &p.ink, &p.snap
		left := ink.title.on("Capacity") + ink.muted.on(" · ") + capPhaseInk(ink, s.Phase).on(s.Phase)
		right := ink.muted.on("provider ") + ink.base.on(npShortHex(s.Address.Hex(), 6))
		return ppSpread(left, right, p.w)
	}, func() []string { return p.body(p.w) })
}

// capPhaseInk colours the provider's phase.
func capPhaseInk(ink *ppInks, phase string) ppInk {
	switch phase {
	case prover.PhaseProving, prover.PhaseInDeal:
		return ink.ok
	case prover.PhaseForeignPeer, prover.PhaseWaitingFailure, prover.PhaseNoContracts:
		return ink.err
	case prover.PhaseStopped, prover.PhaseEnded, prover.PhaseWaitingFunds:
		return ink.warn
	}
	return ink.info
}

func (p *Capacity) body(w int) []string {
	ink := &p.ink
	s := &p.snap
	now := p.c.Now()
	b := ink.base.on
	m := ink.muted.on
	var fields []npField

	// Chain.
	cs := s.Chain
	where := b(ppClean(string(cs.Kind)))
	if cs.Kind == chain.KindRPC || cs.Kind == "" {
		where = b(ppClean(orDash(cs.URL)))
	} else if cs.URL != "" {
		where += m(" at ") + b(ppClean(cs.URL))
	}
	chainParts := []string{where, m("id ") + b(fmt.Sprint(cs.ChainID))}
	if cs.Head > 0 {
		age := s.HeadAge + max(now.Sub(s.At), 0)
		if s.At.IsZero() {
			age = s.HeadAge
		}
		chainParts = append(chainParts, m("head ")+b("#"+ppCount(int(cs.Head))), b(uitext.Age(age)+" old"))
	}
	switch {
	case cs.Connected:
		chainParts = append(chainParts, ink.ok.on("connected"))
	case cs.Reconnecting:
		chainParts = append(chainParts, ink.warn.on(fmt.Sprintf("reconnecting (%d failed polls)", cs.Failures)))
	default:
		chainParts = append(chainParts, ink.err.on("not connected"))
	}
	fields = append(fields, npField{"chain", chainParts})
	if e := s.LastError; e != "" {
		fields = append(fields, npField{"error", []string{ink.err.on(ppClean(e)), m(uitext.Since(now, s.ErrorAt) + " ago")}})
	} else if cs.LastError != "" && !cs.Connected {
		fields = append(fields, npField{"error", []string{ink.err.on(ppClean(cs.LastError)), m(uitext.Since(now, cs.LastErrorAt) + " ago")}})
	}

	// Epoch.
	if s.Epoch > 0 {
		bw := min(max(w/4, 10), 32)
		frac := capProgress(s, now)
		fill, empty := npBar(frac, bw)
		fields = append(fields, npField{"epoch", []string{
			b(fmt.Sprint(s.Epoch)) + " " + ink.accent.on(fill) + m(empty) + " " + b(fmt.Sprintf("%3.0f%%", frac*100)),
			m("ends in ") + b(ppTTL(capEndsIn(s, now))),
			b(ppSpan(s.EpochDuration)) + m(" epochs"),
		}})
	} else {
		fields = append(fields, npField{"epoch", []string{m("not known yet")}})
	}

	// Difficulty.
	if s.Target != "" {
		nonce := m("nonce ") + b(npShortHex(s.GlobalNonce.Hex(), 6)) + m(fmt.Sprintf(" (epoch %d)", s.NonceEpoch))
		parts := []string{b(fmt.Sprintf("%.1f bits", s.TargetBits)), b(npCount(uint64(s.ExpectedHashes))) + m(" hashes per proof"), nonce}
		if s.NonceStale {
			parts = append(parts, ink.warn.on("rotation pending"))
		}
		fields = append(fields, npField{"difficulty", parts})
	}

	// Prover.
	spark := npSpark(s.HashRateSamples, min(max(w/5, 10), 60))
	rate := b(npRate(s.HashRate))
	if spark != "" {
		rate += " " + ink.accent.on(spark)
	}
	hashing := []string{rate}
	if s.ExpectedProofTime > 0 {
		hashing = append(hashing, m("a proof every ")+b(ppDur(s.ExpectedProofTime)))
	}
	hashing = append(hashing, b(fmt.Sprintf("%d of %d workers busy", s.BusyWorkers, s.Workers)), m("threads ")+b(fmt.Sprint(s.Threads)),
		b(npCount(s.TotalHashes))+m(" hashes"))
	fields = append(fields, npField{"hashing", hashing})
	proofs := []string{m("found ") + b(ppCount(int(s.ProofsFound))), m("submitted ") + b(ppCount(int(s.ProofsSubmitted))),
		m("confirmed ") + ink.ok.on(ppCount(int(s.ProofsConfirmed)))}
	if s.ProofsDropped > 0 {
		proofs = append(proofs, m("dropped ")+ink.warn.on(ppCount(int(s.ProofsDropped))))
	}
	if n := s.Network; n.Epoch > 0 {
		proofs = append(proofs, m("network ")+b(fmt.Sprintf("%d by %d units in epoch %d", n.ProofsThisEpoch, n.UnitsThisEpoch, n.Epoch)))
	}
	fields = append(fields, npField{"proofs", proofs})

	// Commitment.
	c := s.Commitment
	if c.ID > 0 || c.Status != "" {
		st := ink.info
		switch c.Status {
		case "active":
			st = ink.ok
		case "failed":
			st = ink.err
		case "expired", "finished":
			st = ink.warn
		}
		parts := []string{b(fmt.Sprintf("#%d ", c.ID)) + st.on(orDash(c.Status))}
		if c.EndEpoch > 0 {
			parts = append(parts, m("epochs ")+b(fmt.Sprintf("%d–%d", c.StartEpoch, c.EndEpoch)))
		}
		parts = append(parts, b(ppCount(int(c.SuccessEpochs)))+m(" unit-epochs proven"))
		miss := ink.base
		if c.FailCount > 0 {
			miss = ink.warn
		}
		if c.FailLimit > 0 && c.FailCount*5 >= c.FailLimit*4 {
			miss = ink.err
		}
		parts = append(parts, miss.on(fmt.Sprintf("missed %d of %d allowed", c.FailCount, c.FailLimit)))
		parts = append(parts, m("collateral ")+b(npETH(c.Collateral)))
		slashed := m("slashed ") + b(npETH(c.Slashed))
		if c.Slashed != nil && c.Slashed.Sign() > 0 {
			slashed = m("slashed ") + ink.err.on(npETH(c.Slashed))
		}
		parts = append(parts, slashed, m("rewards ")+ink.ok.on(npETH(c.Rewards)))
		fields = append(fields, npField{"commitment", parts})
	} else {
		fields = append(fields, npField{"commitment", []string{m("none yet")}})
	}
	out := npFields(ink, fields, 11, w, 3)
	out = append(out, "")
	out = append(out, p.units(w)...)
	out = append(out, "")
	if p.network {
		out = append(out, p.networkProofs(w)...)
	} else {
		out = append(out, p.proofs(w)...)
	}
	return out
}

func (p *Capacity) units(w int) []string {
	ink := &p.ink
	s := &p.snap
	risk := 0
	for _, u := range s.Units {
		if u.AtRisk {
			risk++
		}
	}
	detail := fmt.Sprintf("%d proving of %d · min %d · max %d proofs per unit per epoch", s.UnitsProving, len(s.Units), s.MinProofs, s.MaxProofs)
	out := []string{npSection(ink, "Units", detail, w)}
	if risk > 0 {
		out[0] = uitext.Truncate(out[0]+"  "+ink.warn.on(fmt.Sprintf("⚠ %d at risk", risk)), w)
	}
	if len(s.Units) == 0 {
		return append(out, "  "+ink.muted.on("no units registered yet"))
	}
	bw := min(max(w/6, 10), 25)
	unitW := 15
	if w < 90 {
		unitW = 0
	}
	head := "  " + uitext.FitLeft("#", 3) + " "
	if unitW > 0 {
		head += uitext.Fit("UNIT", unitW) + " "
	}
	head += uitext.FitLeft("FOUND", 5) + " " + uitext.FitLeft("SUB", 4) + " " + uitext.FitLeft("CONF", 4) + "  " +
		uitext.Fit(capBarTitle(bw), bw) + " " + uitext.FitLeft("RATE", 10) + "  STATUS"
	out = append(out, ink.muted.on(uitext.Truncate(head, w)))
	for _, u := range s.Units {
		var bld strings.Builder
		bld.WriteString("  " + ink.base.on(uitext.FitLeft(fmt.Sprint(u.Index), 3)) + " ")
		if unitW > 0 {
			bld.WriteString(ink.muted.on(uitext.Fit(npShortHex(u.ID.Hex(), 6), unitW)) + " ")
		}
		bld.WriteString(ink.base.on(uitext.FitLeft(fmt.Sprint(u.Found), 5)+" "+uitext.FitLeft(fmt.Sprint(u.Submitted), 4)) + " " +
			ink.ok.on(uitext.FitLeft(fmt.Sprint(u.Confirmed), 4)) + "  ")
		bld.WriteString(p.unitBar(u, bw) + " ")
		bld.WriteString(ink.base.on(uitext.FitLeft(npRate(u.HashRate), 10)) + "  ")
		st := ink.info
		switch u.Status {
		case prover.UnitMinReached, prover.UnitMaxReached:
			st = ink.ok
		case prover.UnitFailed:
			st = ink.err
		case prover.UnitInDeal:
			st = ink.accent
		case prover.UnitIdle, prover.UnitWaiting:
			st = ink.muted
		}
		bld.WriteString(st.on(u.Status))
		if u.DealID != 0 {
			bld.WriteString(ink.muted.on(fmt.Sprintf(" deal #%d", u.DealID)))
		}
		if u.AtRisk {
			bld.WriteString(" " + ink.warn.on("⚠ at risk"))
		}
		bld.WriteString(ink.muted.on(fmt.Sprintf("  epochs ✓%d ✗%d", u.SuccessEpochs, u.MissedEpochs)))
		out = append(out, uitext.Truncate(bld.String(), w))
	}
	return out
}

func capBarTitle(bw int) string {
	if bw >= 17 {
		return "PROOFS (· TO MIN)"
	}
	return "PROOFS"
}

// unitBar draws a unit's proofs toward the maximum: confirmed (█), found but not
// confirmed yet (▒), then the proofs still missing, as · up to the minimum and ░ above.
func (p *Capacity) unitBar(u prover.UnitSnapshot, bw int) string {
	ink := &p.ink
	s := &p.snap
	top := max(int(s.MaxProofs), int(u.Found), 1)
	cell := func(n int) int { return min((n*bw+top/2)/top, bw) }
	conf := cell(int(u.Confirmed))
	found := max(cell(int(u.Found))-conf, 0)
	minAt := max(cell(int(s.MinProofs))-conf-found, 0)
	rest := bw - conf - found - minAt
	fill := ink.info
	switch {
	case u.AtRisk:
		fill = ink.warn
	case s.MinProofs > 0 && u.Confirmed >= s.MinProofs:
		fill = ink.ok
	}
	return fill.on(strings.Repeat("█", conf)) + ink.accent.on(strings.Repeat("▒", found)) +
		ink.muted.on(strings.Repeat("·", minAt)+strings.Repeat("░", max(rest, 0)))
}

func (p *Capacity) proofs(w int) []string {
	ink := &p.ink
	s := &p.snap
	out := []string{npSection(ink, fmt.Sprintf("Recent proofs (%d)", len(s.RecentProofs)), "ours, newest first · n shows the network's", w)}
	if len(s.RecentProofs) == 0 {
		return append(out, "  "+ink.muted.on("no proofs found yet"))
	}
	wide := w >= 110
	for _, r := range s.RecentProofs {
		st := ink.info
		switch r.Status {
		case prover.ProofConfirmed:
			st = ink.ok
		case prover.ProofDropped:
			st = ink.warn
		case prover.ProofRejected:
			st = ink.err
		}
		line := "  " + ink.muted.on(r.At.Format("15:04:05")) + " " + ink.base.on(fmt.Sprintf("e%-4d unit %-2d", r.Epoch, r.Unit))
		if wide {
			line += ink.muted.on(" nonce ") + ink.base.on(npShortHex(r.LocalNonce.Hex(), 4)) + ink.muted.on(" hash ") + ink.base.on(npShortHex(r.Hash.Hex(), 6))
		}
		tx := "-"
		if r.Tx != ([32]byte{}) {
			tx = npShortHex(r.Tx.Hex(), 6)
		}
		line += ink.muted.on(" tx ") + ink.accent.on(uitext.Fit(tx, 15)) + " " + st.on(r.Status)
		if r.Reason != "" {
			line += ink.muted.on(": " + ppClean(r.Reason))
		}
		out = append(out, uitext.Truncate(line, w))
	}
	return out
}

func (p *Capacity) networkProofs(w int) []string {
	ink := &p.ink
	n := &p.snap.Network
	out := []string{npSection(ink, fmt.Sprintf("Network proofs (%d)", len(n.Recent)), "every provider on the chain, newest first · n shows ours", w)}
	if len(n.Recent) == 0 {
		return append(out, "  "+ink.muted.on("no proofs seen on the chain yet"))
	}
	for _, r := range n.Recent {
		line := "  " + ink.base.on(fmt.Sprintf("#%-8s e%-4d commitment %-4d", ppCount(int(r.Block)), r.Epoch, r.CommitmentID)) +
			ink.muted.on(" unit ") + ink.base.on(npShortHex(r.UnitID.Hex(), 6)) +
			ink.base.on(fmt.Sprintf(" ×%d", r.Count)) + ink.muted.on(" tx ") + ink.accent.on(npShortHex(r.Tx.Hex(), 6))
		if r.Mine {
			line += " " + ink.ok.on("ours")
		}
		out = append(out, uitext.Truncate(line, w))
	}
	return out
}
