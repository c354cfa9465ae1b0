package air

import (
	"errors"
	"strings"
	"testing"
)

// Every grammar form of §2 parses to the expected AST.
func TestParseForms(t *testing.T) {
	tests := []struct{ src, want string }{
		// call
		{`(call %init_peer_id% ("s" "f") [] x)`, `(call %init_peer_id% (lit:"s" lit:"f") [] -> scalar:x)`},
		{`(call "p" ("s" "f") [])`, `(call lit:"p" (lit:"s" lit:"f") [])`},
		{`(call "p" ("s" "f") [] $s)`, `(call lit:"p" (lit:"s" lit:"f") [] -> stream:$s)`},
		{`(call "p"("s" "f")[]z)`, `(call lit:"p" (lit:"s" lit:"f") [] -> scalar:z)`},
		{`(new x (call x ("s" "f") [] y))`, `(new scalar:x (call scalar:x (lit:"s" lit:"f") [] -> scalar:y))`},
		{`(new x (call x.$.a (x x.$.b) [] y))`, `(new scalar:x (call scalar:x.$.a (scalar:x scalar:x.$.b) [] -> scalar:y))`},
		{`(new #cc (call #cc.$.[0] (#cc.$.[1] #cc.length) [] y))`,
			`(new canon:#cc (call canon:#cc.$.[0] (canon:#cc.$.[1] canon:#cc.length) [] -> scalar:y))`},
		{`(new #%m (call #%m.$.p ("s" #%m.$.f) [] y))`,
			`(new canonmap:#%m (call canonmap:#%m.$.p (lit:"s" canonmap:#%m.$.f) [] -> scalar:y))`},
		{`(call %init_peer_id% ("s" "f") [%ttl% %timestamp% %init_peer_id% 1.5 -3 true "str" []])`,
			`(call %init_peer_id% (lit:"s" lit:"f") [%ttl% %timestamp% %init_peer_id% float:1.5 int:-3 bool:true lit:"str" []])`},
		{`(call "p" ("s" "f") [:error: %last_error% :error:.$.error_code %last_error%.$.message :error:.length])`,
			`(call lit:"p" (lit:"s" lit:"f") [:error: %last_error% :error:.$.error_code %last_error%.$.message :error:.length])`},
		{`(new #c (new #%m (new x (call "p" ("s" "f") [#c #%m x x.$.a.[0]! x.length [ ] false]))))`,
			`(new canon:#c (new canonmap:#%m (new scalar:x (call lit:"p" (lit:"s" lit:"f") [canon:#c canonmap:#%m scalar:x scalar:x.$.a.[0]! scalar:x.length [] bool:false]))))`},
		// canon and its map variants
		{`(canon %init_peer_id% $s #c)`, `(canon %init_peer_id% stream:$s -> canon:#c)`},
		{`(canon "p" $s #$c)`, `(canon lit:"p" stream:$s -> canon:#$c)`},
		{`(canon "p" %m #%c)`, `(canon lit:"p" streammap:%m -> canonmap:#%c)`},
		{`(canon "p" %m sc)`, `(canon lit:"p" streammap:%m -> scalar:sc)`},
		{`(canon x $s #cc)`, `(canon scalar:x stream:$s -> canon:#cc)`}, // the canon peer needs no definition
		{`(canon x.$.a $s #cc)`, `(canon scalar:x.$.a stream:$s -> canon:#cc)`},
		// ap
		{`(ap 1 x)`, `(ap int:1 -> scalar:x)`},
		{`(ap 1.5 $s)`, `(ap float:1.5 -> stream:$s)`},
		{`(ap "x" y)`, `(ap lit:"x" -> scalar:y)`},
		{`(ap [] x)`, `(ap [] -> scalar:x)`},
		{`(ap true x)`, `(ap bool:true -> scalar:x)`},
		{`(ap %init_peer_id% x)`, `(ap %init_peer_id% -> scalar:x)`},
		{`(ap :error: x)`, `(ap :error: -> scalar:x)`},
		{`(ap :error:.$.message x)`, `(ap :error:.$.message -> scalar:x)`},
		{`(ap %last_error%.length x)`, `(ap %last_error%.length -> scalar:x)`},
		{`(ap %ttl% x)`, `(ap %ttl% -> scalar:x)`},
		{`(new #c (ap #c x))`, `(new canon:#c (ap canon:#c -> scalar:x))`},
		{`(new #%m (ap #%m.$.k x))`, `(new canonmap:#%m (ap canonmap:#%m.$.k -> scalar:x))`},
		{`(new x (ap x.$.a $s))`, `(new scalar:x (ap scalar:x.$.a -> stream:$s))`},
		// ap (key value) %map
		{`(ap ("k" 1) %m)`, `(ap (lit:"k" int:1) -> streammap:%m)`},
		{`(ap (7 "x") %m)`, `(ap (int:7 lit:"x") -> streammap:%m)`},
		{`(new x (ap (x.$.a x.length) %m))`, `(new scalar:x (ap (scalar:x.$.a scalar:x.length) -> streammap:%m))`},
		{`(new #cc (ap (#cc.$.[0] #cc) %m))`, `(new canon:#cc (ap (canon:#cc.$.[0] canon:#cc) -> streammap:%m))`},
		{`(ap ("k" v) %m)`, `(ap (lit:"k" scalar:v) -> streammap:%m)`}, // the value needs no definition
		{`(ap ("k" #%cc.$.a) %m)`, `(ap (lit:"k" canonmap:#%cc.$.a) -> streammap:%m)`},
		// seq / par / xor / null / never
		{`(seq (null) (never))`, `(seq (null) (never))`},
		{`(par (null) (null))`, `(par (null) (null))`},
		{`(xor (never) (null))`, `(xor (never) (null))`},
		{`(seq(null)(null))`, ``}, // "seq(null)(null)" is one (invalid) word; see negatives
		// new over all five kinds
		{`(new x (null))`, `(new scalar:x (null))`},
		{`(new $s (null))`, `(new stream:$s (null))`},
		{`(new %m (null))`, `(new streammap:%m (null))`},
		{`(new #c (null))`, `(new canon:#c (null))`},
		{`(new #$c (null))`, `(new canon:#$c (null))`},
		{`(new #%m (null))`, `(new canonmap:#%m (null))`},
		{`(new a%b (null))`, `(new canonmap:a%b (null))`},
		// fail in all forms
		{`(fail 1337 "msg")`, `(fail-literal 1337 "msg")`},
		{`(fail -1 "x")`, `(fail-literal -1 "x")`},
		{`(fail +5 "")`, `(fail-literal 5 "")`},
		{`(fail x)`, `(fail-value scalar:x)`}, // the fail operand needs no definition
		{`(fail x.$.e)`, `(fail-value scalar:x.$.e)`},
		{`(fail #cc.$.[0])`, `(fail-value canon:#cc.$.[0])`},
		{`(fail %last_error%)`, `(fail-last-error)`},
		{`(fail :error:)`, `(fail-error)`},
		// fold over every iterable kind, with and without a last instruction
		{`(new x (fold x i (null)))`, `(new scalar:x (fold scalar:x i (null)))`},
		{`(new x (fold x.$.a i (null) (null)))`, `(new scalar:x (fold scalar:x.$.a i (null) last:(null)))`},
		{`(new #c (fold #c i (null)))`, `(new canon:#c (fold canon:#c i (null)))`},
		{`(new #%cc (fold #%cc i (null)))`, `(new canonmap:#%cc (fold canonmap:#%cc i (null)))`},
		{`(new #%cc (fold #%cc.$.x i (null)))`, `(new canonmap:#%cc (fold canonmap:#%cc.$.x i (null)))`},
		{`(fold [] i (next i) (never))`, `(fold [] i (next i) last:(never))`},
		{`(new $s (fold $s i (seq (null) (next i)) (null)))`, `(new stream:$s (fold stream:$s i (seq (null) (next i)) last:(null)))`},
		{`(new %m (fold %m i (next i)))`, `(new streammap:%m (fold streammap:%m i (next i)))`},
		{`(seq (ap 1 $s) (fold $s i (null)))`, `(seq (ap int:1 -> stream:$s) (fold stream:$s i (null)))`},
		{`(seq (ap ("k" 1) %m) (fold %m i (null)))`, `(seq (ap (lit:"k" int:1) -> streammap:%m) (fold streammap:%m i (null)))`},
		// match / mismatch
		{`(match 1 1.0 (null))`, `(match int:1 float:1 (null))`},
		{`(mismatch %ttl% %timestamp% (null))`, `(mismatch %ttl% %timestamp% (null))`},
		{`(match %init_peer_id% :error:.$.x (null))`, `(match %init_peer_id% :error:.$.x (null))`},
		{`(match [] true (null))`, `(match [] bool:true (null))`},
		{`(new #%m (match #%m "a" (null)))`, `(new canonmap:#%m (match canonmap:#%m lit:"a" (null)))`},
		// comments and whitespace
		{"; leading comment\n(seq ; one\n (null) ; two\n (null)) ; trailing", `(seq (null) (null))`},
		{"\u00a0(null)\u3000", `(null)`},
		{"(call \"p\" (\"s\" \"f\") [\"multi\nline ) ; literal\"])", "(call lit:\"p\" (lit:\"s\" lit:\"f\") [lit:\"multi\nline ) ; literal\"])"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.src)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) succeeded, want error", tt.src)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q):\n%v", tt.src, err)
			continue
		}
		if got := dump(s.Root); got != tt.want {
			t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
		}
		checkRoundTrip(t, tt.src, s)
	}
}

// Value.Pos is the byte offset of the token, every Span covers "(" .. ")".
func TestPositions(t *testing.T) {
	src := "(seq\n\t(call \"é\" (\"s\" x.$.a) [[] 1] $o)\n\t(fold $o it (ap (\"k\" it) %m) (null)))"
	s := mustParse(t, "(new x "+src+")")
	off := len("(new x ")
	seq := s.Root.(*New).Body.(*Seq)
	if got := (Span{off, off + len(src)}); seq.Sp != got {
		t.Errorf("seq span %v, want %v", seq.Sp, got)
	}
	var spans []string
	Walk(s.Root, func(i Instr) bool {
		sp := i.Span()
		text := s.Text(sp)
		if !strings.HasPrefix(text, "(") || !strings.HasSuffix(text, ")") {
			t.Errorf("span %v of %T covers %q", sp, i, text)
		}
		spans = append(spans, text)
		return true
	})
	if len(spans) != 6 {
		t.Errorf("walked %d instructions: %q", len(spans), spans)
	}
	call := seq.Left.(*Call)
	checkPos := func(name string, v Value, want string) {
		t.Helper()
		if !strings.HasPrefix(s.Source[v.Pos:], want) {
			t.Errorf("%s: Pos %d points at %q, want %q", name, v.Pos, s.Source[v.Pos:min(v.Pos+10, len(s.Source))], want)
		}
	}
	checkPos("peer", call.Peer, `"é"`)
	checkPos("service", call.Service, `"s"`)
	checkPos("function", call.Function, "x.$.a")
	checkPos("arg0", call.Args[0], "[]")
	checkPos("arg1", call.Args[1], "1]")
	checkPos("output", call.Output, "$o")
	fold := seq.Right.(*Fold)
	checkPos("iterable", fold.Iterable, "$o it")
	if !strings.HasPrefix(s.Source[fold.IteratorPos:], "it (ap") {
		t.Errorf("IteratorPos %d", fold.IteratorPos)
	}
	apm := fold.Body.(*ApMap)
	checkPos("key", apm.Key, `"k"`)
	checkPos("value", apm.Arg, "it)")
	checkPos("map", apm.Map, "%m)")
	if line, col := s.Position(call.Sp.Start); line != 2 || col != 2 {
		t.Errorf("Position(call) = %d:%d, want 2:2", line, col)
	}
	if line, col := s.Position(call.Output.Pos); line != 2 || col != 31 {
		t.Errorf("Position(output) = %d:%d, want 2:29", line, col)
	}
}

func TestFailValueForms(t *testing.T) {
	s := mustParse(t, `(xor (fail %last_error%) (fail :error:))`)
	x := s.Root.(*Xor)
	l, r := x.Left.(*Fail), x.Right.(*Fail)
	if l.Form != FailLastError || l.Value.Kind != LastError || l.Value.Pos != 11 {
		t.Errorf("fail %%last_error%%: %+v", l)
	}
	if r.Form != FailError || r.Value.Kind != ErrorValue || r.Value.Pos != 31 {
		t.Errorf("fail :error:: %+v", r)
	}
	lit := mustParse(t, `(fail 7 "boom")`).Root.(*Fail)
	if lit.Form != FailLiteral || lit.Code != 7 || lit.Message != "boom" || lit.Value.Kind != None {
		t.Errorf("fail literal: %+v", lit)
	}
}

// Parse accepts scripts nested up to MaxDepth and rejects deeper ones without
// exhausting the stack, also for absurdly deep input.
func TestMaxDepth(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("(new x ", n-1) + "(null)" + strings.Repeat(")", n-1)
	}
	s := mustParse(t, nest(MaxDepth))
	checkRoundTrip(t, "MaxDepth", s)
	n := 0
	Walk(s.Root, func(Instr) bool { n++; return true })
	if n != MaxDepth {
		t.Errorf("walked %d instructions, want %d", n, MaxDepth)
	}
	for _, src := range []string{nest(MaxDepth + 1), strings.Repeat("(seq ", 1_000_000)} {
		_, err := Parse(src)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Diagnostics[0].Message, "nested too deeply") {
			t.Fatalf("deep input: got %v", err)
		}
		if d := pe.Diagnostics[0]; d.Line != 1 || d.Col != 7*MaxDepth+1 && d.Col != 5*MaxDepth+1 {
			t.Errorf("deep input: error at %d:%d", d.Line, d.Col)
		}
	}
}

func TestWalkSkip(t *testing.T) {
	s := mustParse(t, `(seq (new x (seq (null) (null))) (fold [] i (next i) (never)))`)
	var got []string
	Walk(s.Root, func(i Instr) bool {
		got = append(got, Display(i))
		_, isNew := i.(*New)
		return !isNew
	})
	want := "seq|new x|fold [] i|next i|never"
	if strings.Join(got, "|") != want {
		t.Errorf("Walk visited %q, want %q", strings.Join(got, "|"), want)
	}
	Walk(nil, func(Instr) bool { t.Fatal("called on nil"); return true })
}
