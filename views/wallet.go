package views

import (
	"fmt"
	"math/big"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wallet/txsend"
)

// WalletKeyMap are the Wallet pane's keys.
type WalletKeyMap struct{ npScrollKeys }

// ShortHelp implements help.KeyMap.
func (k WalletKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.PageDown} }

// FullHelp implements help.KeyMap.
func (k WalletKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.list()} }

// Wallet is the balances pane: the provider's address, its ETH and tUSD balances with
// their change since the provider started, capacity rewards, collateral, deals and
// their earnings, gas spent and the recent transactions. It shows prover.WalletSnapshot,
// polled by the bridge.
type Wallet struct {
	npBase
	keys WalletKeyMap
	snap prover.WalletSnapshot
}

// NewWallet returns the Wallet pane.
func NewWallet(c *Common) *Wallet {
	return &Wallet{npBase: npBase{c: c}, keys: WalletKeyMap{newNPScrollKeys()}}
}

// Title implements Pane.
func (p *Wallet) Title() string { return "Wallet" }

// KeyMap implements Pane.
func (p *Wallet) KeyMap() help.KeyMap { return p.keys }

// SetWallet shows a snapshot of the provider's wallet.
func (p *Wallet) SetWallet(s prover.WalletSnapshot) { p.snap, p.state = s, npLive }

// Snapshot returns the snapshot shown.
func (p *Wallet) Snapshot() prover.WalletSnapshot { return p.snap }

// Update implements Pane.
func (p *Wallet) Update(msg tea.Msg) tea.Cmd {
	p.scroll(msg, p.keys.npScrollKeys)
	return nil
}

// View implements Pane.
func (p *Wallet) View() string {
	return p.render("Wallet", "wallet", func() string {
		ink, s := &p.ink, &p.snap
		addr := s.Address.Hex()
		if uitext.Width(addr)+10 > p.w {
			addr = npShortHex(addr, 8)
		}
		head := ink.title.on("Wallet") + ink.muted.on(" · ") + ink.accent.on(addr)
		return ppSpread(head, ink.muted.on("as of "+s.At.Format("15:04:05")), p.w)
	}, func() []string { return p.body(p.w) })
}

func (p *Wallet) delta(v *big.Int, decimals, frac int) string {
	d, sign := npDelta(v, decimals, frac)
	ink := p.ink.muted
	switch {
	case sign > 0:
		ink = p.ink.ok
	case sign < 0:
		ink = p.ink.err
	}
	return ink.on(d) + p.ink.muted.on(" since start")
}

func (p *Wallet) body(w int) []string {
	ink := &p.ink
	s := &p.snap
	b := ink.base.on
	m := ink.muted.on
	fields := []npField{
		{"ETH", []string{b(npAmount(s.Native, npNativeDecimals, 6)), p.delta(s.NativeDelta, npNativeDecimals, 6)}},
		{"tUSD", []string{b(npAmount(s.Token, npTokenDecimals, 2)), p.delta(s.TokenDelta, npTokenDecimals, 2)}},
		{"rewards", []string{
			b(npETH(s.RewardPerUnitEpoch)) + m(" per unit-epoch"),
			m("this epoch ") + ink.ok.on(npETH(s.RewardsThisEpoch)),
			m("earned ") + b(npETH(s.RewardsEarned)),
			m("withdrawable ") + ink.ok.on(npETH(s.RewardsWithdrawable)),
			m("withdrawn ") + b(npETH(s.RewardsWithdrawn)),
		}},
		{"collateral", []string{m("locked ") + b(npETH(s.CollateralLocked)), p.slashed(s.CollateralSlashed)}},
		{"gas", []string{
			m("this epoch ") + b(npETH(s.GasSpentEpoch)),
			m("total ") + b(npETH(s.GasSpent)),
			b(ppCount(int(s.GasUsed))) + m(" gas"),
			b(ppCount(s.TxCount)) + m(fmt.Sprintf(" transaction%s", runPlural(s.TxCount))),
		}},
	}
	out := npFields(ink, fields, 11, w, 3)
	out = append(out, "")
	out = append(out, p.deals(w)...)
	out = append(out, "")
	return append(out, p.txs(w)...)
}

func (p *Wallet) slashed(v *big.Int) string {
	if v != nil && v.Sign() > 0 {
		return p.ink.muted.on("slashed ") + p.ink.err.on(npETH(v))
	}
	return p.ink.muted.on("slashed ") + p.ink.base.on(npETH(v))
}

func (p *Wallet) deals(w int) []string {
	ink := &p.ink
	s := &p.snap
	earned := new(big.Int)
	for _, d := range s.Deals {
		if d.Earned != nil {
			earned.Add(earned, d.Earned)
		}
	}
	detail := ""
	if len(s.Deals) > 0 {
		detail = "prices in tUSD per worker-epoch · earned " + npUSD(earned) + " in all, withdrawable"
	}
	out := []string{npSection(ink, fmt.Sprintf("Deals (%d)", len(s.Deals)), detail, w)}
	if len(s.Deals) == 0 {
		return append(out, "  "+ink.muted.on("none of our units is in a deal"))
	}
	stW := 14
	if w >= 100 {
		stW = 18
	}
	out = append(out, ink.muted.on(uitext.Truncate(fmt.Sprintf("  %-5s %-*s %9s %7s %5s %6s %11s %10s",
		"ID", stW, "STATUS", "PRICE", "UNITS/W", "PAID", "FUNDED", "DEPOSIT", "EARNED"), w)))
	for _, d := range s.Deals {
		st := ink.ok
		if d.Status != "active" {
			st = ink.warn
		}
		line := "  " + ink.base.on(fmt.Sprintf("%-5s ", fmt.Sprintf("#%d", d.ID))) + st.on(uitext.Fit(d.Status, stW)) + " " +
			ink.base.on(fmt.Sprintf("%9s %7s %5s %6s %11s ", npAmount(d.Price, npTokenDecimals, 2), fmt.Sprintf("%d/%d", d.OurUnits, d.Workers),
				fmt.Sprintf("e%d", d.PaidThrough), fmt.Sprintf("e%d", d.FundedThrough), npAmount(d.Balance, npTokenDecimals, 2))) +
			ink.ok.on(fmt.Sprintf("%10s", npAmount(d.Earned, npTokenDecimals, 2)))
		out = append(out, uitext.Truncate(line, w))
	}
	return out
}

func (p *Wallet) txs(w int) []string {
	ink := &p.ink
	s := &p.snap
	out := []string{npSection(ink, fmt.Sprintf("Recent transactions (%d of %d)", len(s.RecentTxs), s.TxCount), "newest first", w)}
	if len(s.RecentTxs) == 0 {
		return append(out, "  "+ink.muted.on("no transactions sent yet"))
	}
	wide := w >= 100
	for _, t := range s.RecentTxs {
		st := ink.info
		switch t.Status {
		case string(txsend.StatusOK):
			st = ink.ok
		case string(txsend.StatusReverted):
			st = ink.err
		}
		line := "  " + ink.muted.on(t.At.Format("15:04:05")) + " " + ink.base.on(uitext.Fit(ppClean(t.Label), 18)) + " " +
			ink.accent.on(npShortHex(t.Hash.Hex(), 6)) + " " + st.on(uitext.Fit(t.Status, 8))
		if t.Fee != nil {
			line += ink.muted.on(" fee ") + ink.base.on(uitext.Fit(npETH(t.Fee), 14))
		}
		if wide && t.GasUsed > 0 {
			line += " " + ink.base.on(uitext.FitLeft(ppCount(int(t.GasUsed)), 9)) + ink.muted.on(" gas")
		}
		if wide && t.Block > 0 {
			line += ink.muted.on(" block ") + ink.base.on(uitext.Fit("#"+ppCount(int(t.Block)), 8))
		}
		out = append(out, uitext.Truncate(line, w))
		if t.Err != "" {
			out = append(out, uitext.Truncate("           "+ink.err.on("✗ "+ppClean(t.Err)), w))
		}
	}
	return out
}
