package air

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFloatLen is the maximum length, in characters, of a float literal (§1.2).
const maxFloatLen = 11

type tokKind uint8

const (
	tokEOF      tokKind = iota
	tokLParen           // (
	tokRParen           // )
	tokLBracket         // [
	tokRBracket         // ]
	tokString           // "literal"; val holds it
	tokKeyword          // kw holds it
	tokValue            // a word classified as a value; val holds it
)

type keyword uint8

const (
	kwNone keyword = iota
	kwCall
	kwCanon
	kwAp
	kwSeq
	kwPar
	kwXor
	kwNull
	kwNever
	kwNew
	kwFail
	kwFold
	kwNext
	kwMatch
	kwMismatch
)

var keywordNames = [...]string{
	kwCall: "call", kwCanon: "canon", kwAp: "ap", kwSeq: "seq", kwPar: "par", kwXor: "xor",
	kwNull: "null", kwNever: "never", kwNew: "new", kwFail: "fail", kwFold: "fold",
	kwNext: "next", kwMatch: "match", kwMismatch: "mismatch",
}

func (k keyword) String() string {
	if int(k) < len(keywordNames) {
		return keywordNames[k]
	}
	return "?"
}

func lookupKeyword(w string) keyword {
	switch w {
	case "call":
		return kwCall
	case "canon":
		return kwCanon
	case "ap":
		return kwAp
	case "seq":
		return kwSeq
	case "par":
		return kwPar
	case "xor":
		return kwXor
	case "null":
		return kwNull
	case "never":
		return kwNever
	case "new":
		return kwNew
	case "fail":
		return kwFail
	case "fold":
		return kwFold
	case "next":
		return kwNext
	case "match":
		return kwMatch
	case "mismatch":
		return kwMismatch
	}
	return kwNone
}

type token struct {
	kind       tokKind
	kw         keyword
	start, end int // byte offsets of the token text
	val        Value
}

// lexer splits the source into tokens following §1.1 exactly. The source must be
// valid UTF-8 (Parse checks this first).
type lexer struct {
	src string
	pos int
}

// Byte classes for the lexer's inner loops.
const (
	clsWord    = iota // any other ASCII byte: part of a word
	clsSpace          // ASCII whitespace
	clsSpecial        // ( ) [ ] and, at a token start, ; and "
	clsHigh           // first byte of a multi-byte character
)

var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\n\r\v\f" {
		t[c] = clsSpace
	}
	for _, c := range "()[];\"" {
		t[c] = clsSpecial
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = clsHigh
	}
	return t
}()

// next reads the next token into tok, or returns a diagnostic for a malformed one.
func (l *lexer) next(tok *token) *Diagnostic {
	src := l.src
	i := l.pos
	for i < len(src) {
		c := src[i]
		if byteClass[c] == clsSpace {
			i++
			continue
		}
		if c == ';' {
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 1
			}
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(src[i:])
			if unicode.IsSpace(r) {
				i += n
				continue
			}
		}
		break
	}
	if i >= len(src) {
		l.pos = len(src)
		*tok = token{kind: tokEOF, start: len(src), end: len(src)}
		return nil
	}
	start := i
	switch src[i] {
	case '(':
		l.pos = i + 1
		*tok = token{kind: tokLParen, start: start, end: i + 1}
		return nil
	case ')':
		l.pos = i + 1
		*tok = token{kind: tokRParen, start: start, end: i + 1}
		return nil
	case '[':
		l.pos = i + 1
		*tok = token{kind: tokLBracket, start: start, end: i + 1}
		return nil
	case ']':
		l.pos = i + 1
		*tok = token{kind: tokRBracket, start: start, end: i + 1}
		return nil
	case '"':
		j := strings.IndexByte(src[i+1:], '"')
		if j < 0 {
			l.pos = len(src)
			return &Diagnostic{
				Span:     Span{start, start + 1},
				Message:  `unterminated string literal: a literal ends at the next '"' and has no escape sequences`,
				Expected: []string{`a closing '"'`},
			}
		}
		end := i + 1 + j + 1
		l.pos = end
		*tok = token{kind: tokString, start: start, end: end,
			val: Value{Kind: Literal, Pos: start, Name: src[i+1 : end-1]}}
		return nil
	}
	// A word: up to whitespace, or up to a ")" or "]" that would make the bracket
	// balance counted inside the word negative.
	round, square := 0, 0
	j := i
loop:
	for j < len(src) {
		c := src[j]
		if byteClass[c] == clsWord || c == ';' || c == '"' {
			j++
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			break loop
		case '(':
			round++
		case ')':
			if round == 0 {
				break loop
			}
			round--
		case '[':
			square++
		case ']':
			if square == 0 {
				break loop
			}
			square--
		default:
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(src[j:])
				if unicode.IsSpace(r) {
					break loop
				}
				j += n
				continue
			}
		}
		j++
	}
	l.pos = j
	return classifyWord(src[start:j], start, tok)
}

// isNameRune reports whether r may appear in a variable name or lens identifier:
// Unicode alphanumerics (letters, numbers and other alphabetic characters), '_' and '-'.
func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Other_Alphabetic, r)
}

// isNumericRune reports whether r counts as a digit when deciding whether a word is a
// number. Like AquaVM, any Unicode number counts here; only ASCII digits convert.
func isNumericRune(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsNumber(r)
}

func wordErr(word string, pos, from, to int, msg string, expected ...string) *Diagnostic {
	if to <= from {
		to = from + 1
	}
	if to > len(word) {
		to = len(word)
	}
	return &Diagnostic{Span: Span{pos + from, pos + to}, Message: msg, Expected: expected}
}

// classifyWord classifies a word per §1.2 (first match wins).
func classifyWord(w string, pos int, tok *token) *Diagnostic {
	*tok = token{kind: tokValue, start: pos, end: pos + len(w)}
	if kw := lookupKeyword(w); kw != kwNone {
		tok.kind = tokKeyword
		tok.kw = kw
		return nil
	}
	switch w {
	case "%init_peer_id%":
		tok.val = Value{Kind: InitPeerID, Pos: pos}
		return nil
	case "%timestamp%":
		tok.val = Value{Kind: Timestamp, Pos: pos}
		return nil
	case "%ttl%":
		tok.val = Value{Kind: TTL, Pos: pos}
		return nil
	case "true", "false":
		tok.val = Value{Kind: Bool, Pos: pos, Bool: w == "true"}
		return nil
	}
	for _, sp := range [...]struct {
		prefix string
		kind   ValueKind
	}{{":error:", ErrorValue}, {"%last_error%", LastError}} {
		if strings.HasPrefix(w, sp.prefix) {
			tok.val = Value{Kind: sp.kind, Pos: pos}
			if rest := w[len(sp.prefix):]; rest != "" {
				lens, d := parseLens(rest, pos+len(sp.prefix))
				if d != nil {
					return d
				}
				tok.val.Lens = lens
			}
			return nil
		}
	}
	if v, isNum, d := classifyNumber(w, pos); isNum {
		if d != nil {
			return d
		}
		tok.val = v
		return nil
	}
	return classifyVariable(w, pos, tok)
}

// classifyNumber decides whether w is a number (§1.2 rule 7). isNum is false when the
// word must be treated as a variable instead.
func classifyNumber(w string, pos int) (v Value, isNum bool, d *Diagnostic) {
	i := 0
	if w[0] == '+' || w[0] == '-' {
		i = 1
	}
	digitsBefore, dot := 0, -1
	for i < len(w) {
		r, n := rune(w[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(w[i:])
		}
		switch {
		case isNumericRune(r):
			if dot < 0 {
				digitsBefore++
			}
		case r == '.' && dot < 0 && digitsBefore > 0:
			dot = i
		case dot >= 0:
			d = wordErr(w, pos, i, i+n, "invalid number "+quoteWord(w)+": a number may contain only digits and one dot")
			return Value{}, true, d
		default:
			return Value{}, false, nil
		}
		i += n
	}
	if dot < 0 {
		n, err := strconv.ParseInt(w, 10, 64)
		if err != nil {
			msg := "invalid number " + quoteWord(w)
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				msg = "integer " + w + " does not fit in a signed 64-bit integer"
			} else if digitsBefore == 0 {
				msg = "invalid number " + quoteWord(w) + ": a sign must be followed by digits"
			} else {
				msg += ": only the ASCII digits 0-9 are allowed in numbers"
			}
			d = wordErr(w, pos, 0, len(w), msg)
			return Value{}, true, d
		}
		return Value{Kind: Int, Pos: pos, Int: n}, true, nil
	}
	if utf8.RuneCountInString(w) > maxFloatLen {
		d = wordErr(w, pos, 0, len(w), "float literal "+w+" is too long: a float may have at most 11 characters")
		return Value{}, true, d
	}
	for k := 0; k < len(w); k++ {
		if c := w[k]; c >= utf8.RuneSelf {
			d = wordErr(w, pos, 0, len(w), "invalid float "+quoteWord(w)+": only the ASCII digits 0-9 are allowed in numbers")
			return Value{}, true, d
		}
	}
	f, err := strconv.ParseFloat(w, 64)
	if err != nil { // cannot happen for [+-]?[0-9]+\.[0-9]* of at most 11 characters
		d = wordErr(w, pos, 0, len(w), "invalid float "+quoteWord(w))
		return Value{}, true, d
	}
	return Value{Kind: Float, Pos: pos, Float: f}, true, nil
}

// classifyVariable classifies a variable word: sigil, name and optional lens.
func classifyVariable(w string, pos int, tok *token) *Diagnostic {
	kind := Scalar
	prefix := 0 // bytes of sigil prefix
	r0, n0 := utf8.DecodeRuneInString(w)
	switch r0 {
	case '$':
		kind, prefix = Stream, 1
	case '%':
		kind, prefix = StreamMap, 1
	case '#':
		kind, prefix = CanonStream, 1
	case '.':
		return wordErr(w, pos, 0, 1, "unexpected '.' at the start of "+quoteWord(w)+": a lens must follow a variable name; write floats with a leading digit (0.5)")
	default:
		if !isNameRune(r0) {
			return wordErr(w, pos, 0, n0, "invalid character "+strconv.QuoteRune(r0)+" in "+quoteWord(w)+
				": names may contain only letters, digits, '_' and '-'")
		}
	}
	// The character at offset 1 selects the canon kind: "#$x" is a canon stream and a
	// '%' there makes any word a canon stream map ("#%m"; quirk: also "a%b", "$%b").
	if n0 < len(w) {
		switch w[n0] {
		case '%':
			kind, prefix = CanonMap, n0+1
		case '$':
			if r0 == '#' {
				prefix = 2
			}
		}
	}
	tagged := prefix > 0
	nameEnd := strings.IndexByte(w, '.')
	if nameEnd < 0 {
		nameEnd = len(w)
	}
	if nameEnd <= prefix {
		msg := "a stream name must not be empty"
		switch kind {
		case CanonStream, CanonMap:
			msg = "a canon name must not be empty"
		case StreamMap:
			msg = "a stream map name must not be empty"
		}
		return wordErr(w, pos, 0, len(w), msg+" (after "+quoteWord(w[:prefix])+")")
	}
	for i := prefix; i < nameEnd; {
		r, n := rune(w[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(w[i:])
		}
		if !isNameRune(r) {
			return wordErr(w, pos, i, i+n, "invalid character "+strconv.QuoteRune(r)+" in variable name "+
				quoteWord(w[:nameEnd])+": names may contain only letters, digits, '_' and '-'")
		}
		i += n
	}
	v := Value{Kind: kind, Pos: pos, Name: w[:nameEnd]}
	if nameEnd < len(w) {
		switch kind {
		case Stream:
			return wordErr(w, pos, nameEnd, len(w), "stream "+v.Name+" cannot have a lens; canonicalize it first: (canon PEER "+v.Name+" #c)")
		case StreamMap:
			return wordErr(w, pos, nameEnd, len(w), "stream map "+v.Name+" cannot have a lens; canonicalize it first: (canon PEER "+v.Name+" #%c)")
		}
		// Quirk (§1.2): for tagged names the lens dot must be at character offset >= 3.
		if tagged && utf8.RuneCountInString(w[:nameEnd]) < 3 {
			return wordErr(w, pos, 0, nameEnd, "a canon name must not be empty: a one-character canon name such as "+
				v.Name+" cannot take a lens (AquaVM quirk); use a longer name or the #$ form")
		}
		lens, d := parseLens(w[nameEnd:], pos+nameEnd)
		if d != nil {
			return d
		}
		v.Lens = lens
	}
	tok.val = v
	return nil
}

// parseLens parses the lens grammar of §1.3. s starts at its leading '.'; pos is the
// byte offset of s in the source.
func parseLens(s string, pos int) (*Lens, *Diagnostic) {
	fail := func(from, to int, msg string, expected ...string) (*Lens, *Diagnostic) {
		return nil, wordErr(s, pos, from, to, "invalid lens "+quoteWord(s)+": "+msg, expected...)
	}
	if s == ".length" {
		return &Lens{Length: true}, nil
	}
	if !strings.HasPrefix(s, ".$") {
		return fail(0, len(s), "a lens is either .length or a path starting with .$", `".length"`, `".$"`)
	}
	// A flattening mark is only accepted as the very last character of the word.
	if k := strings.IndexByte(s, '!'); k >= 0 && k != len(s)-1 {
		return fail(k, k+1, "'!' may only appear at the end of a lens")
	}
	body := s
	flatten := false
	if s[len(s)-1] == '!' {
		body = s[:len(s)-1]
		flatten = true
	}
	i := 2
	if i == len(body) {
		return fail(0, len(s), "a path needs at least one accessor after .$", `".name"`, `"[index]"`)
	}
	// Most lenses have one or two accessors: allocate them with the Lens.
	lb := new(lensBuf)
	path := lb.inline[:0]
	for i < len(body) {
		c := body[i]
		dotted := false
		if c == '.' {
			dotted = true
			i++
			if i == len(body) {
				return fail(i-1, i, "expected an accessor after '.'", `a field name`, `"[index]"`)
			}
			c = body[i]
		}
		switch {
		case c == '[':
			j := strings.IndexByte(body[i:], ']')
			if j < 0 {
				return fail(i, len(body), "unterminated '['", `"]"`)
			}
			inner := body[i+1 : i+j]
			if inner == "" {
				return fail(i, i+j+1, "empty brackets", "an index", "a scalar name")
			}
			if isASCIIDigit(inner[0]) {
				if !allASCIIDigits(inner) {
					return fail(i+1, i+j, "an index must contain only digits", "an index (0-4294967295)")
				}
				n, err := strconv.ParseUint(inner, 10, 32)
				if err != nil {
					return fail(i+1, i+j, "index "+inner+" does not fit in 32 bits", "an index (0-4294967295)")
				}
				path = append(path, Accessor{Kind: IndexAccessor, Index: uint32(n)})
			} else {
				if k := firstNonName(inner); k >= 0 {
					return fail(i+1+k, i+1+k+1, "invalid character in accessor ["+inner+"]", "an index", "a scalar name")
				}
				path = append(path, Accessor{Kind: VarAccessor, Name: inner})
			}
			i += j + 1
		case dotted:
			j := i
			for j < len(body) && body[j] != '.' && body[j] != '[' {
				j++
			}
			name := body[i:j]
			if name == "" {
				return fail(i-1, i+1, "expected an accessor after '.'", `a field name`, `"[index]"`)
			}
			if isASCIIDigit(name[0]) {
				return fail(i, j, "a field name cannot start with a digit; write an index as [n]", `a field name`, `"[index]"`)
			}
			if k := firstNonName(name); k >= 0 {
				return fail(i+k, i+k+1, "invalid character in field name "+quoteWord(name), "letters, digits, '_' or '-'")
			}
			path = append(path, Accessor{Kind: FieldAccessor, Name: name})
			i = j
		default:
			return fail(i, i+1, "unexpected character "+strconv.QuoteRune(rune(c)), `"."`, `"["`)
		}
	}
	if flatten {
		path[len(path)-1].Flatten = true
	}
	lb.lens.Path = path
	return &lb.lens, nil
}

// lensBuf holds a Lens and room for its first accessors in one allocation.
type lensBuf struct {
	lens   Lens
	inline [2]Accessor
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

// firstNonName returns the byte index of the first rune of s that is not a name
// character, or -1.
func firstNonName(s string) int {
	for i, r := range s {
		if !isNameRune(r) {
			return i
		}
	}
	return -1
}

// quoteWord quotes a source word for a message, shortening very long ones. It looks
// at no more than the first few dozen characters.
func quoteWord(w string) string {
	const max = 40
	n := 0
	for i := range w {
		if n == max {
			w = w[:i] + "…"
			break
		}
		n++
	}
	return strconv.Quote(w)
}
