package air

import (
	"math"
	"strings"
	"testing"
)

// firstInstr returns the first instruction of the given type in pre-order.
func firstInstr[T Instr](t *testing.T, root Instr) T {
	t.Helper()
	var found T
	ok := false
	Walk(root, func(i Instr) bool {
		if v, is := i.(T); is && !ok {
			found, ok = v, true
		}
		return !ok
	})
	if !ok {
		t.Fatalf("no %T in %s", found, dump(root))
	}
	return found
}

// Display strings as quoted in §6.3, §13 and §14 of the spec.
func TestDisplay(t *testing.T) {
	tests := []struct {
		defs  string // variables defined by enclosing (new VAR …) wrappers
		instr string
		want  string
	}{
		// Scenario 5.
		{"", `(call %init_peer_id% ("bad" "f") [] x)`, `call %init_peer_id% ("bad" "f") [] x`},
		// Scenario 23: trailing space when there is no output.
		{"x", `(call %init_peer_id% ("s" "g") [x.$.a.[3]])`, `call %init_peer_id% ("s" "g") [x.$.a.[3]] `},
		{"x", `(ap x.$.a y)`, `ap x.$.a y`},
		{"x", `(fold x i (null))`, `fold x i`},
		{"", `(canon x $s #cc)`, `canon x $s #cc`},
		// Scenarios 6, 7, 8, 27 and §6.3.
		{"", `(match 1 1.0 (null))`, `match 1 1`},
		{"x", `(mismatch x "A" (null))`, `mismatch x "A"`},
		{"", `(fail 1337 "msg")`, `fail 1337 "msg"`},
		{"", `(fail 42 "boom")`, `fail 42 "boom"`},
		{"", `(fail -if-else-error-)`, `fail -if-else-error-`},
		{"", `(fail :error:)`, `fail :error:`},
		{"", `(fail %last_error%)`, `fail %last_error%`},
		{"", `(fail #cc.$.[0])`, `fail #cc.$.[0]`},
		{"", `(fail x.$.e!)`, `fail x.$.e`},
		// Other leaves.
		{"", `(call "p" ("s" "f") ["a" 1] $s)`, `call "p" ("s" "f") ["a" 1] $s`},
		{"", `(call %init_peer_id% ("s" "f") [%ttl% %timestamp% %init_peer_id% 1.5 -3 true "str" []])`,
			`call %init_peer_id% ("s" "f") [%ttl% %timestamp% %init_peer_id% 1.5 -3 true "str" []] `},
		{"", `(call "p" ("s" "f") [:error: %last_error% :error:.$.error_code %last_error%.$.message])`,
			`call "p" ("s" "f") [:error: %last_error% :error:.$.error_code %last_error%.$.message] `},
		{"x #cc", `(call x.$.p (#cc.$.[0] x) [x.$.a.[0]! x.$[1] #cc.length x.length] y)`,
			`call x.$.p (#cc.$.[0] x) [x.$.a.[0] x.$.[1] #cc.length x.length] y`},
		{"", `(canon %init_peer_id% %m #%cm)`, `canon %init_peer_id% %m #%cm`},
		{"", `(canon %init_peer_id% %m sc)`, `canon %init_peer_id% %m sc`},
		{"", `(ap ("k" 1) %m)`, `ap ("k" 1) %m`},
		{"", `(ap (7 "x") %m)`, `ap (7 "x") %m`},
		{"", `(ap :error: x)`, `ap :error: x`},
		{"#c", `(ap #c x)`, `ap #c x`},
		{"", `(ap 1.0 x)`, `ap 1 x`},
		{"", `(ap -0.0 x)`, `ap -0 x`},
		{"", `(ap 0.000000001 x)`, `ap 0.000000001 x`},
		{"", `(ap 1234567890. x)`, `ap 1234567890 x`},
		{"", `(ap +0.50 x)`, `ap 0.5 x`},
		{"", `(ap +7 x)`, `ap 7 x`},
		{"", `(new i (null))`, `new i`},
		{"", `(new #$c (null))`, `new #$c`},
		{"", `(fold [] i (next i))`, `fold [] i`},
		{"", `(new $s (fold $s i (null)))`, `new $s`},
		// Structural instructions print their keyword only.
		{"", `(seq (null) (never))`, `seq`},
		{"", `(par (null) (null))`, `par`},
		{"", `(xor (null) (null))`, `xor`},
		{"", `(null)`, `null`},
		{"", `(never)`, `never`},
	}
	for _, tt := range tests {
		src := tt.instr
		defs := strings.Fields(tt.defs)
		for _, d := range defs {
			src = "(new " + d + " " + src + ")"
		}
		in := mustParse(t, src).Root
		for range defs {
			in = in.(*New).Body
		}
		if got := Display(in); got != tt.want {
			t.Errorf("Display(%s)\n got: %q\nwant: %q", tt.instr, got, tt.want)
		}
	}
	if got := Display(firstInstr[*Next](t, mustParse(t, `(fold [] i (next i))`).Root)); got != "next i" {
		t.Errorf("Display(next) = %q", got)
	}
	if Display(nil) != "" {
		t.Error("Display(nil) != \"\"")
	}
}

func TestValueString(t *testing.T) {
	lens := func(path ...Accessor) *Lens { return &Lens{Path: path} }
	tests := []struct {
		v    Value
		want string
	}{
		{Value{}, ""},
		{Value{Kind: InitPeerID}, "%init_peer_id%"},
		{Value{Kind: LastError}, "%last_error%"},
		{Value{Kind: LastError, Lens: lens(Accessor{Kind: FieldAccessor, Name: "message"})}, "%last_error%.$.message"},
		{Value{Kind: ErrorValue, Lens: &Lens{Length: true}}, ":error:.length"},
		{Value{Kind: Timestamp}, "%timestamp%"},
		{Value{Kind: TTL}, "%ttl%"},
		{Value{Kind: Literal, Name: `a\b`}, `"a\b"`},
		{Value{Kind: Int, Int: math.MinInt64}, "-9223372036854775808"},
		{Value{Kind: Float, Float: 1}, "1"},
		{Value{Kind: Float, Float: 1.5}, "1.5"},
		{Value{Kind: Float, Float: 1e21}, "1000000000000000000000"},
		{Value{Kind: Float, Float: 1e-7}, "0.0000001"},
		{Value{Kind: Float, Float: math.Nextafter(0.3, 1)}, "0.30000000000000004"}, // 0.1+0.2
		{Value{Kind: Bool, Bool: true}, "true"},
		{Value{Kind: EmptyArray}, "[]"},
		{Value{Kind: Scalar, Name: "x"}, "x"},
		{Value{Kind: Stream, Name: "$s"}, "$s"},
		{Value{Kind: StreamMap, Name: "%m"}, "%m"},
		{Value{Kind: CanonStream, Name: "#$c", Lens: &Lens{Length: true}}, "#$c.length"},
		{Value{Kind: CanonMap, Name: "#%m", Lens: lens(Accessor{Kind: FieldAccessor, Name: "k"}, Accessor{Kind: IndexAccessor, Index: 1, Flatten: true})}, "#%m.$.k.[1]"},
		{Value{Kind: Scalar, Name: "x", Lens: lens(Accessor{Kind: VarAccessor, Name: "i"}, Accessor{Kind: IndexAccessor, Index: 4294967295})}, "x.$.[i].[4294967295]"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestLensString(t *testing.T) {
	tests := []struct{ word, want string }{
		{"x.$.a.[0]!", ".$.a.[0]"},
		{"x.$[0]", ".$.[0]"},
		{"x.$.a[i].b", ".$.a.[i].b"},
		{"x.$.[007]", ".$.[7]"},
		{"x.length", ".length"},
		{"x.$.length", ".$.length"},
	}
	for _, tt := range tests {
		var tok token
		d := classifyWord(tt.word, 0, &tok)
		if d != nil {
			t.Fatalf("%s: %s", tt.word, d.Message)
		}
		if got := tok.val.Lens.String(); got != tt.want {
			t.Errorf("lens of %s = %q, want %q", tt.word, got, tt.want)
		}
	}
	var nilLens *Lens
	if nilLens.String() != "" {
		t.Error("nil lens")
	}
}
