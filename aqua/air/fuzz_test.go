package air

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are small scripts covering every form, quirk and error class.
var fuzzSeeds = []string{
	``,
	`(null)`,
	`(seq (null) (never))`,
	`(call %init_peer_id% ("s" "f") [%ttl% %timestamp% %init_peer_id% 1.5 -3 +3 true "str" []] x)`,
	`(new x (call x.$.a (x x.$.b) [x.$.[0]! x.length :error:.$.m %last_error%] $s))`,
	`(new #cc (call "p" ("s" "f") [#cc #cc.$.[1] #cc.length] y))`,
	`(seq (ap ("k" 1) %m) (seq (canon %init_peer_id% %m #%cm) (canon %init_peer_id% %m sc)))`,
	`(new $s (fold $s i (seq (null) (next i)) (null)))`,
	`(new $s (fold $s i (seq (next i) (null))))`,
	`(new x (fold x i (fold x i (next i))))`,
	`(new x (fold x i (new i (next i))))`,
	`(fold [] i (par (next i) (null)) (never))`,
	`(xor (match 1 1.0 (null)) (mismatch x "A" (fail 1337 "msg")))`,
	`(xor (fail %last_error%) (xor (fail :error:) (fail x.$.e)))`,
	`(fail 0 "x")`,
	`(new a%b (new #$c (new #%m (null))))`,
	"; comment\n(seq ; c\n (null) (null))",
	"(call \"p\" (\"s\" \"f\") [\"multi\nline\"])",
	`(ap 1234567890. x)`,
	`(ap 12345678901. x)`,
	`(ap #c.length x)`,
	`(ap x.$.a!.b y)`,
	`(seq (null)`,
	`(call "p" ("s") [] x)`,
	"(null)\xff",
	"(\u00a0null\u3000)",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, dir := range []string{"testdata/scripts", "testdata/format"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.air"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Diagnostics) == 0 || s != nil {
				t.Fatalf("Parse error %T %v, script %v", err, err, s)
			}
			for _, d := range pe.Diagnostics {
				if d.Span.Start < 0 || d.Span.End < d.Span.Start || d.Span.End > len(src) || d.Message == "" {
					t.Fatalf("bad diagnostic %+v", d)
				}
				if l, c := LineCol(src, d.Span.Start); l != d.Line || c != d.Col {
					t.Fatalf("diagnostic at %d:%d, span start is %d:%d", d.Line, d.Col, l, c)
				}
			}
			_ = pe.Error()
			return
		}
		Walk(s.Root, func(i Instr) bool {
			sp := i.Span()
			if sp.Start < 0 || sp.End > len(src) || sp.End <= sp.Start || src[sp.Start] != '(' || src[sp.End-1] != ')' {
				t.Fatalf("bad span %v for %s", sp, Display(i))
			}
			_ = Display(i)
			return true
		})
		checkRoundTrip(t, "fuzz input", s)
	})
}
