package air

// Walk traverses the instruction tree rooted at root in pre-order (source order),
// calling fn for every instruction. If fn returns false, the children of that
// instruction are skipped. Children are visited in source order: Left then Right for
// seq/par/xor, the body for new/match, the body then the last instruction for fold.
func Walk(root Instr, fn func(Instr) bool) {
	if root == nil || !fn(root) {
		return
	}
	switch i := root.(type) {
	case *Seq:
		Walk(i.Left, fn)
		Walk(i.Right, fn)
	case *Par:
		Walk(i.Left, fn)
		Walk(i.Right, fn)
	case *Xor:
		Walk(i.Left, fn)
		Walk(i.Right, fn)
	case *New:
		Walk(i.Body, fn)
	case *Fold:
		Walk(i.Body, fn)
		if i.Last != nil {
			Walk(i.Last, fn)
		}
	case *Match:
		Walk(i.Body, fn)
	}
}
