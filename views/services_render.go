package views

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wasm"
)

// svcCol is a column of the services table.
type svcCol struct {
	name  string
	w     int
	right bool
	keep  int // columns with a lower keep are dropped first when the pane is narrow
}

const (
	svcColAlias = iota
	svcColID
	svcColModule
	svcColSize
	svcColFns
	svcColCalls
	svcColErrs
	svcColP50
	svcColP99
	svcColMem
)

var svcCols = []svcCol{
	svcColAlias:  {"ALIAS", 12, false, 99},
	svcColID:     {"ID", 8, false, 6},
	svcColModule: {"MODULE", 8, false, 1},
	svcColSize:   {"SIZE", 9, true, 5},
	svcColFns:    {"FNS", 3, true, 4},
	svcColCalls:  {"CALLS", 7, true, 8},
	svcColErrs:   {"ERRS", 5, true, 7},
	svcColP50:    {"P50", 7, true, 7},
	svcColP99:    {"P99", 7, true, 3},
	svcColMem:    {"MEMORY", 17, true, 2},
}

// svcLayout picks the columns that fit in w cells (after the 2-cell marker), widening
// the alias column with what is left.
func svcLayout(w int) []svcCol {
	shown := slices.Clone(svcCols)
	on := make([]bool, len(shown))
	for i := range on {
		on[i] = true
	}
	total := func() int {
		n := 2
		for i, c := range shown {
			if on[i] {
				n += c.w + 1
			}
		}
		return n - 1
	}
	for total() > w {
		drop := -1
		for i, c := range shown {
			if on[i] && c.keep < 99 && (drop < 0 || c.keep < shown[drop].keep) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		on[drop] = false
	}
	shown[svcColAlias].w += max(w-total(), 0)
	shown[svcColAlias].w = min(shown[svcColAlias].w, 40)
	var out []svcCol
	for i, c := range shown {
		if on[i] {
			out = append(out, c)
		} else {
			out = append(out, svcCol{name: c.name, w: -1})
		}
	}
	return out
}

// svcJoin joins the shown columns' cells (cell(i, column)) after prefix.
func svcJoin(prefix string, cols []svcCol, cell func(int, svcCol) string) string {
	var b strings.Builder
	b.WriteString(prefix)
	first := true
	for i, c := range cols {
		if c.w < 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(cell(i, c))
	}
	return b.String()
}

func svcCell(c svcCol, s string) string {
	if c.right {
		return uitext.FitLeft(s, c.w)
	}
	return uitext.Fit(s, c.w)
}

// View implements Pane.
func (p *Services) View() string {
	if p.w <= 0 || p.h <= 0 {
		return ""
	}
	p.ink.sync(p.c.Styles)
	p.styleInputs()
	w, h := p.w, p.h
	lines := []string{p.statusLine(w)}
	switch {
	case !p.attached:
		lines = append(lines, "", p.ink.muted.on("  Waiting for the node to start…"))
		return ppJoin(lines, w, h)
	case p.mgr == nil:
		lines = append(lines, "", p.ink.muted.on("  No Wasm services here: the node has none (a client node), or it did not start."))
		return ppJoin(lines, w, h)
	}
	lines = append(lines, p.formLines(w)...)
	rest := h - len(lines)
	if p.modules {
		lines = append(lines, p.moduleTable(w, rest)...)
		return ppJoin(lines, w, h)
	}
	if len(p.snap.Services) == 0 {
		lines = append(lines, p.emptyLines(w)...)
		if len(p.calls) > 0 && rest > 8 {
			lines = append(lines, "")
			lines = append(lines, p.callLines(w, h-len(lines))...)
		}
		return ppJoin(lines, w, h)
	}
	detail := p.detailLines(w)
	tableH := min(len(p.snap.Services)+1, max(rest/3, 4))
	switch {
	case rest < 10:
		tableH, detail = rest, nil
	case rest-tableH-len(detail) < 3:
		detail = detail[:max(rest-tableH-3, 0)]
	}
	lines = append(lines, p.table(w, tableH)...)
	lines = append(lines, detail...)
	if bottom := h - len(lines); bottom > 0 {
		if bottom > 4 {
			lines = append(lines, "")
			bottom--
		}
		if p.showLogs {
			lines = append(lines, p.logLines(w, bottom)...)
		} else {
			lines = append(lines, p.callLines(w, bottom)...)
		}
	}
	return ppJoin(lines, w, h)
}

func (p *Services) statusLine(w int) string {
	left := p.ink.title.on("Services")
	if p.attached && p.mgr != nil && p.polled {
		left += p.ink.muted.on(fmt.Sprintf(" · %d service%s · %d module%s · deploy: %s",
			len(p.snap.Services), runPlural(len(p.snap.Services)), len(p.snap.Modules), runPlural(len(p.snap.Modules)), orDash(p.snap.DeployRule)))
	}
	var right []string
	for _, a := range slices.Sorted(maps.Keys(p.deploying)) {
		right = append(right, p.ink.info.on("● deploying "+a+"…"))
	}
	if n := len(p.watches); n > 0 {
		right = append(right, p.ink.ok.on(fmt.Sprintf("● watching %d file%s", n, runPlural(n))))
	}
	return ppSpread(left, strings.Join(right, "  "), w)
}

func (p *Services) emptyLines(w int) []string {
	text := []string{
		"No services on this node yet.",
		"d deploys a .wasm file (an Extism plug-in) under an alias; ctrl+w in the form watches the file and redeploys it on every change.",
		"From another terminal: reef deploy --relay MULTIADDR --name ALIAS [--watch] MODULE.wasm",
	}
	out := []string{""}
	for _, t := range text {
		for _, l := range strings.Split(wrapText(t, max(w-4, 20)), "\n") {
			out = append(out, "  "+p.ink.muted.on(l))
		}
	}
	return out
}

// wrapText wraps plain text at spaces to w cells.
func wrapText(s string, w int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		ww := uitext.Width(word)
		if i > 0 && n+1+ww > w {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += ww
	}
	return b.String()
}

// formLines draws the open form (deploy, call, or the removal question).
func (p *Services) formLines(w int) []string {
	label := func(s string, on bool) string {
		if on {
			return p.ink.key.on(s)
		}
		return p.ink.muted.on(s)
	}
	hint := func(h string) string {
		if p.formErr != "" {
			return "  " + p.ink.err.on("✗ "+ppClean(p.formErr))
		}
		return "  " + p.ink.muted.on(h)
	}
	switch p.form {
	case svcDeployForm:
		check := "[ ] watch"
		if p.autoWatch {
			check = "[x] watch"
		}
		aliasW := min(max(w/5, 10), 24)
		pathW := max(w-7-6-7-aliasW-2-len(check), 10)
		p.path.SetWidth(pathW - 1)
		p.alias.SetWidth(aliasW - 1)
		line := p.ink.title.on("Deploy ") + label("file ", p.field == 0) + uitext.Fit(p.path.View(), pathW) +
			label("  alias ", p.field == 1) + uitext.Fit(p.alias.View(), aliasW) + "  " + p.ink.accent.on(check)
		return []string{line, hint("enter deploy · tab field · ctrl+w watch after · esc cancel · no alias: the file's name"), ""}
	case svcCallForm:
		name := p.target
		var fns []string
		for _, v := range p.snap.Services {
			if v.ID == p.target {
				name, fns = svcTarget(v), v.Functions
			}
		}
		head := p.ink.title.on("Call "+uitext.Truncate(ppClean(name), 20)+" ") + label("function ", p.field == 0)
		fnW := min(max(w/5, 12), 24)
		argsW := max(w-uitext.Width(head)-fnW-8, 10)
		p.fn.SetWidth(fnW - 1)
		p.args.SetWidth(argsW - 1)
		line := head + uitext.Fit(p.fn.View(), fnW) + label("  args ", p.field == 1) + uitext.Fit(p.args.View(), argsW)
		h := "enter call · tab field (completes) · esc cancel · args: a JSON array"
		if len(fns) > 0 {
			h += " · functions: " + strings.Join(fns, " ")
		}
		return []string{line, hint(h), ""}
	case svcConfirmRemove:
		name := p.target
		for _, v := range p.snap.Services {
			if v.ID == p.target {
				name = svcTarget(v) + " (" + ppShortParticle(v.ID) + ")"
			}
		}
		return []string{
			p.ink.warn.on("Remove "+ppClean(name)+"? ") + p.ink.key.on("y") + p.ink.muted.on(" removes it · any other key keeps it"),
			"  " + p.ink.muted.on("its aliases stop resolving at once; calls in flight finish on it first"),
			"",
		}
	}
	return nil
}

func (p *Services) table(w, h int) []string {
	if h <= 0 {
		return nil
	}
	cols := svcLayout(w)
	head := svcJoin("  ", cols, func(_ int, c svcCol) string { return svcCell(c, c.name) })
	out := []string{p.ink.muted.on(uitext.Fit(head, w))}
	rows := h - 1
	list := p.snap.Services
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+rows {
		p.top = p.sel - rows + 1
	}
	p.top = max(min(p.top, len(list)-rows), 0)
	for i := p.top; i < len(list) && len(out) < h; i++ {
		out = append(out, p.row(&list[i], cols, i == p.sel, w))
	}
	return out
}

func (p *Services) row(v *services.ServiceView, cols []svcCol, selected bool, w int) string {
	flashing := p.Flashing(v.ID)
	alias := strings.Join(v.Aliases, ",")
	if alias == "" {
		alias = "(no alias)"
	}
	if v.Error != "" {
		alias = "✗ " + alias
	}
	if _, ok := p.watches[svcTarget(*v)]; ok && len(v.Aliases) > 0 {
		alias += " ◉"
	}
	mem := "-"
	if v.MemoryLimit > 0 {
		mem = npBytes(v.MemoryBytes) + "/" + npBytes(v.MemoryLimit)
	}
	vals := [...]string{
		svcColAlias:  ppClean(alias),
		svcColID:     ppShortParticle(v.ID),
		svcColModule: shortHash(v.Module)[:min(8, len(v.Module))],
		svcColSize:   npBytes(uint64(v.Size)),
		svcColFns:    fmt.Sprint(len(v.Functions)),
		svcColCalls:  npCount(v.Calls),
		svcColErrs:   npCount(v.Errors),
		svcColP50:    uitext.Latency(v.LatencyP50),
		svcColP99:    uitext.Latency(v.LatencyP99),
		svcColMem:    mem,
	}
	marker := "  "
	switch {
	case flashing:
		marker = "⟳ "
	case selected:
		marker = "▸ "
	}
	plain := selected || flashing
	text := svcJoin(marker, cols, func(i int, c svcCol) string {
		cell := svcCell(c, vals[i])
		switch {
		case plain:
		case i == svcColAlias && v.Error != "":
			cell = p.ink.err.on(cell)
		case i == svcColAlias:
			cell = p.ink.accent.on(cell)
		case i == svcColErrs && v.Errors > 0:
			cell = p.ink.err.on(cell)
		case i == svcColID || i == svcColModule:
			cell = p.ink.muted.on(cell)
		default:
			cell = p.ink.base.on(cell)
		}
		return cell
	})
	line := uitext.Fit(text, w)
	switch {
	case flashing:
		line = p.ink.hi.on(line)
	case selected:
		line = p.ink.selected.on(line)
	}
	return p.c.Zone.Mark(svcZoneID(v.ID), line)
}

func (p *Services) detailLines(w int) []string {
	v, ok := p.selected()
	if !ok {
		return nil
	}
	ink := &p.ink
	name := svcTarget(v)
	out := []string{"", npSection(ink, ppClean(name), v.ID, w)}
	b := ink.base.on
	mod := []string{b(shortHash(v.Module)) + ink.muted.on("…"), b(ppClean(orDash(v.ModuleName))), b(npBytes(uint64(v.Size)))}
	calls := []string{b(ppCount(int(v.Calls)) + " calls")}
	errs := fmt.Sprintf("%s error%s", ppCount(int(v.Errors)), runPlural(int(v.Errors)))
	if len(v.ErrorsByKind) > 0 {
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(v.ErrorsByKind)) {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, v.ErrorsByKind[k]))
		}
		errs += " (" + strings.Join(kinds, ", ") + ")"
	}
	if v.Errors > 0 {
		calls = append(calls, ink.err.on(errs))
	} else {
		calls = append(calls, b(errs))
	}
	calls = append(calls, b(fmt.Sprintf("%d in flight", v.InFlight)),
		ink.muted.on("p50 ")+b(uitext.Latency(v.LatencyP50)), ink.muted.on("p99 ")+b(uitext.Latency(v.LatencyP99)))
	mem := []string{b(npBytes(v.MemoryBytes)) + ink.muted.on(fmt.Sprintf(" in %d instance%s (pool %d)", v.Instances, runPlural(v.Instances), v.PoolSize))}
	if v.MemoryLimit > 0 {
		mem = append(mem, ink.muted.on("limit ")+b(npBytes(v.MemoryLimit))+ink.muted.on(" per instance"))
	}
	owner := []string{b(ppShortenIDs(ppClean(v.Owner))), ink.muted.on("created ") + b(uitext.Since(p.c.Now(), v.Created)+" ago")}
	if len(v.Aliases) > 1 {
		owner = append(owner, ink.muted.on("aliases ")+b(ppClean(strings.Join(v.Aliases, ", "))))
	}
	fields := []npField{
		{"module", mod},
		{"functions", svcWords(ink, v.Functions)},
		{"calls", calls},
		{"memory", mem},
		{"owner", owner},
		{"watch", p.watchParts(v)},
	}
	if v.Error != "" {
		fields = append(fields, npField{"error", []string{ink.err.on(ppClean(v.Error))}})
	}
	if p.Flashing(v.ID) {
		fields = append(fields, npField{"redeployed", []string{ink.hi.on("⟳ " + uitext.Since(p.c.Now(), p.flash[v.ID]) + " ago"),
			ink.muted.on("replaced ") + b(ppShortParticle(p.prev[v.ID]))}})
	}
	return append(out, npFields(ink, fields, 11, w, 2)...)
}

func svcWords(ink *ppInks, words []string) []string {
	if len(words) == 0 {
		return []string{ink.muted.on("none exported")}
	}
	out := make([]string, len(words))
	for i, f := range words {
		out[i] = ink.base.on(ppClean(f))
	}
	return out
}

func (p *Services) watchParts(v services.ServiceView) []string {
	ink := &p.ink
	alias := svcTarget(v)
	if w, ok := p.watches[alias]; ok && len(v.Aliases) > 0 {
		parts := []string{ink.ok.on("◉ watching ") + ink.base.on(ppClean(w.path))}
		parts = append(parts, ink.base.on(fmt.Sprintf("%d redeploy%s", w.redeploys, runPlural(w.redeploys))))
		if !w.last.IsZero() {
			parts = append(parts, ink.muted.on("last ")+ink.base.on(uitext.Since(p.c.Now(), w.last)+" ago"))
		}
		if w.lastErr != "" {
			parts = append(parts, ink.err.on("✗ "+w.lastErr))
		}
		return append(parts, ink.muted.on("w stops"))
	}
	if path, ok := p.files[alias]; ok && len(v.Aliases) > 0 {
		return []string{ink.muted.on("deployed from ") + ink.base.on(ppClean(path)), ink.muted.on("w watches it")}
	}
	return []string{ink.muted.on("not deployed from a file here · w deploys it from one and watches it")}
}

func (p *Services) callLines(w, h int) []string {
	if h <= 0 {
		return nil
	}
	ink := &p.ink
	out := []string{npSection(ink, fmt.Sprintf("Calls (%d)", len(p.calls)), "c calls a function of the selected service · l shows its log", w)}
	if len(p.calls) == 0 {
		out = append(out, ink.muted.on("  no calls yet"))
		return out
	}
	for _, c := range p.calls {
		if len(out) >= h {
			break
		}
		sig := ppClean(c.target + "." + c.fn + "(" + strings.TrimSuffix(strings.TrimPrefix(c.args, "["), "]") + ")")
		head := "  " + ink.muted.on(c.at.Format("15:04:05")) + " " + ink.accent.on(ppCutBytes(sig, 2*w))
		switch {
		case c.running:
			out = append(out, head+" "+ink.info.on("● running…"))
		case c.err != "":
			out = append(out, uitext.Truncate(head+" "+ink.err.on("✗ "+ppShortenIDs(ppClean(c.err)))+" "+ink.muted.on(uitext.Latency(c.took)), w))
		default:
			out = append(out, uitext.Truncate(head+" "+ink.muted.on("→ ")+ink.ok.on(ppClean(c.result))+" "+ink.muted.on(uitext.Latency(c.took)), w))
		}
	}
	// The latest result in full when there is room (results can be long).
	if c := p.calls[0]; !c.running && len(out) < h-2 {
		text, in := c.result, ink.ok
		if c.err != "" {
			text, in = c.err, ink.err
		}
		if uitext.Width(text) > w-20 {
			out = append(out, "", ink.muted.on("  last result"))
			for _, l := range strings.Split(wrapText(ppClean(text), max(w-4, 20)), "\n") {
				if len(out) >= h {
					break
				}
				out = append(out, "  "+in.on(l))
			}
		}
	}
	return out
}

func (p *Services) logLines(w, h int) []string {
	ink := &p.ink
	v, _ := p.selected()
	out := []string{npSection(ink, "Log of "+ppClean(svcTarget(v)), "stdout, stderr and Extism log lines · l shows the calls", w)}
	switch {
	case p.logsErr != "" && p.logsFor == v.ID:
		return append(out, "  "+ink.err.on(ppClean(p.logsErr)))
	case p.logsFor != v.ID:
		return append(out, "  "+ink.muted.on("reading…"))
	case len(p.logs) == 0:
		return append(out, "  "+ink.muted.on("nothing logged yet"))
	}
	rows := h - 1
	entries := p.logs[max(len(p.logs)-rows, 0):]
	for _, e := range entries {
		src := ink.muted
		if e.Source == wasm.SourceStderr || e.Level >= slog.LevelWarn {
			src = ink.warn
		}
		out = append(out, uitext.Truncate("  "+ink.muted.on(e.Time.Format("15:04:05.000"))+" "+
			src.on(fmt.Sprintf("#%d %-6s", e.Instance, e.Source))+" "+ink.base.on(ppClean(e.Text)), w))
	}
	return out
}

func (p *Services) moduleTable(w, h int) []string {
	ink := &p.ink
	out := []string{npSection(ink, fmt.Sprintf("Modules (%d)", len(p.snap.Modules)), "content-addressed by sha256 · m shows the services", w)}
	if len(p.snap.Modules) == 0 {
		return append(out, "  "+ink.muted.on("no modules stored"))
	}
	out = append(out, ink.muted.on(uitext.Fit(fmt.Sprintf("  %-14s %-16s %9s %4s %8s %-9s %s", "HASH", "NAME", "SIZE", "FNS", "SERVICES", "CODE", "ADDED"), w)))
	for _, m := range p.snap.Modules {
		if len(out) >= h {
			break
		}
		code := "on disk"
		if m.Loaded {
			code = "compiled"
		}
		line := fmt.Sprintf("  %-14s %s %9s %4d %8d %-9s %s", shortHash(m.Hash), uitext.Fit(ppClean(m.Name), 16), npBytes(uint64(m.Size)),
			len(m.Functions), m.Services, code, uitext.Since(p.c.Now(), m.Added)+" ago")
		in := ink.base
		if m.Services == 0 {
			in = ink.muted
		}
		out = append(out, in.on(uitext.Truncate(line, w)))
	}
	return out
}
