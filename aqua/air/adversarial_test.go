package air

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// adversarialInputs are hostile scripts of about n bytes (those bounded by MaxDepth do
// not grow with n).
func adversarialInputs(n int) map[string]string {
	return map[string]string{
		"many lens variables": "(new x (ap x.$" + strings.Repeat("[a]", n/3) + " y))",
		"many undefined":      "(call \"p\" (\"s\" \"f\") [" + strings.Repeat("a ", n/2) + "])",
		"deep with long literal": strings.Repeat("(seq ", MaxDepth-1) + "(call \"p\" (\"s\" \"" + strings.Repeat("x", n) + "\") [])" +
			strings.Repeat(" (null))", MaxDepth-1),
		"deep right spine": strings.Repeat("(seq (null) ", MaxDepth-1) + "(null)" + strings.Repeat(")", MaxDepth-1),
		"long word":        "(ap " + strings.Repeat("a", n) + " x)",
		"long lens":        "(new x (ap x.$" + strings.Repeat(".a", n/2) + " y))",
		"unterminated":     "(ap \"" + strings.Repeat("(", n),
		"brackets in word": "(ap a" + strings.Repeat("(", n) + " x)",
		"many nexts":       "(new x (fold x i " + strings.Repeat("(seq (next i) ", n/16) + "(null)" + strings.Repeat(")", n/16) + "))",
		"many folds":       "(new x " + strings.Repeat("(fold x i ", MaxDepth-2) + "(next i)" + strings.Repeat(")", MaxDepth-1),
		"pending nexts":    "(new $s " + strings.Repeat("(fold $s i (seq (null) ", MaxDepth/3) + "(null)" + strings.Repeat(") (next z))", MaxDepth/3) + ")",
	}
}

// parseAndFormat parses src and formats it (or renders its error), returning the bytes
// allocated: a count of work that, unlike time, does not depend on the machine's load.
func parseAndFormat(src string) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := Parse(src)
	if err != nil {
		_ = err.Error()
	} else {
		_ = Format(s.Root)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Hostile inputs must be handled in (near) linear time: quadrupling an input must not
// multiply the work (bytes allocated) by much more than four. A quadratic path would
// multiply it by sixteen.
func TestAdversarialInputs(t *testing.T) {
	const big = 1 << 20
	small, large := adversarialInputs(big/4), adversarialInputs(big)
	for name, src := range large {
		start := time.Now()
		a4 := parseAndFormat(src)
		t.Logf("%s: %v, %d bytes allocated", name, time.Since(start), a4)
		a1 := parseAndFormat(small[name])
		if a4 > 8*a1+1<<20 {
			t.Errorf("%s: 4× the input allocated %d bytes against %d: not linear", name, a4, a1)
		}
	}
}
