package air

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Diagnostic is one problem found in a script: a syntax error or a failed static check.
type Diagnostic struct {
	// Span is the offending source range (byte offsets); Start == End only at the end of
	// the source.
	Span Span
	// Line and Col locate Span.Start: 1-based, Col counts Unicode characters (a tab
	// counts as one).
	Line, Col int
	// Message says what is wrong.
	Message string
	// Expected lists what would have been accepted at this point, if that is useful.
	Expected []string
}

// ParseError is returned by Parse. It holds every diagnostic, ordered by position.
type ParseError struct {
	Source      string
	Diagnostics []Diagnostic
}

// Error renders every diagnostic as
//
//	LINE:COL: message (expected X, Y or Z)
//	  source line
//	  ^~~~
//
// with diagnostics separated by newlines.
func (e *ParseError) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		renderDiagnostic(&b, e.Source, d)
	}
	return b.String()
}

// String renders the diagnostic's header line: "LINE:COL: message (expected …)".
func (d Diagnostic) String() string {
	var b strings.Builder
	writeHeader(&b, d)
	return b.String()
}

func writeHeader(b *strings.Builder, d Diagnostic) {
	b.WriteString(strconv.Itoa(d.Line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(d.Col))
	b.WriteString(": ")
	b.WriteString(d.Message)
	if len(d.Expected) > 0 {
		b.WriteString(" (expected ")
		b.WriteString(joinAlternatives(d.Expected))
		b.WriteByte(')')
	}
}

// joinAlternatives renders ["a", "b", "c"] as "a, b or c".
func joinAlternatives(alts []string) string {
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return alts[0]
	}
	return strings.Join(alts[:len(alts)-1], ", ") + " or " + alts[len(alts)-1]
}

// snippetWidth is the maximum number of characters of a source line shown under a
// diagnostic; longer lines are cut around the offending column.
const snippetWidth = 100

func renderDiagnostic(b *strings.Builder, src string, d Diagnostic) {
	writeHeader(b, d)
	start := min(max(d.Span.Start, 0), len(src))
	lineStart := strings.LastIndexByte(src[:start], '\n') + 1
	lineEnd := strings.IndexByte(src[start:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += start
	}
	if lineEnd > lineStart && src[lineEnd-1] == '\r' && lineEnd-1 >= start {
		lineEnd--
	}
	// Show at most snippetWidth characters of the line: up to a third of them before
	// the column, the rest after it.
	from := start
	for n := 0; n < snippetWidth/3 && from > lineStart; n++ {
		_, size := utf8.DecodeLastRuneInString(src[lineStart:from])
		from -= size
	}
	to := start
	for n := utf8.RuneCountInString(src[from:start]); n < snippetWidth && to < lineEnd; n++ {
		_, size := utf8.DecodeRuneInString(src[to:lineEnd])
		to += size
	}
	// The caret spans the diagnostic's range, cut at the end of the window.
	width := 1
	if end := min(max(d.Span.End, start), to); end > start {
		width = utf8.RuneCountInString(src[start:end])
	}
	b.WriteString("\n  ")
	if from > lineStart {
		b.WriteString("...")
	}
	for _, r := range src[from:to] {
		b.WriteRune(printable(r))
	}
	if to < lineEnd {
		b.WriteString("...")
	}
	b.WriteString("\n  ")
	if from > lineStart {
		b.WriteString("   ")
	}
	for _, r := range src[from:start] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	for range width - 1 {
		b.WriteByte('~')
	}
}

// printable replaces control characters (other than tab) so that a snippet cannot
// disturb the terminal.
func printable(r rune) rune {
	if r == '\t' || r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0) {
		return r
	}
	return '\uFFFD'
}

// LineCol converts a byte offset in src to a 1-based line and a 1-based column counted
// in Unicode characters (a tab counts as one). Offsets outside src are clamped.
func LineCol(src string, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	prefix := src[:offset]
	line = 1 + strings.Count(prefix, "\n")
	lineStart := strings.LastIndexByte(prefix, '\n') + 1
	return line, 1 + utf8.RuneCountInString(prefix[lineStart:])
}

// Position returns the 1-based line and column (in characters) of a byte offset in the
// script's source, e.g. of an instruction's Span().Start.
func (s *Script) Position(offset int) (line, col int) { return LineCol(s.Source, offset) }

// Text returns the source text covered by sp (clamped to the source).
func (s *Script) Text(sp Span) string {
	start := min(max(sp.Start, 0), len(s.Source))
	end := min(max(sp.End, start), len(s.Source))
	return s.Source[start:end]
}
