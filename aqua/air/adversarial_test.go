package air

import (
	"strings"
	"testing"
	"time"
)

// Hostile inputs must be handled in (near) linear time.
func TestAdversarialInputs(t *testing.T) {
	big := 1 << 20
	inputs := map[string]string{
		"many lens variables": "(new x (ap x.$" + strings.Repeat("[a]", big/3) + " y))",
		"many undefined":      "(call \"p\" (\"s\" \"f\") [" + strings.Repeat("a ", big/2) + "])",
		"deep with long literal": strings.Repeat("(seq ", MaxDepth-1) + "(call \"p\" (\"s\" \"" + strings.Repeat("x", big) + "\") [])" +
			strings.Repeat(" (null))", MaxDepth-1),
		"deep right spine": strings.Repeat("(seq (null) ", MaxDepth-1) + "(null)" + strings.Repeat(")", MaxDepth-1),
		"long word":        "(ap " + strings.Repeat("a", big) + " x)",
		"long lens":        "(new x (ap x.$" + strings.Repeat(".a", big/2) + " y))",
		"unterminated":     "(ap \"" + strings.Repeat("(", big),
		"brackets in word": "(ap a" + strings.Repeat("(", big) + " x)",
		"many nexts":       "(new x (fold x i " + strings.Repeat("(seq (next i) ", big/16) + "(null)" + strings.Repeat(")", big/16) + "))",
		"many folds":       "(new x " + strings.Repeat("(fold x i ", MaxDepth-2) + "(next i)" + strings.Repeat(")", MaxDepth-1),
		"pending nexts":    "(new $s " + strings.Repeat("(fold $s i (seq (null) ", MaxDepth/3) + "(null)" + strings.Repeat(") (next z))", MaxDepth/3) + ")",
	}
	for name, src := range inputs {
		start := time.Now()
		s, err := Parse(src)
		if err != nil {
			_ = err.Error()
		} else {
			_ = Format(s.Root)
		}
		t.Logf("%s: %v", name, time.Since(start))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}
