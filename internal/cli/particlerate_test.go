package cli

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"
)

// --particle-rate and --particle-burst: the defaults, an explicit limit and "off" make a
// node option; out-of-range values are bad input (exit 2).
func TestParticleRateFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"--particle-rate", "500", "--particle-burst", "50"}, true},
		{[]string{"--particle-rate", "0"}, true},
		{[]string{"--particle-rate", "-1"}, false},
		{[]string{"--particle-rate", "NaN"}, false},
		{[]string{"--particle-burst", "-5"}, false},
	} {
		var o particleRateOptions
		cmd := &cobra.Command{Use: "x"}
		o.register(cmd)
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		opts, err := o.options()
		var ee *exitError
		switch {
		case tc.ok && (err != nil || len(opts) != 1):
			t.Errorf("%v: %v, %d options", tc.args, err, len(opts))
		case !tc.ok && (!errors.As(err, &ee) || ee.code != ExitBadInput):
			t.Errorf("%v: %v, want bad input", tc.args, err)
		}
	}
}
