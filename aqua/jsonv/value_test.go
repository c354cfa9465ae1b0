package jsonv

import (
	"math"
	"strings"
	"testing"
)

func TestAppendFloatMatchesSerde(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{1, "1.0"},
		{1.5, "1.5"},
		{-3.25, "-3.25"},
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1e21, "1e21"},
		{1e-7, "1e-7"},
		{1.2345e20, "1.2345e20"},
		{1e16, "1e16"},
		{1e15, "1000000000000000.0"},
		{123456789012345680, "1.2345678901234568e17"},
		{0.00001, "0.00001"},
		{0.0001234, "0.0001234"},
		{0.1, "0.1"},
		{100, "100.0"},
		{math.MaxFloat64, "1.7976931348623157e308"},
		{5e-324, "5e-324"},
	}
	for _, tt := range tests {
		if got := FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStringEscapingMatchesSerde(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{"line\nnext\ttab\r\b\f", `"line\nnext\ttab\r\b\f"`},
		{"\x01\x1f", `"\u0001\u001f"`},
		{"<>&", `"<>&"`},
		{"\u2028\u2029é", "\"\u2028\u2029é\""},
		{"\x7f", "\"\x7f\""},
		{"bad\xffutf8", "\"bad\uFFFDutf8\""},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		text string
	}{
		{"0", Uint, "0"},
		{"42", Uint, "42"},
		{"-42", Int, "-42"},
		{"18446744073709551615", Uint, "18446744073709551615"},
		{"18446744073709551616", Float, "1.8446744073709552e19"},
		{"-9223372036854775808", Int, "-9223372036854775808"},
		{"-9223372036854775809", Float, "-9.223372036854776e18"},
		{"-0", Float, "-0.0"},
		{"1.0", Float, "1.0"},
		{"1e2", Float, "100.0"},
		{"2.5E-3", Float, "0.0025"},
		{"1e-400", Float, "0.0"},
	}
	for _, tt := range tests {
		v, err := ParseString(tt.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		if v.Kind() != tt.kind || v.String() != tt.text {
			t.Errorf("Parse(%s) = %v %s, want %v %s", tt.in, v.Kind(), v, tt.kind, tt.text)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "EOF while parsing a value at line 1 column 0"},
		{"not json", "expected ident at line 1 column 2"},
		{"x", "expected value at line 1 column 1"},
		{"[1,]", "expected value at line 1 column 4"},
		{"[1 2]", "expected `,` or `]` at line 1 column 4"},
		{"{1:2}", "key must be a string at line 1 column 2"},
		{`{"a" 1}`, "expected `:` at line 1 column 6"},
		{"01", "invalid number at line 1 column 2"},
		{"1 2", "trailing characters at line 1 column 3"},
		{`"abc`, "EOF while parsing a string at line 1 column 4"},
		{"\"a\nb\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"},
		{`"\q"`, "invalid escape at line 1 column 3"},
		{`"\udc00"`, "lone leading surrogate in hex escape at line 1 column 7"},
		{"1e400", "number out of range at line 1 column 1"},
		{strings.Repeat("[", 200), "recursion limit exceeded at line 1 column 128"},
		{"[1", "EOF while parsing a list at line 1 column 2"},
	}
	for _, tt := range tests {
		_, err := ParseString(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error %q", tt.in, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %q, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseStringsAndObjects(t *testing.T) {
	v := MustParse(` { "b" : [true,false,null], "a":"\u00e9\ud83d\ude00\/", "b":1 } `)
	if got, want := v.String(), `{"a":"é😀/","b":1}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if f, ok := v.Field("a"); !ok || f.String() != `"é😀/"` {
		t.Fatalf("Field(a) = %v %v", f, ok)
	}
	if _, ok := v.Field("zz"); ok {
		t.Fatal("Field(zz) found")
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1", "1", true},
		{"1", "1.0", false},
		{"1.0", "1.0", true},
		{"-1", "-1", true},
		{`{"a":1,"b":2}`, `{"b":2,"a":1}`, true},
		{`[1,2]`, `[2,1]`, false},
		{`"x"`, `"x"`, true},
		{`null`, `false`, false},
	}
	for _, tt := range tests {
		if got := Equal(MustParse(tt.a), MustParse(tt.b)); got != tt.want {
			t.Errorf("Equal(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
	if !Equal(IntValue(5), UintValue(5)) {
		t.Error("IntValue(5) != UintValue(5)")
	}
}

func TestWithAndFrom(t *testing.T) {
	v := ObjectValue().With("b", IntValue(2)).With("a", IntValue(1)).With("b", IntValue(3))
	if v.String() != `{"a":1,"b":3}` {
		t.Fatalf("With: %s", v)
	}
	g, err := From(map[string]any{"x": []any{1, "s", nil, 2.5, true}})
	if err != nil {
		t.Fatal(err)
	}
	if g.String() != `{"x":[1,"s",null,2.5,true]}` {
		t.Fatalf("From: %s", g)
	}
	if back, _ := From(g.Interface()); !Equal(back, g) {
		t.Fatalf("Interface round trip: %s", back)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2,3.5,"x",null,true]}`, `"\u00e9"`, `1e5`, `[[[]]]`, `-0`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseString(s)
		if err != nil {
			return
		}
		text := v.String()
		again, err := ParseString(text)
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", text, s, err)
		}
		if !Equal(v, again) || again.String() != text {
			t.Fatalf("round trip of %q: %s != %s", s, text, again)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := []byte(`{"error_code":10000,"instruction":"call %init_peer_id% (\"bad\" \"f\") [] x","message":"Local service error","peer_id":"12D3KooW","values":[1,2,3,4.5,"six",{"k":null}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	v := MustParse(`{"error_code":10000,"instruction":"call %init_peer_id% (\"bad\" \"f\") [] x","message":"Local service error","peer_id":"12D3KooW","values":[1,2,3,4.5,"six",{"k":null}]}`)
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = v.Append(buf[:0])
	}
}
