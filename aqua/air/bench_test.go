package air

import (
	"os"
	"testing"
)

func benchParse(b *testing.B, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	s := string(src)
	if _, err := Parse(s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the compiled example of §0 of the spec (corrected) and larger
// scripts produced by the Aqua compiler 0.14.6.
func BenchmarkParse(b *testing.B) {
	for _, c := range []struct{ name, file string }{
		{"spec_example", "testdata/scripts/spec_example.air"},
		{"par_for_fanout", "testdata/scripts/compiled_par_for_fanout.air"},
		{"co_stream_collect", "testdata/scripts/compiled_co_stream_collect.air"},
		{"if_string_compare", "testdata/scripts/compiled_if_string_compare.air"},
	} {
		b.Run(c.name, func(b *testing.B) { benchParse(b, c.file) })
	}
}
