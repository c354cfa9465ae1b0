package air

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// dump renders an AST compactly with explicit value kinds, for table tests:
//
//	(call %init_peer_id% (lit:"s" lit:"f") [scalar:x.$.a.[=i]!] -> scalar:y)
//
// Value kinds: lit, int, float, bool, [], scalar, stream, streammap, canon, canonmap
// and the special values by name. Lens accessors: field "a", index "[0]", by-variable
// "[=i]", flattening "!".
func dump(in Instr) string {
	var b strings.Builder
	dumpInstr(&b, in)
	return b.String()
}

func dumpInstr(b *strings.Builder, in Instr) {
	switch i := in.(type) {
	case nil:
		b.WriteString("<nil>")
	case *Call:
		b.WriteString("(call " + dumpValue(i.Peer) + " (" + dumpValue(i.Service) + " " + dumpValue(i.Function) + ") [")
		for k, a := range i.Args {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(dumpValue(a))
		}
		b.WriteString("]")
		if i.Output.Kind != None {
			b.WriteString(" -> " + dumpValue(i.Output))
		}
		b.WriteString(")")
	case *Canon:
		b.WriteString("(canon " + dumpValue(i.Peer) + " " + dumpValue(i.Source) + " -> " + dumpValue(i.Result) + ")")
	case *Ap:
		b.WriteString("(ap " + dumpValue(i.Arg) + " -> " + dumpValue(i.Result) + ")")
	case *ApMap:
		b.WriteString("(ap (" + dumpValue(i.Key) + " " + dumpValue(i.Arg) + ") -> " + dumpValue(i.Map) + ")")
	case *Seq:
		dumpPair(b, "seq", i.Left, i.Right)
	case *Par:
		dumpPair(b, "par", i.Left, i.Right)
	case *Xor:
		dumpPair(b, "xor", i.Left, i.Right)
	case *Null:
		b.WriteString("(null)")
	case *Never:
		b.WriteString("(never)")
	case *New:
		b.WriteString("(new " + dumpValue(i.Var) + " ")
		dumpInstr(b, i.Body)
		b.WriteString(")")
	case *Fail:
		switch i.Form {
		case FailLiteral:
			b.WriteString("(fail-literal " + strconv.FormatInt(i.Code, 10) + " " + strconv.Quote(i.Message) + ")")
		case FailValue:
			b.WriteString("(fail-value " + dumpValue(i.Value) + ")")
		case FailLastError:
			b.WriteString("(fail-last-error)")
		case FailError:
			b.WriteString("(fail-error)")
		}
	case *Fold:
		b.WriteString("(fold " + dumpValue(i.Iterable) + " " + i.Iterator + " ")
		dumpInstr(b, i.Body)
		if i.Last != nil {
			b.WriteString(" last:")
			dumpInstr(b, i.Last)
		}
		b.WriteString(")")
	case *Next:
		b.WriteString("(next " + i.Iterator + ")")
	case *Match:
		kw := "match"
		if i.Mismatch {
			kw = "mismatch"
		}
		b.WriteString("(" + kw + " " + dumpValue(i.Left) + " " + dumpValue(i.Right) + " ")
		dumpInstr(b, i.Body)
		b.WriteString(")")
	default:
		b.WriteString("<?>")
	}
}

func dumpPair(b *strings.Builder, kw string, l, r Instr) {
	b.WriteString("(" + kw + " ")
	dumpInstr(b, l)
	b.WriteByte(' ')
	dumpInstr(b, r)
	b.WriteString(")")
}

func dumpValue(v Value) string {
	var s string
	switch v.Kind {
	case None:
		return "none"
	case InitPeerID:
		s = "%init_peer_id%"
	case LastError:
		s = "%last_error%"
	case ErrorValue:
		s = ":error:"
	case Timestamp:
		s = "%timestamp%"
	case TTL:
		s = "%ttl%"
	case Literal:
		s = `lit:"` + v.Name + `"`
	case Int:
		s = "int:" + strconv.FormatInt(v.Int, 10)
	case Float:
		s = "float:" + strconv.FormatFloat(v.Float, 'g', -1, 64)
	case Bool:
		s = "bool:" + strconv.FormatBool(v.Bool)
	case EmptyArray:
		s = "[]"
	case Scalar:
		s = "scalar:" + v.Name
	case Stream:
		s = "stream:" + v.Name
	case StreamMap:
		s = "streammap:" + v.Name
	case CanonStream:
		s = "canon:" + v.Name
	case CanonMap:
		s = "canonmap:" + v.Name
	default:
		s = "kind" + strconv.Itoa(int(v.Kind))
	}
	if l := v.Lens; l != nil {
		if l.Length {
			s += ".length"
		} else {
			s += ".$"
			for _, a := range l.Path {
				switch a.Kind {
				case IndexAccessor:
					s += ".[" + strconv.FormatUint(uint64(a.Index), 10) + "]"
				case VarAccessor:
					s += ".[=" + a.Name + "]"
				case FieldAccessor:
					s += "." + a.Name
				}
				if a.Flatten {
					s += "!"
				}
			}
		}
	}
	return s
}

// stripPositions returns a deep copy of the tree with all positions and spans zeroed,
// for structural comparison.
func stripPositions(in Instr) Instr {
	sv := func(v Value) Value {
		v.Pos = 0
		if v.Lens != nil {
			l := *v.Lens
			l.Path = append([]Accessor(nil), l.Path...)
			v.Lens = &l
		}
		return v
	}
	switch i := in.(type) {
	case nil:
		return nil
	case *Call:
		c := *i
		c.Sp = Span{}
		c.Peer, c.Service, c.Function, c.Output = sv(c.Peer), sv(c.Service), sv(c.Function), sv(c.Output)
		c.Args = nil
		for _, a := range i.Args {
			c.Args = append(c.Args, sv(a))
		}
		return &c
	case *Canon:
		return &Canon{Peer: sv(i.Peer), Source: sv(i.Source), Result: sv(i.Result)}
	case *Ap:
		return &Ap{Arg: sv(i.Arg), Result: sv(i.Result)}
	case *ApMap:
		return &ApMap{Key: sv(i.Key), Arg: sv(i.Arg), Map: sv(i.Map)}
	case *Seq:
		return &Seq{Left: stripPositions(i.Left), Right: stripPositions(i.Right)}
	case *Par:
		return &Par{Left: stripPositions(i.Left), Right: stripPositions(i.Right)}
	case *Xor:
		return &Xor{Left: stripPositions(i.Left), Right: stripPositions(i.Right)}
	case *Null:
		return &Null{}
	case *Never:
		return &Never{}
	case *New:
		return &New{Var: sv(i.Var), Body: stripPositions(i.Body)}
	case *Fail:
		f := *i
		f.Sp = Span{}
		f.Value = sv(f.Value)
		return &f
	case *Fold:
		return &Fold{Iterable: sv(i.Iterable), Iterator: i.Iterator, Body: stripPositions(i.Body), Last: stripPositions(i.Last)}
	case *Next:
		return &Next{Iterator: i.Iterator}
	case *Match:
		return &Match{Left: sv(i.Left), Right: sv(i.Right), Body: stripPositions(i.Body), Mismatch: i.Mismatch}
	}
	panic("unknown instruction")
}

func sameAST(a, b Instr) bool { return reflect.DeepEqual(stripPositions(a), stripPositions(b)) }

func mustParse(t testing.TB, src string) *Script {
	t.Helper()
	s, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q):\n%v", src, err)
	}
	return s
}

// checkRoundTrip verifies that Format re-parses to the same AST and is idempotent.
func checkRoundTrip(t testing.TB, name string, s *Script) {
	t.Helper()
	f1 := Format(s.Root)
	s2, err := Parse(f1)
	if err != nil {
		t.Fatalf("%s: formatted script does not parse:\n%v\n--- formatted:\n%s", name, err, f1)
	}
	if !sameAST(s.Root, s2.Root) {
		t.Fatalf("%s: round trip changed the AST:\n%s\n%s", name, dump(s.Root), dump(s2.Root))
	}
	if f2 := Format(s2.Root); f2 != f1 {
		t.Fatalf("%s: Format is not idempotent:\n%s\n---\n%s", name, f1, f2)
	}
}

// testScripts returns the valid scripts under testdata/scripts (name -> source).
func testScripts(t testing.TB) map[string]string {
	t.Helper()
	files, err := filepath.Glob("testdata/scripts/*.air")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_verbatim.air") { // the spec's malformed example
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	if len(out) == 0 {
		t.Fatal("no test scripts")
	}
	return out
}
