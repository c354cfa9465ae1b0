package air

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

type negCase struct {
	src string
	// want lists the expected diagnostics as "LINE:COL message-substring", in order.
	want []string
}

func checkNegative(t *testing.T, tt negCase) {
	t.Helper()
	s, err := Parse(tt.src)
	if err == nil {
		t.Errorf("Parse(%q) succeeded: %s", tt.src, dump(s.Root))
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Errorf("Parse(%q): error %T, want *ParseError", tt.src, err)
		return
	}
	if pe.Source != tt.src {
		t.Errorf("ParseError.Source = %q", pe.Source)
	}
	var got []string
	for _, d := range pe.Diagnostics {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Col, d.String()))
		if l, c := LineCol(tt.src, d.Span.Start); l != d.Line || c != d.Col {
			t.Errorf("Parse(%q): diagnostic %d:%d does not match its span start %d (%d:%d)", tt.src, d.Line, d.Col, d.Span.Start, l, c)
		}
		if d.Span.End < d.Span.Start || d.Span.End > len(tt.src) {
			t.Errorf("Parse(%q): bad span %v", tt.src, d.Span)
		}
	}
	ok := len(got) == len(tt.want)
	for i := 0; ok && i < len(got); i++ {
		pos, msg, _ := strings.Cut(tt.want[i], " ")
		ok = strings.HasPrefix(got[i], pos+" ") && strings.Contains(got[i], msg)
	}
	if !ok {
		t.Errorf("Parse(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
	}
	// Rendering never panics and mentions every position.
	text := err.Error()
	for _, d := range pe.Diagnostics {
		if !strings.Contains(text, fmt.Sprintf("%d:%d: ", d.Line, d.Col)) {
			t.Errorf("Error() lacks %d:%d:\n%s", d.Line, d.Col, text)
		}
	}
}

// The "Not allowed" list of §2 and other syntax errors.
func TestSyntaxErrors(t *testing.T) {
	for _, tt := range []negCase{
		// Streams and stream maps as call arguments or match operands.
		{`(call "p" ("s" "f") [$s] z)`, []string{`1:22 stream "$s" cannot be used as a call argument; canonicalize it first`}},
		{`(call "p" ("s" "f") [%m] z)`, []string{`1:22 stream map "%m" cannot be used as a call argument`}},
		{`(match $s 1 (null))`, []string{`1:8 stream "$s" cannot be used as a match operand`}},
		{`(mismatch 1 %m (null))`, []string{`1:13 stream map "%m" cannot be used as a match operand`}},
		// Canon streams with a lens cannot be folded over.
		{`(new #cc (fold #cc.$.x i (null)))`, []string{`1:16 canon stream "#cc.$.x": a fold iterable cannot have a lens`}},
		{`(new #cc (fold #cc.length i (null)))`, []string{`1:16 a fold iterable cannot have a lens`}},
		{`(fold "a" i (null))`, []string{`1:7 string "a" cannot be used as a fold iterable`}},
		{`(fold 1 i (null))`, []string{`1:7 number 1 cannot be used as a fold iterable`}},
		{`(fold :error:.$.k i (null))`, []string{`1:7 ":error:.$.k" cannot be used as a fold iterable`}},
		{`(new x (fold x i.$.a (null)))`, []string{`1:16 scalar "i.$.a": a fold iterator cannot have a lens`}},
		{`(new x (fold x $i (null)))`, []string{`1:16 stream "$i" cannot be used as a fold iterator`}},
		{`(new x (fold x i (null) (null) (null)))`, []string{`1:32 unexpected "(" (expected ")" closing (fold at 1:8)`}},
		// fail forms.
		{`(fail %last_error%.$.x)`, []string{`1:7 "%last_error%.$.x": the operand of fail cannot have a lens`}},
		{`(fail :error:.$.message)`, []string{`1:7 the operand of fail cannot have a lens`}},
		{`(fail 1.5 "m")`, []string{`1:7 the error code of fail must be an integer, not a float`}},
		{`(fail "m")`, []string{`1:7 fail needs an error code before the message`}},
		{`(fail 1 m)`, []string{`1:9 unexpected scalar "m" (expected a string message`}},
		{`(fail 1)`, []string{`1:8 unexpected ")" (expected a string message`}},
		{`(new #c (fail #c))`, []string{`1:15 canon stream "#c" cannot be used as the operand of fail without a lens`}},
		{`(fail #%cc.$.a)`, []string{`1:7 canon map "#%cc.$.a" cannot be used as the operand of fail`}},
		{`(fail %init_peer_id%)`, []string{`1:7 "%init_peer_id%" cannot be used as the operand of fail`}},
		// ap.
		{`(new #%m (ap #%m x))`, []string{`1:14 canon map "#%m" cannot be used as an ap argument`}},
		{`(ap 1 %m)`, []string{`1:7 stream map "%m" cannot be used as the ap result`}},
		{`(ap 1 #c)`, []string{`1:7 canon stream "#c" cannot be used as the ap result`}},
		{`(ap 1 true)`, []string{`1:7 boolean true cannot be used as the ap result`}},
		{`(ap 1 x.$.a)`, []string{`1:7 scalar "x.$.a": the ap result cannot have a lens`}},
		{`(ap $s x)`, []string{`1:5 stream "$s" cannot be used as an ap argument`}},
		{`(ap (1.5 1) %m)`, []string{`1:6 number 1.5 cannot be used as a map key`}},
		{`(ap (true 1) %m)`, []string{`1:6 boolean true cannot be used as a map key`}},
		{`(ap ([] 1) %m)`, []string{`1:6 empty array [] cannot be used as a map key`}},
		{`(ap (:error:.$.k 1) %m)`, []string{`1:6 cannot be used as a map key`}},
		{`(new #c (ap (#c 1) %m))`, []string{`1:14 canon stream "#c" cannot be used as a map key without a lens`}},
		{`(ap (1 #%cc) %m)`, []string{`1:8 canon map "#%cc" cannot be used as an ap argument`}},
		{`(ap ("k" 1) $s)`, []string{`1:13 stream "$s" cannot be used as the map of ap (key value)`}},
		{`(ap ("k" 1) x)`, []string{`1:13 scalar "x" cannot be used as the map of ap (key value)`}},
		{`(ap ("k" 1 2) %m)`, []string{`1:12 unexpected number 2 (expected ")" closing the (key value) pair)`}},
		{`(ap ("k") %m)`, []string{`1:9 unexpected ")"`}},
		// canon outputs.
		{`(canon "p" $s x)`, []string{`1:15 scalar "x" cannot be used as the canon result of a stream`}},
		{`(canon "p" $s #%c)`, []string{`1:15 canon map "#%c" cannot be used as the canon result of a stream`}},
		{`(canon "p" %m #c)`, []string{`1:15 canon stream "#c" cannot be used as the canon result of a stream map`}},
		{`(canon "p" $s $t)`, []string{`1:15 stream "$t" cannot be used as the canon result of a stream`}},
		{`(canon "p" "s" #c)`, []string{`1:12 string "s" cannot be used as the canon source`}},
		{`(canon :error: $s #c)`, []string{`1:8 ":error:" cannot be used as the canon peer`}},
		// call outputs and triplets.
		{`(call "p" ("s" "f") [] #c)`, []string{`1:24 canon stream "#c" cannot be used as the call output`}},
		{`(call "p" ("s" "f") [] %m)`, []string{`1:24 stream map "%m" cannot be used as the call output`}},
		{`(call "p" ("s" "f") [] x.$.a)`, []string{`1:24 the call output cannot have a lens`}},
		{`(call "p" ("s" "f") [] true)`, []string{`1:24 boolean true cannot be used as the call output`}},
		{`(call "p" ("s" "f") [] call)`, []string{`1:24 keyword "call" cannot be used as the call output (keywords are reserved`}},
		{`(call "p" ("s" "f") [] z w)`, []string{`1:26 unexpected scalar "w" (expected ")" closing (call at 1:1)`}},
		{`(call "p" ("s") [] z)`, []string{`1:15 unexpected ")" (expected a string, a scalar or a canon stream or canon map with a lens)`}},
		{`(call "p" ("s" "f" "g") [] z)`, []string{`1:20 unexpected string "g" (expected ")" closing the (service function) pair)`}},
		{`(call "p" [] z)`, []string{`1:11 unexpected "[" (expected "(" starting the (service function) pair)`}},
		{`(call "p" ("s" "f"))`, []string{`1:20 unexpected ")" (expected "[" starting the argument list)`}},
		{`(call "p" ("s" "f") [)`, []string{`1:22 unexpected ")" (expected a value`}},
		{`(call "p" ("s" "f") [[x]])`, []string{`1:23 unexpected scalar "x" (expected "]": the only array literal is the empty array [])`}},
		{`(call :error: ("s" "f") [] y)`, []string{`1:7 ":error:" cannot be used as the call peer`}},
		{`(call "p" (%init_peer_id% "f") [] y)`, []string{`1:12 "%init_peer_id%" cannot be used as the service name`}},
		{`(new #c (call #c ("s" "f") [] y))`, []string{`1:15 canon stream "#c" cannot be used as the call peer without a lens`}},
		{`(new #%cc (call #%cc ("s" "f") [] y))`, []string{`1:17 canon map "#%cc" cannot be used as the call peer without a lens`}},
		{`(call "p" ("s" 1) [] y)`, []string{`1:16 number 1 cannot be used as the function name`}},
		// new, next, match.
		{`(new x.$.a (null))`, []string{`1:6 the variable of new cannot have a lens`}},
		{`(new 1 (null))`, []string{`1:6 number 1 cannot be used as the variable of new`}},
		{`(new "x" (null))`, []string{`1:6 string "x" cannot be used as the variable of new`}},
		{`(new true (null))`, []string{`1:6 boolean true cannot be used as the variable of new`}},
		{`(new call (null))`, []string{`1:6 keyword "call" cannot be used as the variable of new`}},
		{`(next 1)`, []string{`1:7 number 1 cannot be used as the iterator of next`}},
		{`(new x (next x.$.a))`, []string{`1:14 the iterator of next cannot have a lens`}},
		{`(match 1 1)`, []string{`1:11 unexpected ")" (expected "(" starting an instruction)`}},
		{`(match 1 (null))`, []string{`1:10 unexpected "("`}},
		// Structure.
		{``, []string{`1:1 empty script`}},
		{"  ; just a comment\n", []string{`1:1 empty script`}},
		{`null`, []string{`1:1 unexpected keyword "null" (expected "(" starting an instruction)`}},
		{`()`, []string{`1:2 unexpected ")" (expected an instruction name`}},
		{`(foo)`, []string{`1:2 unexpected scalar "foo" (expected an instruction name`}},
		{`(Null)`, []string{`1:2 unexpected scalar "Null"`}},
		{`(null) (null)`, []string{`1:8 unexpected "(" after the end of the script: a script is exactly one instruction`}},
		{`(null))`, []string{`1:7 unexpected ")" after the end of the script`}},
		{`(null x)`, []string{`1:7 unexpected scalar "x" (expected ")" closing (null at 1:1)`}},
		{`(never x)`, []string{`1:8 unexpected scalar "x" (expected ")" closing (never at 1:1)`}},
		{`(par (null))`, []string{`1:12 unexpected ")" (expected "(" starting an instruction)`}},
		{`(seq (null) (null) (null))`, []string{`1:20 unexpected "(" (expected ")" closing (seq at 1:1)`}},
		{"(seq (null)\n     (null)", []string{`2:12 unexpected end of script (expected ")" closing (seq at 1:1)`}},
		{"(seq (null)\n     (null)\n\n  ; trailing comment\n", []string{`2:12 unexpected end of script`}},
		{`(seq(null)(null))`, []string{`1:5 invalid character '(' in variable name "seq(null)(null)"`}},
		// Lexer errors surface at their position.
		{`(call "p" ("s" "f") ["abc] z)`, []string{`1:22 unterminated string literal`}},
		{`(call "p" ("s" "f") ["a\"b"] z)`, []string{`1:27 invalid character '"' in variable name "b\""`}},
		{`(call "p" ("s" "f") [{}] z)`, []string{`1:22 invalid character '{'`}},
		{`(call "p" ("s" "f") [x;y] z)`, []string{`1:23 invalid character ';'`}},
		{`(ap 1.5x y)`, []string{`1:8 a number may contain only digits and one dot`}},
		{`(ap 12345678901. y)`, []string{`1:5 float literal 12345678901. is too long`}},
		{`(ap 9223372036854775808 y)`, []string{`1:5 integer 9223372036854775808 does not fit in a signed 64-bit integer`}},
		{`(ap - y)`, []string{`1:5 a sign must be followed by digits`}},
		{`(ap x.$.a!.b y)`, []string{`1:10 '!' may only appear at the end of a lens`}},
		{`(ap $s.$.a y)`, []string{`1:7 stream $s cannot have a lens`}},
		{"(seq (null)\n\t(ap :error:x y))", []string{`2:13 invalid lens "x"`}},
		{"(ap \"é\" \"ü\" x)", []string{`1:9 string "ü" cannot be used as the ap result`}},
		{"(null)\xff", []string{`1:7 invalid UTF-8 encoding`}},
		{"(ap \"\xc3\" x)", []string{`1:6 invalid UTF-8 encoding`}},
	} {
		checkNegative(t, tt)
	}
}

// The static checks of §2.1 and scenario 31 of §14.
func TestValidationErrors(t *testing.T) {
	for _, tt := range []negCase{
		// Check 1: defined before use (textual).
		{`(call "p" ("s" "f") [x] y)`, []string{`1:22 variable "x" is not defined before this instruction`}},
		{`(call "p" ("s" "f") [x] x)`, []string{`1:22 variable "x" is not defined`}}, // a call cannot consume its own output
		{`(call x ("s" "f") [] y)`, []string{`1:7 variable "x" is not defined`}},
		{`(call "p" (x "f") [] y)`, []string{`1:12 variable "x"`}},
		{`(call "p" ("s" x) [] y)`, []string{`1:16 variable "x"`}},
		{`(call "p" ("s" "f") [#c] y)`, []string{`1:22 variable "#c"`}},
		{`(call "p" ("s" "f") [#%c] y)`, []string{`1:22 variable "#%c"`}},
		{`(new x (call "p" ("s" "f") [x.$.[k]] y))`, []string{`1:34 variable "k" (used in the lens of "x.$.[k]") is not defined`}},
		{`(new x (call x.$.[k] ("s" "f") [] y))`, []string{`1:19 variable "k" (used in the lens`}},
		{`(new #cc (call "p" ("s" "f") [#cc.$.[k]] y))`, []string{`1:38 variable "k"`}},
		{`(ap x y)`, []string{`1:5 variable "x"`}},
		{`(ap (x 1) %m)`, []string{`1:6 variable "x"`}},
		{`(new x (ap (x.$.[k] x.$.[j]) %m))`, []string{`1:18 variable "k"`}},
		{`(match x 1 (null))`, []string{`1:8 variable "x"`}},
		{`(mismatch 1 x (null))`, []string{`1:13 variable "x"`}},
		{`(fold x i (null))`, []string{`1:7 variable "x"`}},
		{`(fold #c i (null))`, []string{`1:7 variable "#c"`}},
		{`(fold #%c i (null))`, []string{`1:7 variable "#%c"`}},
		{`(new x (fold x.$.[i] i (null)))`, []string{`1:19 variable "i"`}},
		{`(fold $s i (null))`, []string{`1:7 variable "$s"`}}, // a fold stream needs a definition
		{`(fold %m i (null))`, []string{`1:7 variable "%m"`}},
		{`(seq (canon "p" $s #c) (fold $s i (null)))`, []string{`1:30 variable "$s"`}}, // a canon source is no definition
		{`(par (call "p" ("s" "f") [x] y) (call "p" ("s" "f") [] x))`, []string{`1:27 variable "x"`}},
		{"(seq\n  (call \"p\" (\"s\" \"f\") [a b] c)\n  (call c (d \"f\") [e] f))", []string{
			`2:24 variable "a"`, `2:26 variable "b"`, `3:12 variable "d"`, `3:20 variable "e"`}},
		// Check 2: next must be inside a fold over its iterator.
		{`(new x (next i))`, []string{`1:8 next i is not inside a fold over iterator "i"`}},
		{`(new x (fold x i (next j)))`, []string{`1:18 next j is not inside a fold`}},
		{`(new x (seq (fold x i (null)) (next i)))`, []string{`1:31 next i is not inside a fold`}},
		// Check 3: at most one next per fold.
		{`(new x (fold x i (seq (next i) (next i))))`, []string{`1:32 a fold can have only one next for its iterator "i"`}},
		{`(new $s (fold $s i (xor (next i) (next i))))`, []string{`1:34 only one next`}},
		// Check 4: new must not name an iterator of an enclosing fold.
		{`(new x (fold x i (new i (null))))`, []string{`1:23 new cannot be applied to "i" because it is the iterator of an enclosing fold`}},
		{`(new x (fold x i (null) (new i (null))))`, []string{`1:30 new cannot be applied to "i"`}},
		// Check 5: nested folds must not reuse an iterator.
		{`(new x (fold x i (fold x i (next i))))`, []string{`1:26 iterator "i" is already the iterator of an enclosing fold`}},
		// Check 6: fail 0.
		{`(fail 0 "x")`, []string{`1:7 fail with error code 0 is not allowed`}},
		{`(fail -0 "x")`, []string{`1:7 fail with error code 0`}},
		// Check 7: no instruction after next in folds over streams.
		{`(new $s (fold $s i (seq (next i) (null))))`, []string{`1:20 a fold over a stream or stream map cannot have instructions after next`}},
		{`(new $s (fold $s i (par (next i) (null))))`, []string{`1:20 cannot have instructions after next`}},
		{`(new %m (fold %m i (seq (next i) (null))))`, []string{`1:20 cannot have instructions after next`}},
		{`(new $s (fold $s i (seq (seq (null) (next i)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (seq (xor (next i) (null)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (seq (xor (null) (next i)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (par (seq (null) (next i)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (seq (new x (next i)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (seq (match 1 1 (next i)) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (xor (seq (next i) (null)) (null))))`, []string{`1:25 after next`}},
		{`(new $s (new $t (fold $s i (fold $t j (seq (next j) (next i))))))`, []string{`1:39 after next`}},
		{`(new $s (new $t (fold $s i (fold $t j (seq (next i) (next j))))))`, []string{`1:39 after next`}},
		{`(new $s (new $t (fold $s i (seq (next i) (fold $t j (next j))))))`, []string{`1:28 after next`}},
		{`(new $s (new $t (fold $s i (seq (fold $t j (seq (next j) (null))) (next i)))))`, []string{`1:44 after next`}},
		// §14 scenario 31.
		{`(new $s (fold $s i (seq (next i) (null))))`, []string{`1:20 after next`}},
		{`(new $s (fold $s i (par (next i) (null))))`, []string{`1:20 after next`}},
		{`(new x (fold x i (seq (next i) (next i))))`, []string{`1:32 only one next`}},
		{`(new x (fold x i (fold x i (next i))))`, []string{`1:26 already the iterator`}},
		{`(new x (fold x i (new i (next i))))`, []string{`1:23 new cannot be applied to "i"`}},
		{`(call %init_peer_id% ("s" "f") [1.0000000001])`, []string{`1:33 float literal 1.0000000001 is too long`}},
		{`(new $s (call %init_peer_id% ("s" "f") [$s]))`, []string{`1:41 stream "$s" cannot be used as a call argument`}},
		{`(new #%m (ap #%m x))`, []string{`1:14 canon map "#%m" cannot be used as an ap argument`}},
		{`(fold $s i (seq (null) (next i)))`, []string{`1:7 variable "$s" is not defined`}},
		{`(new #c (call %init_peer_id% ("s" "f") [#c.length]))`, []string{`1:41 a canon name must not be empty`}},
		// Check 2 looks at the first next of each iterator name only.
		{`(new x (seq (next i) (fold x i (next i))))`, []string{`1:13 next i is not inside a fold`}},
		{`(new x (seq (seq (fold x i (null)) (next i)) (fold x i (next i))))`, []string{`1:36 next i is not inside a fold`}},
		// Check 7 keys violations by iterator name: a violation in a scalar fold over j
		// is reported by a later stream fold over j.
		{`(new $t (seq (fold [] j (par (next j) (never))) (fold $t j (never))))`, []string{`1:25 cannot have instructions after next`}},
		// A stream fold keeps the pending nexts of outer folds found in its body ...
		{`(new $t (new %m (fold %m i (seq (fold $t j (seq (null) (next i))) (match 1 1 (null))))))`, []string{`1:28 after next`}},
		{`(new $t (fold $t j (par (fold $t l (next j) (null)) (null))))`, []string{`1:20 after next`}},
		// ... and a seq whose left branch ends in a next drops the right branch's next,
		// so that the xor below is not "confused" and the later violation is reported.
		{`(new $s (new x (seq (fold x a (fold x b (fold x c (xor (seq (next a) (next b)) (next c))))) (fold $s z (seq (next z) (null))))))`,
			[]string{`1:104 after next`}},
		// All validation errors are reported at once, in source order.
		{`(seq (fail 0 "a") (seq (new x (next i)) (fail 0 "b")))`, []string{
			`1:12 error code 0`, `1:31 next i is not inside a fold`, `1:47 error code 0`}},
		// Validation errors found before a syntax error are reported with it.
		{`(seq (call "p" ("s" "f") [x]) (null) (null))`, []string{`1:27 variable "x"`, `1:38 unexpected "("`}},
	} {
		checkNegative(t, tt)
	}
}

// Things AquaVM 0.62.0 accepts although they look like violations (checked with the
// real interpreter, see oracle_test.go).
func TestValidationAccepts(t *testing.T) {
	for _, src := range []string{
		`(new x (fold x i (seq (next i) (null))))`,                          // scalar folds are exempt from check 7
		`(new $s (fold $s i (xor (next i) (null))))`,                        // next in one xor branch
		`(new $s (fold $s i (xor (null) (next i))))`,                        //
		`(new $s (fold $s i (par (null) (next i))))`,                        //
		`(new $s (fold $s i (seq (null) (new x (next i)))))`,                // tail position through new
		`(new $s (fold $s i (null) (next i)))`,                              // next in the last instruction
		`(new $s (new $t (fold $s i (seq (fold $t j (next j)) (next i)))))`, // an inner fold's next is resolved inside it
		`(new x (seq (fold x i (null)) (call "p" ("s" "f") [i])))`,          // use after the fold that defined it
		`(par (call "p" ("s" "f") [] x) (call "p" ("s" "f") [x] y))`,        // cross-branch use
		`(new x (seq (fold x i (null)) (fold x i (null))))`,                 // sequential folds reuse an iterator
		`(new x (seq (fold x i (null)) (new i (null))))`,                    // new after the fold
		`(new x (fold x i (new $i (null))))`,                                // $i is not i
		`(new x (fold x i (fold i j (null))))`,                              // fold over the iterator
		`(canon x $s #c)`,                                                   // the canon peer is not checked
		`(ap ("k" v) %m)`,                                                   // the value of a map pair is not checked
		`(fail x)`,                                                          // the fail operand is not checked
		`(ap :error:.$.[k] y)`,                                              // nor the lenses of :error:/%last_error%
		`(call "p" ("s" "f") [%last_error%.$.[k]] y)`,
		`(seq (canon "p" $s #c) (call "p" ("s" "f") [#c] y))`,
		`(seq (canon "p" %m x) (call "p" ("s" "f") [x] y))`,
		`(fail 9223372036854775807 "x")`,
		// Check 2 only looks at the first next of each iterator name.
		`(new x (seq (fold x i (next i)) (next i)))`,
		`(new x (seq (fold x i (next i)) (fold x j (seq (next i) (next j)))))`,
		// Check 7 quirks: an xor with a pending next in both branches switches the
		// check off for the rest of the script ...
		`(new $s (new $t (fold $s i (seq (fold $t j (xor (next j) (next i))) (null)))))`,
		`(new $s (new x (seq (fold x j (fold x k (xor (next j) (next k)))) (fold $s i (seq (next i) (null))))))`,
		// ... a scalar fold drops every pending next inside it ...
		`(new $s (fold $s i (seq (fold [] j (next i)) (null))))`,
		// ... and so does the last instruction of a stream fold.
		`(new $t (fold $t j (par (fold $t l (null) (next j)) (null))))`,
	} {
		s := mustParse(t, src)
		checkRoundTrip(t, src, s)
	}
}

// The compiled example of §0 is malformed in the spec (a seq with three children);
// AquaVM reports the same position.
func TestSpecExampleVerbatim(t *testing.T) {
	b, err := os.ReadFile("testdata/scripts/spec_example_verbatim.air")
	if err != nil {
		t.Fatal(err)
	}
	checkNegative(t, negCase{string(b), []string{`22:4 unexpected "(" (expected ")" closing (seq at 3:3)`}})
}
