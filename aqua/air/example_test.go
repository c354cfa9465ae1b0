package air_test

import (
	"fmt"

	"github.com/reefhq/reef/aqua/air"
)

func Example() {
	s, err := air.Parse(`(xor (call %init_peer_id% ("s" "f") [] x) ; comments are dropped
		(call %init_peer_id% ("errorHandlingSrv" "error") [:error: 1.0]))`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(air.Format(s.Root))
	air.Walk(s.Root, func(i air.Instr) bool {
		line, col := s.Position(i.Span().Start)
		fmt.Printf("%d:%d %q\n", line, col, air.Display(i))
		return true
	})
	// Output:
	// (xor
	//   (call %init_peer_id% ("s" "f") [] x)
	//   (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 1.0]))
	// 1:1 "xor"
	// 1:6 "call %init_peer_id% (\"s\" \"f\") [] x"
	// 2:3 "call %init_peer_id% (\"errorHandlingSrv\" \"error\") [:error: 1] "
}

func ExampleParse_error() {
	_, err := air.Parse("(seq\n  (call \"p\" (\"s\") [] x)\n  (null))")
	fmt.Println(err)
	// Output:
	// 2:17: unexpected ")" (expected a string, a scalar or a canon stream or canon map with a lens)
	//     (call "p" ("s") [] x)
	//                   ^
}
