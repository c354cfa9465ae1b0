package air

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// MaxDepth is the maximum nesting depth of instructions accepted by Parse. Deeper
// scripts are rejected with a diagnostic, so that hostile input cannot exhaust the
// stack of the parser or of the recursive walkers (Format, Walk, interpreters).
const MaxDepth = 10000

// Script is a parsed and statically validated AIR script.
type Script struct {
	// Source is the text the script was parsed from; all Span and Pos values are byte
	// offsets into it.
	Source string
	// Root is the script's single top-level instruction.
	Root Instr
}

// Parse parses an AIR script (§1, §2) and performs the static validation of §2.1. On
// failure the error is a *ParseError holding every validation error found and the
// first syntax error, if any. Parse never panics.
func Parse(src string) (*Script, error) {
	p := parser{src: src, lex: lexer{src: src}}
	root := p.parse()
	if p.err == nil && len(p.diags) == 0 {
		return &Script{Source: src, Root: root}, nil
	}
	diags := p.diags
	if p.truncated {
		diags = append(diags, Diagnostic{Span: p.truncatedAt,
			Message: "too many errors: only the first " + strconv.Itoa(maxDiagnostics) + " are reported"})
	}
	if p.err != nil {
		diags = append(diags, *p.err)
	}
	slices.SortStableFunc(diags, func(a, b Diagnostic) int { return a.Span.Start - b.Span.Start })
	for i := range diags {
		diags[i].Line, diags[i].Col = LineCol(src, diags[i].Span.Start)
	}
	return nil, &ParseError{Source: src, Diagnostics: diags}
}

// foldFrame is an enclosing fold during parsing.
type foldFrame struct {
	nexts    int // number of `next iter` met inside
	prevSame int // index of the next outer frame with the same iterator, or -1
}

// Check 7 ("no instruction after next in folds over streams") is implemented, like in
// AquaVM, by a small machine driven in post-order and keyed by iterator names:
//
//   - every `next` becomes pending (whatever its fold, even if it has none);
//   - a seq or par whose left branch leaves nexts pending records a violation (its own
//     span) for their iterator names, and no next of either branch stays pending;
//   - when a fold over a scalar-like value ends, no next inside it stays pending (even
//     one of an outer fold); when a fold over a stream or stream map ends, only the
//     nexts of other iterators found in its body stay pending, and a violation
//     recorded so far for its iterator name is reported (even one found in an earlier
//     fold of that name);
//   - an xor whose two branches both leave nexts pending "confuses" the machine: no
//     violation is reported from then on.
//
// This reproduces AquaVM 0.62.0 verdicts (see oracle_test.go).

type parser struct {
	src     string
	lex     lexer
	tok     token
	prevEnd int         // end of the last consumed token
	err     *Diagnostic // first syntax error; parsing stops there
	diags   []Diagnostic

	truncated   bool // more than maxDiagnostics validation errors
	truncatedAt Span // the first one left out

	depth   int
	defined map[string]struct{} // variables defined by instructions parsed so far (§2.1 check 1)
	folds   []foldFrame         // enclosing folds, innermost last
	active  map[string]int      // iterator name -> innermost enclosing fold frame
	nexted  map[string]struct{} // iterators whose first `next` was checked (check 2)
	pending []string            // check 7: iterator names of pending nexts
	viols   map[string]Span     // check 7: first violation per iterator name
	noTail  bool                // check 7 is disabled (the machine got confused)
	args    []Value             // scratch for call arguments
}

func (p *parser) parse() Instr {
	if !utf8.ValidString(p.src) {
		off := 0
		for off < len(p.src) {
			r, n := utf8.DecodeRuneInString(p.src[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		p.fail(Span{off, off + 1}, "invalid UTF-8 encoding: a script must be UTF-8 text")
		return nil
	}
	p.advance()
	if p.tok.kind == tokEOF && p.err == nil {
		p.fail(p.tokSpan(), "empty script: a script is exactly one instruction", `"("`)
		return nil
	}
	root := p.instr()
	if p.err == nil && p.tok.kind != tokEOF {
		p.fail(p.tokSpan(), "unexpected "+p.describe(p.tok)+" after the end of the script: a script is exactly one instruction",
			"end of script")
	}
	return root
}

// advance reads the next token into p.tok. A lexer error becomes the syntax error.
func (p *parser) advance() {
	p.prevEnd = p.tok.end
	if d := p.lex.next(&p.tok); d != nil {
		if p.err == nil {
			p.err = d
		}
		p.tok = token{kind: tokEOF, start: d.Span.Start, end: d.Span.Start}
	}
}

// fail records the first syntax error.
func (p *parser) fail(sp Span, msg string, expected ...string) {
	if p.err == nil {
		p.err = &Diagnostic{Span: sp, Message: msg, Expected: expected}
	}
}

// maxDiagnostics bounds the number of validation errors reported by one Parse.
const maxDiagnostics = 100

// invalid records a validation error; parsing continues.
func (p *parser) invalid(sp Span, msg string) {
	if len(p.diags) >= maxDiagnostics {
		if !p.truncated {
			p.truncated = true
			p.truncatedAt = sp
		}
		return
	}
	p.diags = append(p.diags, Diagnostic{Span: sp, Message: msg})
}

func (p *parser) tokSpan() Span {
	if p.tok.kind == tokEOF {
		// Point just after the last token rather than at trailing space or comments.
		return Span{p.prevEnd, p.prevEnd}
	}
	return Span{p.tok.start, p.tok.end}
}

// unexpected reports the current token as a syntax error.
func (p *parser) unexpected(expected ...string) {
	if p.err != nil {
		return
	}
	p.fail(p.tokSpan(), "unexpected "+p.describe(p.tok), expected...)
}

// describe names a token for messages.
func (p *parser) describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of script"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokLBracket:
		return `"["`
	case tokRBracket:
		return `"]"`
	case tokString:
		return "string " + quoteWord(t.val.Name)
	case tokKeyword:
		return "keyword " + strconv.Quote(t.kw.String())
	}
	return describeValue(t.val, p.src[t.start:t.end])
}

func describeValue(v Value, text string) string {
	q := quoteWord(text)
	switch v.Kind {
	case InitPeerID, LastError, ErrorValue, Timestamp, TTL:
		return q
	case Literal:
		return "string " + quoteWord(v.Name)
	case Int, Float:
		return "number " + text
	case Bool:
		return "boolean " + text
	case EmptyArray:
		return "empty array []"
	case Scalar:
		return "scalar " + q
	case Stream:
		return "stream " + q
	case StreamMap:
		return "stream map " + q
	case CanonStream:
		return "canon stream " + q
	case CanonMap:
		return "canon map " + q
	}
	return q
}

// expect consumes a token of kind k or reports an error.
func (p *parser) expect(k tokKind, expected ...string) bool {
	if p.err != nil {
		return false
	}
	if p.tok.kind != k {
		p.unexpected(expected...)
		return false
	}
	p.advance()
	return true
}

// closeInstr consumes the ")" that closes the instruction opened at start.
func (p *parser) closeInstr(start int, kw keyword) (Span, bool) {
	if p.err != nil {
		return Span{}, false
	}
	if p.tok.kind != tokRParen {
		line, col := LineCol(p.src, start)
		p.unexpected(`")" closing (` + kw.String() + " at " + strconv.Itoa(line) + ":" + strconv.Itoa(col))
		return Span{}, false
	}
	sp := Span{start, p.tok.end}
	p.advance()
	return sp, true
}

const expInstrName = "an instruction name: call, canon, ap, seq, par, xor, null, never, new, fail, fold, next, match or mismatch"

// instr parses one instruction.
func (p *parser) instr() Instr {
	if p.err != nil {
		return nil
	}
	if p.tok.kind != tokLParen {
		p.unexpected(`"(" starting an instruction`)
		return nil
	}
	start := p.tok.start
	if p.depth >= MaxDepth {
		p.fail(Span{start, start + 1}, "instructions are nested too deeply (the limit is "+strconv.Itoa(MaxDepth)+" levels)")
		return nil
	}
	p.depth++
	p.advance()
	in := p.instrBody(start)
	p.depth--
	if p.err != nil {
		return nil
	}
	return in
}

func (p *parser) instrBody(start int) Instr {
	if p.err != nil {
		return nil
	}
	if p.tok.kind != tokKeyword {
		p.unexpected(expInstrName)
		return nil
	}
	kw := p.tok.kw
	p.advance()
	switch kw {
	case kwCall:
		return p.call(start)
	case kwCanon:
		return p.canon(start)
	case kwAp:
		return p.ap(start)
	case kwSeq, kwPar, kwXor:
		return p.pair(start, kw)
	case kwNull:
		sp, ok := p.closeInstr(start, kw)
		if !ok {
			return nil
		}
		return &Null{Sp: sp}
	case kwNever:
		sp, ok := p.closeInstr(start, kw)
		if !ok {
			return nil
		}
		return &Never{Sp: sp}
	case kwNew:
		return p.newInstr(start)
	case kwFail:
		return p.failInstr(start)
	case kwFold:
		return p.fold(start)
	case kwNext:
		return p.next(start)
	case kwMatch, kwMismatch:
		return p.match(start, kw == kwMismatch)
	}
	p.unexpected(expInstrName)
	return nil
}

// ---- operand positions ------------------------------------------------------------

type kindSet uint32

func kinds(ks ...ValueKind) kindSet {
	var s kindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

func (s kindSet) has(k ValueKind) bool { return s&(1<<k) != 0 }

// slot describes which operands an argument position accepts.
type slot struct {
	what     string  // "the call peer", "a call argument", …
	bare     kindSet // kinds accepted without a lens
	lensed   kindSet // kinds accepted with a lens
	expected []string
}

var (
	valueKinds = kinds(InitPeerID, LastError, ErrorValue, Timestamp, TTL, Literal, Int, Float, Bool,
		EmptyArray, Scalar, CanonStream, CanonMap)
	valueLensKinds = kinds(LastError, ErrorValue, Scalar, CanonStream, CanonMap)
	expValue       = "a value (string, number, boolean, [], %init_peer_id%, :error:, %last_error%, %timestamp%, %ttl%, scalar, canon stream or canon map)"

	slotPeer = slot{"the call peer", kinds(InitPeerID, Literal, Scalar), kinds(Scalar, CanonStream, CanonMap),
		[]string{"%init_peer_id%", "a string", "a scalar", "a canon stream or canon map with a lens"}}
	slotCanonPeer = slot{"the canon peer", slotPeer.bare, slotPeer.lensed, slotPeer.expected}
	slotService   = slot{"the service name", kinds(Literal, Scalar), kinds(Scalar, CanonStream, CanonMap),
		[]string{"a string", "a scalar", "a canon stream or canon map with a lens"}}
	slotFunction = slot{"the function name", slotService.bare, slotService.lensed, slotService.expected}
	slotArg      = slot{"a call argument", valueKinds, valueLensKinds, []string{expValue, `"]"`}}
	slotMatch    = slot{"a match operand", valueKinds, valueLensKinds, []string{expValue}}
	slotApArg    = slot{"an ap argument", valueKinds &^ kinds(CanonMap), valueLensKinds,
		[]string{expValue + "; a canon map needs a lens here"}}
	slotMapKey = slot{"a map key", kinds(Literal, Int, Scalar), kinds(Scalar, CanonStream),
		[]string{"a string", "an integer", "a scalar", "a canon stream with a lens"}}
	slotCallOut  = slot{"the call output", kinds(Scalar, Stream), 0, []string{"a scalar", "a stream", `")"`}}
	slotApResult = slot{"the ap result", kinds(Scalar, Stream), 0, []string{"a scalar", "a stream"}}
	slotApMap    = slot{"the map of ap (key value)", kinds(StreamMap), 0, []string{"a stream map (%name)"}}
	slotCanonSrc = slot{"the canon source", kinds(Stream, StreamMap), 0, []string{"a stream", "a stream map"}}
	slotCanonStr = slot{"the canon result of a stream", kinds(CanonStream), 0, []string{"a canon stream (#name)"}}
	slotCanonMap = slot{"the canon result of a stream map", kinds(CanonMap, Scalar), 0,
		[]string{"a canon map (#%name)", "a scalar"}}
	slotNewVar = slot{"the variable of new", kinds(Scalar, Stream, StreamMap, CanonStream, CanonMap), 0,
		[]string{"a scalar", "a stream", "a stream map", "a canon stream", "a canon map (all without lens)"}}
	slotFoldSrc = slot{"a fold iterable", kinds(Scalar, CanonStream, CanonMap, EmptyArray, Stream, StreamMap),
		kinds(Scalar, CanonMap), []string{"a scalar", "a canon stream (without lens)", "a canon map", "[]", "a stream", "a stream map"}}
	slotIterator = slot{"a fold iterator", kinds(Scalar), 0, []string{"a scalar name"}}
	slotNext     = slot{"the iterator of next", kinds(Scalar), 0, []string{"a scalar name (a fold iterator)"}}
	slotFail     = slot{"the operand of fail", kinds(Int, Scalar, LastError, ErrorValue), kinds(Scalar, CanonStream),
		[]string{"an error code and a message", "a scalar", "a canon stream with a lens", "%last_error%", ":error:"}}
)

// operand reads one operand token (a word, a string or "[]") and checks it against sl.
func (p *parser) operand(sl *slot) (Value, Span, bool) {
	if p.err != nil {
		return Value{}, Span{}, false
	}
	var v Value
	sp := p.tokSpan()
	switch p.tok.kind {
	case tokString, tokValue:
		v = p.tok.val
		p.advance()
	case tokLBracket:
		p.advance()
		if p.tok.kind != tokRBracket {
			p.unexpected(`"]": the only array literal is the empty array []`)
			return Value{}, Span{}, false
		}
		sp.End = p.tok.end
		v = Value{Kind: EmptyArray, Pos: sp.Start}
		p.advance()
	case tokKeyword:
		p.fail(sp, "keyword "+strconv.Quote(p.tok.kw.String())+" cannot be used as "+sl.what+
			" (keywords are reserved and cannot name variables)", sl.expected...)
		return Value{}, Span{}, false
	default:
		p.unexpected(sl.expected...)
		return Value{}, Span{}, false
	}
	if !p.accepts(sl, v, sp) {
		return Value{}, Span{}, false
	}
	return v, sp, true
}

// accepts checks an operand against a slot and reports a syntax error if it does not fit.
func (p *parser) accepts(sl *slot, v Value, sp Span) bool {
	if v.Lens == nil && sl.bare.has(v.Kind) || v.Lens != nil && sl.lensed.has(v.Kind) {
		return true
	}
	desc := describeValue(v, p.src[sp.Start:sp.End])
	var msg string
	switch {
	case v.Kind == Stream || v.Kind == StreamMap:
		msg = desc + " cannot be used as " + sl.what
		if sl.lensed.has(CanonStream) || sl.bare.has(CanonStream) {
			canon := " #name)"
			if v.Kind == StreamMap {
				canon = " #%name)"
			}
			msg += "; canonicalize it first with (canon PEER " + v.Name + canon
		}
	case v.Lens != nil && (sl.bare.has(v.Kind)):
		msg = desc + ": " + sl.what + " cannot have a lens"
	case v.Lens == nil && sl.lensed.has(v.Kind):
		msg = desc + " cannot be used as " + sl.what + " without a lens"
	default:
		msg = desc + " cannot be used as " + sl.what
	}
	p.fail(sp, msg, sl.expected...)
	return false
}

// ---- validation helpers (§2.1) ----------------------------------------------------

// use checks that the variables an operand refers to are defined (check 1): the
// variable itself and the scalars named in its lens. Like AquaVM, the lenses of
// :error: and %last_error% are not checked.
func (p *parser) use(v *Value, sp Span) {
	switch v.Kind {
	case Scalar, CanonStream, CanonMap:
		p.requireDefined(v.Name, Span{v.Pos, v.Pos + len(v.Name)}, "")
		p.useLens(v, sp)
	}
}

func (p *parser) useLens(v *Value, sp Span) {
	if v.Lens == nil {
		return
	}
	text := p.src[sp.Start:sp.End]
	from := 0 // accessors appear in order: search each one after the previous
	for _, a := range v.Lens.Path {
		if a.Kind != VarAccessor {
			continue
		}
		// Locate "[name]" inside the operand's text for a precise position.
		at := sp
		for i := from; i+len(a.Name)+2 <= len(text); i++ {
			if text[i] == '[' && text[i+1:i+1+len(a.Name)] == a.Name && text[i+1+len(a.Name)] == ']' {
				at = Span{sp.Start + i + 1, sp.Start + i + 1 + len(a.Name)}
				from = i + len(a.Name) + 2
				break
			}
		}
		if _, ok := p.defined[a.Name]; !ok {
			where := ""
			if len(p.diags) < maxDiagnostics {
				where = " (used in the lens of " + quoteWord(text) + ")"
			}
			p.requireDefined(a.Name, at, where)
		}
	}
}

func (p *parser) requireDefined(name string, sp Span, where string) {
	if _, ok := p.defined[name]; ok {
		return
	}
	if len(p.diags) >= maxDiagnostics { // skip building a message that is dropped
		p.invalid(sp, "")
		return
	}
	p.invalid(sp, "variable "+strconv.Quote(name)+where+" is not defined before this instruction: "+
		"it must be set by an earlier call, ap, canon, new or fold")
}

func (p *parser) define(name string) {
	if p.defined == nil {
		p.defined = make(map[string]struct{}, 16)
	}
	p.defined[name] = struct{}{}
}

// activeFold returns the index of the innermost enclosing fold over iterator name, or -1.
func (p *parser) activeFold(name string) int {
	if i, ok := p.active[name]; ok {
		return i
	}
	return -1
}

// ---- instructions -----------------------------------------------------------------

func (p *parser) call(start int) Instr {
	c := &Call{}
	var sp Span
	var ok bool
	if c.Peer, sp, ok = p.operand(&slotPeer); !ok {
		return nil
	}
	p.use(&c.Peer, sp)
	if !p.expect(tokLParen, `"(" starting the (service function) pair`) {
		return nil
	}
	if c.Service, sp, ok = p.operand(&slotService); !ok {
		return nil
	}
	p.use(&c.Service, sp)
	if c.Function, sp, ok = p.operand(&slotFunction); !ok {
		return nil
	}
	p.use(&c.Function, sp)
	if !p.expect(tokRParen, `")" closing the (service function) pair`) {
		return nil
	}
	if !p.expect(tokLBracket, `"[" starting the argument list`) {
		return nil
	}
	mark := len(p.args)
	for p.err == nil && p.tok.kind != tokRBracket {
		v, sp, ok := p.operand(&slotArg)
		if !ok {
			p.args = p.args[:mark]
			return nil
		}
		p.use(&v, sp)
		p.args = append(p.args, v)
	}
	if n := len(p.args) - mark; n > 0 {
		c.Args = make([]Value, n)
		copy(c.Args, p.args[mark:])
	}
	p.args = p.args[:mark]
	if !p.expect(tokRBracket, `"]"`) {
		return nil
	}
	if p.tok.kind != tokRParen {
		if c.Output, _, ok = p.operand(&slotCallOut); !ok {
			return nil
		}
	}
	if c.Sp, ok = p.closeInstr(start, kwCall); !ok {
		return nil
	}
	if c.Output.Kind != None {
		p.define(c.Output.Name)
	}
	return c
}

func (p *parser) canon(start int) Instr {
	c := &Canon{}
	var ok bool
	// Like AquaVM, the canon peer is not checked for definedness.
	if c.Peer, _, ok = p.operand(&slotCanonPeer); !ok {
		return nil
	}
	if c.Source, _, ok = p.operand(&slotCanonSrc); !ok {
		return nil
	}
	res := &slotCanonStr
	if c.Source.Kind == StreamMap {
		res = &slotCanonMap
	}
	if c.Result, _, ok = p.operand(res); !ok {
		return nil
	}
	if c.Sp, ok = p.closeInstr(start, kwCanon); !ok {
		return nil
	}
	p.define(c.Result.Name)
	return c
}

func (p *parser) ap(start int) Instr {
	var sp Span
	var ok bool
	if p.tok.kind == tokLParen { // (ap (KEY VALUE) %map)
		p.advance()
		m := &ApMap{}
		if m.Key, sp, ok = p.operand(&slotMapKey); !ok {
			return nil
		}
		p.use(&m.Key, sp)
		// Like AquaVM, the value of the pair is not checked for definedness.
		if m.Arg, _, ok = p.operand(&slotApArg); !ok {
			return nil
		}
		if !p.expect(tokRParen, `")" closing the (key value) pair`) {
			return nil
		}
		if m.Map, _, ok = p.operand(&slotApMap); !ok {
			return nil
		}
		if m.Sp, ok = p.closeInstr(start, kwAp); !ok {
			return nil
		}
		p.define(m.Map.Name)
		return m
	}
	a := &Ap{}
	if a.Arg, sp, ok = p.operand(&slotApArg); !ok {
		return nil
	}
	p.use(&a.Arg, sp)
	if a.Result, _, ok = p.operand(&slotApResult); !ok {
		return nil
	}
	if a.Sp, ok = p.closeInstr(start, kwAp); !ok {
		return nil
	}
	p.define(a.Result.Name)
	return a
}

func (p *parser) pair(start int, kw keyword) Instr {
	mark := len(p.pending)
	left := p.instr()
	lend := len(p.pending) // pending[mark:lend] are the left branch's nexts
	right := p.instr()
	sp, ok := p.closeInstr(start, kw)
	if !ok {
		return nil
	}
	if lend > mark { // check 7
		if kw == kwXor {
			if len(p.pending) > lend {
				p.noTail = true
			}
		} else {
			// The right branch of seq/par runs after these nexts.
			for _, name := range p.pending[mark:lend] {
				if _, dup := p.viols[name]; !dup {
					if p.viols == nil {
						p.viols = make(map[string]Span, 2)
					}
					p.viols[name] = sp
				}
			}
			// Like AquaVM, the nexts of the right branch stop being pending too.
			p.pending = p.pending[:mark]
		}
	}
	switch kw {
	case kwSeq:
		return &Seq{Sp: sp, Left: left, Right: right}
	case kwPar:
		return &Par{Sp: sp, Left: left, Right: right}
	}
	return &Xor{Sp: sp, Left: left, Right: right}
}

func (p *parser) newInstr(start int) Instr {
	n := &New{}
	var sp Span
	var ok bool
	if n.Var, sp, ok = p.operand(&slotNewVar); !ok {
		return nil
	}
	if n.Var.Kind == Scalar && p.activeFold(n.Var.Name) >= 0 { // check 4
		p.invalid(sp, "new cannot be applied to "+strconv.Quote(n.Var.Name)+" because it is the iterator of an enclosing fold")
	}
	p.define(n.Var.Name)
	n.Body = p.instr()
	if n.Sp, ok = p.closeInstr(start, kwNew); !ok {
		return nil
	}
	return n
}

func (p *parser) failInstr(start int) Instr {
	f := &Fail{}
	tokSp := p.tokSpan()
	if p.tok.kind == tokValue && p.tok.val.Kind == Float {
		p.fail(tokSp, "the error code of fail must be an integer, not a float", "an integer error code")
		return nil
	}
	if p.tok.kind == tokString {
		p.fail(tokSp, `fail needs an error code before the message: (fail CODE "message")`, "an integer error code")
		return nil
	}
	v, sp, ok := p.operand(&slotFail)
	if !ok {
		return nil
	}
	switch v.Kind {
	case Int:
		if p.tok.kind != tokString {
			p.unexpected(`a string message: (fail CODE "message")`)
			return nil
		}
		f.Form, f.Code, f.Message = FailLiteral, v.Int, p.tok.val.Name
		p.advance()
		if v.Int == 0 { // check 6
			p.invalid(sp, "fail with error code 0 is not allowed: 0 means \"no error\"")
		}
	case LastError:
		f.Form, f.Value = FailLastError, v
	case ErrorValue:
		f.Form, f.Value = FailError, v
	default:
		// Like AquaVM, the operand of fail is not checked for definedness.
		f.Form, f.Value = FailValue, v
	}
	if f.Sp, ok = p.closeInstr(start, kwFail); !ok {
		return nil
	}
	return f
}

func (p *parser) fold(start int) Instr {
	f := &Fold{}
	var sp Span
	var ok bool
	if f.Iterable, sp, ok = p.operand(&slotFoldSrc); !ok {
		return nil
	}
	stream := f.Iterable.Kind == Stream || f.Iterable.Kind == StreamMap
	if stream {
		p.requireDefined(f.Iterable.Name, sp, "")
	} else {
		p.use(&f.Iterable, sp)
	}
	var it Value
	if it, sp, ok = p.operand(&slotIterator); !ok {
		return nil
	}
	f.Iterator, f.IteratorPos = it.Name, it.Pos
	prev := p.activeFold(it.Name)
	if prev >= 0 { // check 5
		p.invalid(sp, "iterator "+strconv.Quote(it.Name)+" is already the iterator of an enclosing fold")
	}
	p.define(it.Name)
	idx := len(p.folds)
	p.folds = append(p.folds, foldFrame{prevSame: prev})
	if p.active == nil {
		p.active = make(map[string]int, 4)
	}
	p.active[it.Name] = idx
	mark := len(p.pending)

	f.Body = p.instr()
	lmark := len(p.pending)
	if p.err == nil && p.tok.kind == tokLParen {
		f.Last = p.instr()
	}
	f.Sp, ok = p.closeInstr(start, kwFold)

	// Leave the fold (check 7): a scalar fold leaves no next inside it pending (not
	// even one of an outer fold); a stream fold keeps only the nexts of other
	// iterators found in its body, and reports the instructions found after its own.
	if stream {
		kept := p.pending[:mark]
		for _, name := range p.pending[mark:lmark] {
			if name != it.Name {
				kept = append(kept, name)
			}
		}
		p.pending = kept
	} else {
		p.pending = p.pending[:mark]
	}
	if at, found := p.viols[it.Name]; found && stream && ok && !p.noTail {
		delete(p.viols, it.Name)
		p.invalid(at, "a fold over a stream or stream map cannot have instructions after next: "+
			"(next "+it.Name+") must be the last instruction of the fold body")
	}
	if prev >= 0 {
		p.active[it.Name] = prev
	} else {
		delete(p.active, it.Name)
	}
	p.folds = p.folds[:idx]
	if !ok {
		return nil
	}
	return f
}

func (p *parser) next(start int) Instr {
	v, _, ok := p.operand(&slotNext)
	if !ok {
		return nil
	}
	n := &Next{Iterator: v.Name}
	if n.Sp, ok = p.closeInstr(start, kwNext); !ok {
		return nil
	}
	idx := p.activeFold(v.Name)
	// Check 2. Like AquaVM, only the first `next` of each iterator name is checked:
	// later ones pass even outside any fold.
	if _, seen := p.nexted[v.Name]; !seen {
		if p.nexted == nil {
			p.nexted = make(map[string]struct{}, 4)
		}
		p.nexted[v.Name] = struct{}{}
		if idx < 0 {
			p.invalid(n.Sp, "next "+v.Name+" is not inside a fold over iterator "+strconv.Quote(v.Name))
		}
	}
	if idx >= 0 {
		fr := &p.folds[idx]
		fr.nexts++
		if fr.nexts > 1 { // check 3
			p.invalid(n.Sp, "a fold can have only one next for its iterator "+strconv.Quote(v.Name))
		}
	}
	p.pending = append(p.pending, v.Name)
	return n
}

func (p *parser) match(start int, mismatch bool) Instr {
	m := &Match{Mismatch: mismatch}
	var sp Span
	var ok bool
	if m.Left, sp, ok = p.operand(&slotMatch); !ok {
		return nil
	}
	p.use(&m.Left, sp)
	if m.Right, sp, ok = p.operand(&slotMatch); !ok {
		return nil
	}
	p.use(&m.Right, sp)
	m.Body = p.instr()
	kw := kwMatch
	if mismatch {
		kw = kwMismatch
	}
	if m.Sp, ok = p.closeInstr(start, kw); !ok {
		return nil
	}
	return m
}
