package air

// Span is a half-open range [Start, End) of byte offsets into the script source.
// For an instruction it runs from its opening "(" to just past its closing ")".
type Span struct {
	Start, End int
}

// Contains reports whether offset lies strictly inside the span, i.e. in (Start, End).
// Stream scoping (a reference resolves to the innermost `new` whose span contains it)
// relies on this.
func (s Span) Contains(offset int) bool { return s.Start < offset && offset < s.End }

// Instr is one AIR instruction. The concrete types are the pointer types below
// (*Call, *Canon, *Ap, *ApMap, *Seq, *Par, *Xor, *Null, *Never, *New, *Fail, *Fold,
// *Next, *Match); a type switch over them is exhaustive.
type Instr interface {
	// Span is the instruction's source range; Span().Start uniquely identifies an
	// instruction inside one script.
	Span() Span
	isInstr()
}

// ValueKind tells which form a Value has.
type ValueKind uint8

// Value kinds. The zero kind None marks an absent optional value (a call without output).
const (
	None        ValueKind = iota
	InitPeerID            // %init_peer_id%
	LastError             // %last_error% (optionally with a lens)
	ErrorValue            // :error: (optionally with a lens)
	Timestamp             // %timestamp%
	TTL                   // %ttl%
	Literal               // "string literal" (no escapes; Name holds the raw text)
	Int                   // signed 64-bit integer literal
	Float                 // float literal (at most 11 characters in source)
	Bool                  // true / false
	EmptyArray            // []
	Scalar                // x, x.$.a, x.length
	Stream                // $s (never with a lens)
	StreamMap             // %m (never with a lens)
	CanonStream           // #c or #$c (canon stream, optionally with a lens)
	CanonMap              // #%m (canon stream map, optionally with a lens)
)

// Value is one operand: a literal, a special value or a variable reference.
type Value struct {
	Kind ValueKind
	// Pos is the byte offset of the token that holds the value.
	Pos int
	// Name is the variable name including its sigil ("x", "$s", "%m", "#c", "#$c",
	// "#%m") or, for Literal, the raw text between the quotes.
	Name  string
	Int   int64
	Float float64
	Bool  bool
	// Lens is the accessor path or functor applied to the value, or nil.
	Lens *Lens
}

// IsVariable reports whether the value refers to a variable.
func (v Value) IsVariable() bool {
	switch v.Kind {
	case Scalar, Stream, StreamMap, CanonStream, CanonMap:
		return true
	}
	return false
}

// Lens is a value path (".$.a.[0]") or the length functor (".length").
type Lens struct {
	// Length is true for the ".length" functor; Path is then empty.
	Length bool
	Path   []Accessor
}

// AccessorKind tells how an accessor selects from a value.
type AccessorKind uint8

// Accessor kinds.
const (
	IndexAccessor AccessorKind = iota // [3]
	FieldAccessor                     // .name
	VarAccessor                       // [name]: key or index taken from scalar `name`
)

// Accessor is one step of a lens path.
type Accessor struct {
	Kind  AccessorKind
	Index uint32 // IndexAccessor
	Name  string // FieldAccessor: the field; VarAccessor: the scalar (or iterator) name
	// Flatten records a trailing "!"; it has no semantic effect and is not displayed.
	Flatten bool
}

// Call is (call PEER (SERVICE FUNCTION) [ARGS...] OUTPUT?).
type Call struct {
	Sp                Span
	Peer              Value
	Service, Function Value
	Args              []Value
	// Output is a Scalar or Stream, or has Kind None when the call has no output.
	Output Value
}

// Canon is (canon PEER SOURCE RESULT): SOURCE is a Stream with a CanonStream result, or a
// StreamMap with a CanonMap or Scalar result.
type Canon struct {
	Sp     Span
	Peer   Value
	Source Value
	Result Value
}

// Ap is (ap ARG RESULT) with a Scalar or Stream result.
type Ap struct {
	Sp     Span
	Arg    Value
	Result Value
}

// ApMap is (ap (KEY ARG) %map): insert a key/value pair into a stream map.
type ApMap struct {
	Sp  Span
	Key Value
	Arg Value
	Map Value // a StreamMap
}

// Seq is (seq LEFT RIGHT).
type Seq struct {
	Sp          Span
	Left, Right Instr
}

// Par is (par LEFT RIGHT).
type Par struct {
	Sp          Span
	Left, Right Instr
}

// Xor is (xor LEFT RIGHT).
type Xor struct {
	Sp          Span
	Left, Right Instr
}

// Null is (null).
type Null struct{ Sp Span }

// Never is (never).
type Never struct{ Sp Span }

// New is (new VAR BODY); VAR is a Scalar, Stream, StreamMap, CanonStream or CanonMap.
type New struct {
	Sp   Span
	Var  Value
	Body Instr
}

// FailKind tells which form a fail instruction has.
type FailKind uint8

// Fail forms.
const (
	FailLiteral   FailKind = iota // (fail CODE "message")
	FailValue                     // (fail x), (fail x.$.e), (fail #c.$.[0])
	FailLastError                 // (fail %last_error%)
	FailError                     // (fail :error:)
)

// Fail is one of the fail forms.
type Fail struct {
	Sp   Span
	Form FailKind
	// Code and Message hold the literal form's operands.
	Code    int64
	Message string
	// Value holds the operand of the FailValue form.
	Value Value
}

// Fold is (fold ITERABLE ITERATOR BODY LAST?). ITERABLE is a Scalar (maybe with a lens),
// CanonStream, CanonMap (maybe with a lens), EmptyArray, Stream or StreamMap.
type Fold struct {
	Sp          Span
	Iterable    Value
	Iterator    string
	IteratorPos int
	Body        Instr
	// Last is the optional last instruction, run when `next` finds the iterable
	// exhausted; nil when absent.
	Last Instr
}

// Next is (next ITERATOR).
type Next struct {
	Sp       Span
	Iterator string
}

// Match is (match LEFT RIGHT BODY), or (mismatch LEFT RIGHT BODY) when Mismatch is set.
type Match struct {
	Sp          Span
	Left, Right Value
	Body        Instr
	Mismatch    bool
}

func (i *Call) Span() Span  { return i.Sp }
func (i *Canon) Span() Span { return i.Sp }
func (i *Ap) Span() Span    { return i.Sp }
func (i *ApMap) Span() Span { return i.Sp }
func (i *Seq) Span() Span   { return i.Sp }
func (i *Par) Span() Span   { return i.Sp }
func (i *Xor) Span() Span   { return i.Sp }
func (i *Null) Span() Span  { return i.Sp }
func (i *Never) Span() Span { return i.Sp }
func (i *New) Span() Span   { return i.Sp }
func (i *Fail) Span() Span  { return i.Sp }
func (i *Fold) Span() Span  { return i.Sp }
func (i *Next) Span() Span  { return i.Sp }
func (i *Match) Span() Span { return i.Sp }
func (*Call) isInstr()      {}
func (*Canon) isInstr()     {}
func (*Ap) isInstr()        {}
func (*ApMap) isInstr()     {}
func (*Seq) isInstr()       {}
func (*Par) isInstr()       {}
func (*Xor) isInstr()       {}
func (*Null) isInstr()      {}
func (*Never) isInstr()     {}
func (*New) isInstr()       {}
func (*Fail) isInstr()      {}
func (*Fold) isInstr()      {}
func (*Next) isInstr()      {}
func (*Match) isInstr()     {}
