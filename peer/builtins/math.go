package builtins

import (
	"fmt"
	"math"

	"github.com/reefhq/reef/aqua/jsonv"
)

// registerMath adds the "math", "cmp" and "array" services.
func registerMath(r *Registry) {
	i64Op := func(service, name string, f func(x, y int64) (jsonv.Value, error)) {
		r.Register(service, name, wrap(service, name, false, func(args []jsonv.Value) (jsonv.Value, error) {
			x, y, err := i64Args(args)
			if err != nil {
				return jsonv.Value{}, err
			}
			return f(x, y)
		}))
	}
	i64Op("math", "add", mathAdd)
	i64Op("math", "sub", mathSub)
	i64Op("math", "mul", mathMul)
	i64Op("math", "div", mathDiv)
	i64Op("math", "rem", mathRem)
	i64Op("math", "log", mathLog)
	r.Register("math", "pow", wrap("math", "pow", false, mathPow))
	r.Register("math", "fmul", wrap("math", "fmul", false, mathFmul))

	cmpOp := func(name string, f func(x, y int64) bool) {
		i64Op("cmp", name, func(x, y int64) (jsonv.Value, error) { return jsonv.BoolValue(f(x, y)), nil })
	}
	cmpOp("gt", func(x, y int64) bool { return x > y })
	cmpOp("gte", func(x, y int64) bool { return x >= y })
	cmpOp("lt", func(x, y int64) bool { return x < y })
	cmpOp("lte", func(x, y int64) bool { return x <= y })
	i64Op("cmp", "cmp", func(x, y int64) (jsonv.Value, error) {
		switch {
		case x < y:
			return jsonv.IntValue(-1), nil
		case x > y:
			return jsonv.IntValue(1), nil
		}
		return jsonv.IntValue(0), nil
	})

	arr := func(name string, f pureFunc) { r.Register("array", name, wrap("array", name, false, f)) }
	arr("sum", arraySum)
	arr("dedup", arrayDedup)
	arr("intersect", setOp(func(inX, inY bool) bool { return inX && inY }, false))
	arr("diff", setOp(func(inX, inY bool) bool { return inX && !inY }, false))
	arr("sdiff", setOp(func(inX, inY bool) bool { return inX != inY }, true))
	arr("slice", arraySlice)
	arr("length", opArrayLength)
}

// i64Args reads the two i64 arguments of a binary operation.
func i64Args(args []jsonv.Value) (x, y int64, err error) {
	if err := wantArgs(args, 2); err != nil {
		return 0, 0, err
	}
	if x, err = toI64(args[0], argPath(0)); err != nil {
		return 0, 0, err
	}
	if y, err = toI64(args[1], argPath(1)); err != nil {
		return 0, 0, err
	}
	return x, y, nil
}

func overflow(x int64, op string, y any) error {
	return fmt.Errorf("i64 overflow: %d %s %v", x, op, y)
}

func addI64(x, y int64) (int64, bool) {
	s := x + y
	return s, (x^s)&(y^s) >= 0
}

func subI64(x, y int64) (int64, bool) {
	d := x - y
	return d, (x^y)&(x^d) >= 0
}

func mulI64(x, y int64) (int64, bool) {
	if x == 0 || y == 0 {
		return 0, true
	}
	if (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
		return 0, false
	}
	p := x * y
	return p, p/y == x
}

func mathAdd(x, y int64) (jsonv.Value, error) {
	s, ok := addI64(x, y)
	if !ok {
		return jsonv.Value{}, overflow(x, "+", y)
	}
	return jsonv.IntValue(s), nil
}

func mathSub(x, y int64) (jsonv.Value, error) {
	d, ok := subI64(x, y)
	if !ok {
		return jsonv.Value{}, overflow(x, "-", y)
	}
	return jsonv.IntValue(d), nil
}

func mathMul(x, y int64) (jsonv.Value, error) {
	p, ok := mulI64(x, y)
	if !ok {
		return jsonv.Value{}, overflow(x, "*", y)
	}
	return jsonv.IntValue(p), nil
}

// mathDiv divides, truncating toward zero (Rust's and Go's /).
func mathDiv(x, y int64) (jsonv.Value, error) {
	switch {
	case y == 0:
		return jsonv.Value{}, errDivByZero
	case x == math.MinInt64 && y == -1:
		return jsonv.Value{}, overflow(x, "/", y)
	}
	return jsonv.IntValue(x / y), nil
}

// mathRem is the remainder of truncating division: its sign follows x (Rust's and Go's
// %). Like Rust's checked_rem, MinInt64 % -1 is an overflow error.
func mathRem(x, y int64) (jsonv.Value, error) {
	switch {
	case y == 0:
		return jsonv.Value{}, errDivByZero
	case x == math.MinInt64 && y == -1:
		return jsonv.Value{}, overflow(x, "%", y)
	}
	return jsonv.IntValue(x % y), nil
}

// mathLog is the integer logarithm of y to base x: the largest n with x^n <= y.
func mathLog(base, x int64) (jsonv.Value, error) {
	if base < 2 || x < 1 {
		return jsonv.Value{}, fmt.Errorf("logarithm of %d to base %d is undefined (the base must be at least 2 and the number at least 1)", x, base)
	}
	n := uint64(0)
	for x >= base {
		x /= base
		n++
	}
	return jsonv.UintValue(n), nil
}

// mathPow raises an i64 to a u32 power (x**0 == 1), failing on overflow.
func mathPow(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 2); err != nil {
		return jsonv.Value{}, err
	}
	x, err := toI64(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	e, err := toU32(args[1], argPath(1))
	if err != nil {
		return jsonv.Value{}, err
	}
	powErr := func() error {
		if x < 0 {
			return fmt.Errorf("i64 overflow: (%d) ** %d", x, e)
		}
		return overflow(x, "**", e)
	}
	acc, base, exp := int64(1), x, e
	for exp > 0 {
		var ok bool
		if exp&1 == 1 {
			if acc, ok = mulI64(acc, base); !ok {
				return jsonv.Value{}, powErr()
			}
			if exp == 1 {
				break
			}
		}
		exp >>= 1
		if base, ok = mulI64(base, base); !ok {
			return jsonv.Value{}, powErr()
		}
	}
	return jsonv.IntValue(acc), nil
}

// mathFmul is floor(x * y) for any two numbers, converted to i64 the way Rust's `as`
// does: saturating at the i64 bounds (x*y is never NaN for finite JSON numbers).
func mathFmul(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 2); err != nil {
		return jsonv.Value{}, err
	}
	x, err := toF64(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	y, err := toF64(args[1], argPath(1))
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.IntValue(saturateI64(math.Floor(x * y))), nil
}

// saturateI64 converts an integral float to int64 as Rust's `as` does.
func saturateI64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 1<<63:
		return math.MaxInt64
	case f < -(1 << 63):
		return math.MinInt64
	}
	return int64(f)
}

// arraySum adds an array of i64, failing on overflow.
func arraySum(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	xs, err := toI64s(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	var sum int64
	for j, x := range xs {
		s, ok := addI64(sum, x)
		if !ok {
			return jsonv.Value{}, fmt.Errorf("i64 overflow: adding element %d (%d) to %d", j, x, sum)
		}
		sum = s
	}
	return jsonv.IntValue(sum), nil
}

// arrayDedup removes repeated strings, keeping first occurrences in order.
func arrayDedup(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	xs, err := toStrings(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	seen := make(map[string]struct{}, len(xs))
	out := make([]jsonv.Value, 0, len(xs))
	for _, x := range xs {
		if _, dup := seen[x]; dup {
			continue
		}
		seen[x] = struct{}{}
		out = append(out, jsonv.StringValue(x))
	}
	return jsonv.ArrayValue(out...), nil
}

// setOp builds a set operation over two string arrays. The result is deduplicated and
// ordered: the kept elements of xs in first-occurrence order, then (when fromY) the kept
// elements of ys. keep says whether an element is kept given its membership in each set.
func setOp(keep func(inX, inY bool) bool, fromY bool) pureFunc {
	return func(args []jsonv.Value) (jsonv.Value, error) {
		if err := wantArgs(args, 2); err != nil {
			return jsonv.Value{}, err
		}
		xs, err := toStrings(args[0], argPath(0))
		if err != nil {
			return jsonv.Value{}, err
		}
		ys, err := toStrings(args[1], argPath(1))
		if err != nil {
			return jsonv.Value{}, err
		}
		setX := make(map[string]struct{}, len(xs))
		for _, x := range xs {
			setX[x] = struct{}{}
		}
		setY := make(map[string]struct{}, len(ys))
		for _, y := range ys {
			setY[y] = struct{}{}
		}
		emitted := make(map[string]struct{})
		out := []jsonv.Value{}
		emit := func(list []string) {
			for _, s := range list {
				if _, done := emitted[s]; done {
					continue
				}
				_, inX := setX[s]
				_, inY := setY[s]
				if keep(inX, inY) {
					emitted[s] = struct{}{}
					out = append(out, jsonv.StringValue(s))
				}
			}
		}
		emit(xs)
		if fromY {
			emit(ys)
		}
		return jsonv.ArrayValue(out...), nil
	}
}

// arraySlice returns elements [start, end) of an array.
func arraySlice(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 3); err != nil {
		return jsonv.Value{}, err
	}
	elems, err := toArray(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	start, err := toU64(args[1], argPath(1))
	if err != nil {
		return jsonv.Value{}, err
	}
	end, err := toU64(args[2], argPath(2))
	if err != nil {
		return jsonv.Value{}, err
	}
	if len(elems) == 0 {
		return jsonv.ArrayValue(), nil // nox returns [] for an empty array whatever the bounds
	}
	if start > end || end > uint64(len(elems)) {
		return jsonv.Value{}, fmt.Errorf("slice bounds out of range: start %d, end %d, array length %d", start, end, len(elems))
	}
	return jsonv.ArrayValue(elems[start:end]...), nil
}
