// Package air is the front end of the AIR language (Aqua Intermediate Representation)
// as accepted by AquaVM 0.62.0: a hand-written lexer, a recursive-descent parser, the
// static validation AquaVM performs before running a script, a canonical formatter and
// the one-line instruction display used in AquaVM error objects. The specification is
// docs/air-spec.md of the shared documentation (§1, §2, §2.1, §6.3); the behaviour
// was also checked against the real avm.wasm (see oracle_test.go).
//
// # Parsing
//
// Parse turns source text into a *Script whose Root is the single top-level
// instruction (the AST types are in ast.go). Every Value.Pos and Span is a byte offset
// into Script.Source; an instruction's Span runs from its "(" to just past its ")".
// Variable names keep their sigil ("x", "$s", "%m", "#c", "#$c", "#%m"). Call.Args is
// nil when there are no arguments. For (fail %last_error%) and (fail :error:),
// Fail.Value holds the special value too (with its position).
//
// The lexer follows §1 exactly, including AquaVM's quirks: string literals have no
// escapes and may span lines; ";" starts a comment only at a token start; a word ends
// at whitespace or at a ")" or "]" that would unbalance the brackets counted inside
// the word; keywords (and true/false) cannot name variables; "+3" is the integer 3;
// "1abc" and "-relay-" are scalar names; a number written with non-ASCII digits
// ("٣") is rejected; floats have at most 11 characters; a
// one-character canon name cannot take a lens ("#c.length" is rejected, "#cc.length"
// is fine); a '%' as second character makes any word a canon stream map ("a%b"); a
// flattening "!" is accepted only as the last character of a lens; lens field names
// cannot start with a digit.
//
// Hostile input is safe: instructions may be nested at most MaxDepth levels deep,
// parsing time grows (nearly) linearly with the input, and Parse never panics (it is
// fuzzed).
//
// # Static validation
//
// Parse also performs the checks of §2.1 and reports them together with the first
// syntax error, if any (at most 100 validation errors). Where AquaVM 0.62.0 differs
// from a plain reading of the specification, this package follows AquaVM:
//
//   - Defined before use (check 1) is positional: a variable must be defined by an
//     instruction that starts before the using one (call output, ap result, the map of
//     ap (k v) %m, canon result, new, fold iterator). It is checked for the call
//     peer, service, function and arguments, the ap argument, the key of ap (k v),
//     match/mismatch operands and fold iterables (streams and stream maps included),
//     together with the scalars named in their lenses — but not for the canon peer,
//     the value of ap (k v), the operand of fail, nor the lenses of :error: and
//     %last_error%. A canon source stream needs no definition.
//   - Check 2 (next inside a fold over its iterator) applies only to the first next
//     of each iterator name; later ones are accepted even outside any fold, so an
//     interpreter must cope with a next that has no enclosing fold.
//   - Check 3 counts, per fold, the nexts of its iterator within its span.
//   - Check 7 (no instruction after next in folds over streams and stream maps) is the
//     small post-order machine described in parser.go; like AquaVM's it is keyed by
//     iterator names and silently switches itself off after an xor whose two branches
//     both end in a pending next.
//
// # Errors
//
// Parse errors are *ParseError values holding Diagnostics ordered by position. Each
// diagnostic has a byte Span, a 1-based Line and Col (Col counts Unicode characters, a
// tab counting as one), a Message and what was Expected. ParseError.Error renders each
// diagnostic as
//
//	LINE:COL: message (expected X, Y or Z)
//	  the source line
//	  ^~~~
//
// where the caret line marks the offending token (tabs are kept so that it lines up;
// lines longer than 100 characters are shown as a window around the column).
// Script.Position and LineCol convert offsets to line and column for other tools.
//
// # Formatting
//
// Format prints any script in one canonical layout (used by "reef air fmt"):
//
//   - An instruction whose one-line form fits in the remaining width (FormatWidth = 80
//     columns including indentation, counted in characters, and containing no line
//     break) is printed on one line: (seq (null) (next i)).
//   - Leaf instructions (call, canon, ap, fail, next, null, never) are always on one
//     line, however long.
//   - Otherwise a seq, par, xor, new, fold or match prints its head on its own line —
//     "(seq", "(new $s", "(fold $s i", "(match x 1" — and each child on the following
//     lines, indented two spaces deeper; the closing ")" follows the last child.
//     Indentation stops growing after 100 levels.
//   - Tokens are separated by single spaces; the output ends with a newline.
//
// Values are printed canonically: strings verbatim between quotes, integers in
// decimal (+3 becomes 3), floats in their shortest form with at least one digit after
// the dot (1.0, 2.5; an 11-character integral float keeps a bare trailing dot:
// 1234567890.), lenses as ".$." plus accessors joined by "." ("x.$[0]" becomes
// "x.$.[0]") with a flattening "!" kept. Comments are not part of the AST and are
// not kept. Format is deterministic and idempotent, and Parse(Format(s.Root)) yields
// the same tree as s.Root up to positions.
//
// # Display
//
// Display renders an instruction the way AquaVM writes it into the "instruction" field
// of error objects (§6.3): "call PEER (SVC FN) [ARGS] OUT" with a trailing space when
// there is no output, "ap x.$.a y", "fold x i", "fail 1337 \"msg\"", and just the
// keyword for seq, par, xor, null and never. Value.String and Lens.String give the
// display form of one operand or lens (floats as Rust prints them, 1.0 as "1"; no
// flattening marks).
//
// Walk visits an instruction tree in source order.
package air
