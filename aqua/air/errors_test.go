package air

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorRendering(t *testing.T) {
	tests := []struct{ src, want string }{
		{"(seq\n  (call \"p\" (\"s\") [] x)\n  (null))",
			"2:17: unexpected \")\" (expected a string, a scalar or a canon stream or canon map with a lens)\n" +
				"    (call \"p\" (\"s\") [] x)\n" +
				"                  ^"},
		// The caret spans the offending token; tabs are kept so that it lines up.
		{"(seq\n\t\t(ap $s x)\n\t\t(null))",
			"2:7: stream \"$s\" cannot be used as an ap argument; canonicalize it first with (canon PEER $s #name) (expected a value (string, number, boolean, [], %init_peer_id%, :error:, %last_error%, %timestamp%, %ttl%, scalar, canon stream or canon map); a canon map needs a lens here)\n" +
				"  \t\t(ap $s x)\n" +
				"  \t\t    ^~"},
		// Columns count characters.
		{`(ap "héllo" "wörld")`,
			"1:13: string \"wörld\" cannot be used as the ap result (expected a scalar or a stream)\n" +
				"  (ap \"héllo\" \"wörld\")\n" +
				"              ^~~~~~~"},
		// Several diagnostics, in source order.
		{"(seq (fail 0 \"a\")\n     (call \"p\" (\"s\" \"f\") [x]))",
			"1:12: fail with error code 0 is not allowed: 0 means \"no error\"\n" +
				"  (seq (fail 0 \"a\")\n" +
				"             ^\n" +
				"2:27: variable \"x\" is not defined before this instruction: it must be set by an earlier call, ap, canon, new or fold\n" +
				"       (call \"p\" (\"s\" \"f\") [x]))\n" +
				"                            ^"},
		// End of input points just after the last token.
		{"(seq (null)\n\n", "1:12: unexpected end of script (expected \"(\" starting an instruction)\n" +
			"  (seq (null)\n" +
			"             ^"},
		// A span running past the end of its line is cut at the line end.
		{"(call \"p\" (\"s\" \"f\") [] \"multi\nline\")",
			"1:24: string \"multi\\nline\" cannot be used as the call output (expected a scalar, a stream or \")\")\n" +
				"  (call \"p\" (\"s\" \"f\") [] \"multi\n" +
				"                         ^~~~~~"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil {
			t.Errorf("Parse(%q) succeeded", tt.src)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q).Error()\n got: %q\nwant: %q", tt.src, got, tt.want)
		}
	}
}

// Long lines are shown as a window around the column.
func TestErrorRenderingLongLine(t *testing.T) {
	src := strings.Repeat("(seq (null) ", 20) + "(ap $s x)" + strings.Repeat(")", 20)
	_, err := Parse(src)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatal(err)
	}
	lines := strings.Split(pe.Error(), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %q", lines)
	}
	if !strings.HasPrefix(lines[1], "  ...") || !strings.Contains(lines[1], "(ap $s x)") {
		t.Errorf("snippet %q", lines[1])
	}
	caret := strings.Index(lines[2], "^~")
	if caret < 0 || !strings.HasPrefix(lines[1][caret:], "$s") {
		t.Errorf("caret misplaced:\n%s\n%s", lines[1], lines[2])
	}
	if n := len([]rune(lines[1])); n > snippetWidth+8 {
		t.Errorf("snippet is %d characters long", n)
	}
}

func TestLineCol(t *testing.T) {
	src := "ab\n\tcé\n\nx"
	tests := []struct{ off, line, col int }{
		{-5, 1, 1}, {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {5, 2, 3},
		{7, 2, 4}, {8, 3, 1}, {9, 4, 1}, {10, 4, 2}, {100, 4, 2},
	}
	s := &Script{Source: src}
	for _, tt := range tests {
		if l, c := LineCol(src, tt.off); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
		if l, c := s.Position(tt.off); l != tt.line || c != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
	if got := s.Text(Span{3, 7}); got != "\tcé" {
		t.Errorf("Text = %q", got)
	}
	if got := s.Text(Span{8, 1000}); got != "\nx" {
		t.Errorf("Text = %q", got)
	}
}

func TestDiagnosticString(t *testing.T) {
	d := Diagnostic{Line: 3, Col: 7, Message: "unexpected \")\"", Expected: []string{"a", "b", "c"}}
	if got := d.String(); got != `3:7: unexpected ")" (expected a, b or c)` {
		t.Errorf("got %q", got)
	}
	d.Expected = []string{"a", "b"}
	if got := d.String(); got != `3:7: unexpected ")" (expected a or b)` {
		t.Errorf("got %q", got)
	}
	d.Expected = nil
	if got := d.String(); got != `3:7: unexpected ")"` {
		t.Errorf("got %q", got)
	}
}

func TestTooManyDiagnostics(t *testing.T) {
	src := "(call \"p\" (\"s\" \"f\") [" + strings.Repeat("a ", 150) + "])"
	_, err := Parse(src)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatal(err)
	}
	if n := len(pe.Diagnostics); n != maxDiagnostics+1 {
		t.Fatalf("%d diagnostics, want %d", n, maxDiagnostics+1)
	}
	last := pe.Diagnostics[maxDiagnostics]
	if !strings.Contains(last.Message, "too many errors") || last.Col != 22+2*maxDiagnostics {
		t.Errorf("last diagnostic %s", last)
	}
}

func TestErrorRenderingCRLF(t *testing.T) {
	_, err := Parse("(seq\r\n  (null)\r\n  (ap $s x))\r\n")
	want := "3:7: stream \"$s\""
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\r") {
		t.Errorf("got %q", err)
	}
}
