package air

import (
	"strings"
	"testing"
)

// lexAll tokenizes src and renders the tokens, or the first error as "ERR@off: msg".
func lexAll(src string) string {
	l := lexer{src: src}
	var out []string
	for {
		var tok token
		d := l.next(&tok)
		if d != nil {
			return strings.Join(append(out, "ERR@"+itoa(d.Span.Start)+": "+d.Message), " ")
		}
		switch tok.kind {
		case tokEOF:
			return strings.Join(out, " ")
		case tokLParen:
			out = append(out, "(")
		case tokRParen:
			out = append(out, ")")
		case tokLBracket:
			out = append(out, "[")
		case tokRBracket:
			out = append(out, "]")
		case tokKeyword:
			out = append(out, "kw:"+tok.kw.String())
		case tokString, tokValue:
			out = append(out, dumpValue(tok.val))
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

func TestTokenizer(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", ""},
		{"  \t\n\r\v\f ", ""},
		{"(null)", "( kw:null )"},
		{"(seq (null)(null))", "( kw:seq ( kw:null ) ( kw:null ) )"},
		// Unicode whitespace separates tokens: NBSP, EM SPACE, IDEOGRAPHIC SPACE, NEL.
		{"(null\u00a0)\u2003\u3000\u0085", "( kw:null )"},
		// Comments run to the end of the line and only start at a token start.
		{"(null) ; comment ) ( \"\n", "( kw:null )"},
		{"; only a comment", ""},
		{";c1\n;c2\n(never);", "( kw:never )"},
		{"(null;x)", `( ERR@5: invalid character ';' in variable name "null;x": names may contain only letters, digits, '_' and '-'`},
		// String literals: no escapes, end at the next quote, may span lines.
		{`"a b ( ) [ ] ; \"`, `lit:"a b ( ) [ ] ; \"`},
		{"\"line1\nline2\"", "lit:\"line1\nline2\""},
		{`"a""b"`, `lit:"a" lit:"b"`},
		{`""`, `lit:""`},
		{`"abc`, `ERR@0: unterminated string literal: a literal ends at the next '"' and has no escape sequences`},
		// Word splitting with bracket balance counted inside the word.
		{"x.$.[0]]", "scalar:x.$.[0] ]"},
		{"[x]", "[ scalar:x ]"},
		{"[x.$.[1]]", "[ scalar:x.$.[1] ]"},
		{"(call a (\"s\" \"f\") [x] y)", `( kw:call scalar:a ( lit:"s" lit:"f" ) [ scalar:x ] scalar:y )`},
		{"[]", "[ ]"},
		{"[ ]", "[ ]"},
		{"a(b)", `ERR@1: invalid character '(' in variable name "a(b)": names may contain only letters, digits, '_' and '-'`},
		{"seq(null)(null)", `ERR@3: invalid character '(' in variable name "seq(null)(null)": names may contain only letters, digits, '_' and '-'`},
		{"{}", `ERR@0: invalid character '{' in "{}": names may contain only letters, digits, '_' and '-'`},
		{"\"a\\\"b\"", `lit:"a\" ERR@5: invalid character '"' in variable name "b\"": names may contain only letters, digits, '_' and '-'`},
	}
	for _, tt := range tests {
		if got := lexAll(tt.src); got != tt.want {
			t.Errorf("lex(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
		}
	}
}

func TestWordClassification(t *testing.T) {
	tests := []struct {
		word string
		want string // dump, "kw:NAME", or "ERR:substring"
	}{
		// 1. Keywords are reserved.
		{"call", "kw:call"}, {"canon", "kw:canon"}, {"ap", "kw:ap"}, {"seq", "kw:seq"},
		{"par", "kw:par"}, {"fail", "kw:fail"}, {"fold", "kw:fold"}, {"xor", "kw:xor"},
		{"never", "kw:never"}, {"new", "kw:new"}, {"next", "kw:next"}, {"null", "kw:null"},
		{"match", "kw:match"}, {"mismatch", "kw:mismatch"},
		{"Null", "scalar:Null"}, {"calls", "scalar:calls"},
		// 2-6. Special values and booleans.
		{"%init_peer_id%", "%init_peer_id%"},
		{"%init_peer_id%x", "ERR:invalid character '%'"},
		{":error:", ":error:"},
		{":error:.$.message", ":error:.$.message"},
		{":error:.$.error_code", ":error:.$.error_code"},
		{":error:.length", ":error:.length"},
		{":error:.$.a!", ":error:.$.a!"},
		{":error:x", "ERR:invalid lens"},
		{":error:!", "ERR:invalid lens"},
		{"%last_error%", "%last_error%"},
		{"%last_error%.$.message", "%last_error%.$.message"},
		{"%last_error%.length", "%last_error%.length"},
		{"%last_error%x", "ERR:invalid lens"},
		{"%timestamp%", "%timestamp%"},
		{"%ttl%", "%ttl%"},
		{"%ttl%.$.a", "ERR:"},
		{"true", "bool:true"}, {"false", "bool:false"}, {"True", "scalar:True"},
		// 7. Numbers.
		{"0", "int:0"}, {"42", "int:42"}, {"-3", "int:-3"}, {"+3", "int:3"}, {"-0", "int:0"}, {"007", "int:7"},
		{"9223372036854775807", "int:9223372036854775807"},
		{"-9223372036854775808", "int:-9223372036854775808"},
		{"9223372036854775808", "ERR:does not fit in a signed 64-bit integer"},
		{"1.5", "float:1.5"}, {"1.", "float:1"}, {"+1.5", "float:1.5"}, {"-0.0", "float:-0"},
		{"1.0", "float:1"}, {"0.000000001", "float:1e-09"},
		{"1234567890.", "float:1.23456789e+09"}, // 11 characters
		{"12345678901.", "ERR:at most 11 characters"},
		{"1.234567890", "float:1.23456789"},
		{"1.2345678901", "ERR:at most 11 characters"},
		{"1.5x", "ERR:a number may contain only digits and one dot"},
		{"1..2", "ERR:a number may contain only digits and one dot"},
		{"1.5.", "ERR:a number may contain only digits and one dot"},
		{"-1.5e3", "ERR:a number may contain only digits and one dot"},
		{"-", "ERR:a sign must be followed by digits"},
		{"+", "ERR:a sign must be followed by digits"},
		{"\u0663", "ERR:only the ASCII digits"},   // ARABIC-INDIC DIGIT THREE is numeric
		{"1\u00b2", "ERR:only the ASCII digits"},  // SUPERSCRIPT TWO
		{"1.\u0663", "ERR:only the ASCII digits"}, // float with a non-ASCII digit
		{".5", "ERR:unexpected '.'"},              // a dot must be preceded by a digit
		{"-.5", "ERR:invalid lens"},               // scalar "-" with lens ".5"
		{"1abc", "scalar:1abc"},                   // digits then a letter: a name
		{"1e5", "scalar:1e5"},                     // no exponents
		{"1-2", "scalar:1-2"},
		{"-abc", "scalar:-abc"},
		{"-relay-", "scalar:-relay-"},
		{"-1abc", "scalar:-1abc"},
		{"--", "scalar:--"},
		{"+-1", "ERR:invalid character '+'"},
		{"\u0663a", "scalar:\u0663a"},
		{"a\u00b2", "scalar:a\u00b2"},
		// Variables.
		{"x", "scalar:x"}, {"p-0", "scalar:p-0"}, {"_", "scalar:_"}, {"é", "scalar:é"},
		{"a·b", "ERR:invalid character '·'"},
		{"$s", "stream:$s"}, {"%m", "streammap:%m"},
		{"#c", "canon:#c"}, {"#$c", "canon:#$c"}, {"#%m", "canonmap:#%m"},
		{"#-hopc-", "canon:#-hopc-"},
		{"$", "ERR:a stream name must not be empty"},
		{"%", "ERR:a stream map name must not be empty"},
		{"#", "ERR:a canon name must not be empty"},
		{"#$", "ERR:a canon name must not be empty"},
		{"#%", "ERR:a canon name must not be empty"},
		{"#$$a", "ERR:invalid character '$'"},
		{"#a$", "ERR:invalid character '$'"},
		// Quirk: a '%' at character offset 1 makes a canon stream map of any word.
		{"a%b", "canonmap:a%b"},
		{"$%b", "canonmap:$%b"},
		{"%%a", "canonmap:%%a"},
		{"a%", "ERR:a canon name must not be empty"},
		{"a%b%c", "ERR:invalid character '%'"},
		// Lenses.
		{"x.$.a", "scalar:x.$.a"},
		{"x.$.a.b.c", "scalar:x.$.a.b.c"},
		{"x.$.[0]", "scalar:x.$.[0]"},
		{"x.$[0]", "scalar:x.$.[0]"},
		{"x.$.a[0]", "scalar:x.$.a.[0]"},
		{"x.$.a.[0].[1]", "scalar:x.$.a.[0].[1]"},
		{"x.$.[00]", "scalar:x.$.[0]"},
		{"x.$.[4294967295]", "scalar:x.$.[4294967295]"},
		{"x.$.[4294967296]", "ERR:does not fit in 32 bits"},
		{"x.$.[i]", "scalar:x.$.[=i]"},
		{"x.$.[-1]", "scalar:x.$.[=-1]"},
		{"x.$.[1a]", "ERR:an index must contain only digits"},
		{"x.$.[]", "ERR:empty brackets"},
		{`x.$.a.["k"]`, "ERR:invalid character in accessor"},
		{"x.$.[0", "ERR:unterminated '['"},
		{"x.$.a!", "scalar:x.$.a!"},
		{"x.$.a.b!", "scalar:x.$.a.b!"},
		{"x.$.[0]!", "scalar:x.$.[0]!"},
		{"x.$.a!.b", "ERR:'!' may only appear at the end"},
		{"x.$.a!!", "ERR:'!' may only appear at the end"},
		{"x.$.[0]!.b", "ERR:'!' may only appear at the end"},
		{"x.length", "scalar:x.length"},
		{"x.length!", "ERR:invalid lens"},
		{"x.$.length", "scalar:x.$.length"},
		{"x.$.a.length", "scalar:x.$.a.length"},
		{"x.$", "ERR:at least one accessor"},
		{"x.$.", "ERR:expected an accessor after '.'"},
		{"x.$..a", "ERR:invalid lens"},
		{"x.$a", "ERR:unexpected character 'a'"},
		{"x.$.0", "ERR:cannot start with a digit"},
		{"x.$.0a", "ERR:cannot start with a digit"},
		{"x.$.a0", "scalar:x.$.a0"},
		{"x.$.-a", "scalar:x.$.-a"},
		{"x.$.\u0663a", "scalar:x.$.\u0663a"},
		{"x.$@", "ERR:unexpected character '@'"},
		{"x.$.a@", "ERR:invalid character in field name"},
		{"x.a", "ERR:a lens is either .length or a path starting with .$"},
		{"x.", "ERR:a lens is either .length or a path starting with .$"},
		// Quirk: one-character canon names cannot take a lens.
		{"#c.length", "ERR:a canon name must not be empty"},
		{"#c.$.[0]", "ERR:a canon name must not be empty"},
		{"#cc.length", "canon:#cc.length"},
		{"#$c.length", "canon:#$c.length"},
		{"#%m.length", "canonmap:#%m.length"},
		{"#%m.$.k", "canonmap:#%m.$.k"},
		{"#cc.$.[0]!", "canon:#cc.$.[0]!"},
		{"#.length", "ERR:a canon name must not be empty"},
		{"#$.a", "ERR:a canon name must not be empty"},
		// Streams and stream maps cannot have a lens.
		{"$ss.$.a", "ERR:stream $ss cannot have a lens"},
		{"%mm.length", "ERR:stream map %mm cannot have a lens"},
	}
	for _, tt := range tests {
		var tok token
		d := classifyWord(tt.word, 0, &tok)
		var got string
		switch {
		case d != nil:
			got = "ERR:" + d.Message
		case tok.kind == tokKeyword:
			got = "kw:" + tok.kw.String()
		default:
			got = dumpValue(tok.val)
		}
		if strings.HasPrefix(tt.want, "ERR:") {
			if !strings.HasPrefix(got, "ERR:") || !strings.Contains(got, tt.want[4:]) {
				t.Errorf("classify(%q) = %s, want error containing %q", tt.word, got, tt.want[4:])
			}
			continue
		}
		if got != tt.want {
			t.Errorf("classify(%q) = %s, want %s", tt.word, got, tt.want)
		}
	}
}

func TestLexerPositions(t *testing.T) {
	src := "(call\t\"é\" (\"s\" x) [a.$.b] $out)"
	l := lexer{src: src}
	var starts, ends []int
	for {
		var tok token
		d := l.next(&tok)
		if d != nil {
			t.Fatal(d.Message)
		}
		if tok.kind == tokEOF {
			break
		}
		starts = append(starts, tok.start)
		ends = append(ends, tok.end)
		if tok.kind == tokValue || tok.kind == tokString {
			if tok.val.Pos != tok.start {
				t.Errorf("value %q: Pos %d, token start %d", src[tok.start:tok.end], tok.val.Pos, tok.start)
			}
		}
	}
	wantStarts := []int{0, 1, 6, 11, 12, 16, 17, 19, 20, 25, 27, 31}
	if len(starts) != len(wantStarts) {
		t.Fatalf("starts %v, want %v", starts, wantStarts)
	}
	for i := range starts {
		if starts[i] != wantStarts[i] {
			t.Fatalf("starts %v, want %v", starts, wantStarts)
		}
	}
	if ends[2] != 10 { // "é" is two bytes
		t.Errorf("literal ends at %d, want 10", ends[2])
	}
}
