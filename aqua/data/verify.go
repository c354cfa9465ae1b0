package data

import (
	"errors"
	"fmt"
)

// ErrIntegrity is wrapped by every error Verify returns.
var ErrIntegrity = errors.New("particle data integrity check failed")

// Verify checks that every store entry hashes to its CID and that every CID referenced
// from the trace or from another entry exists. It is run on data received from other
// peers before it is merged. Values are parsed (and rejected if not JSON) when used.
func (d *Data) Verify() error { return d.VerifyAgainst(nil) }

// VerifyAgainst is Verify where entries that trusted data already holds with identical
// content are not hashed again.
func (d *Data) VerifyAgainst(trusted *Data) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrIntegrity, fmt.Sprintf(format, args...))
	}
	for c, v := range d.Values {
		if trusted != nil {
			if tv, ok := trusted.Values[c]; ok && string(tv) == string(v) {
				continue
			}
		}
		if ValueCID(v) != c {
			return fail("value %s does not match its CID", c)
		}
	}
	for c, t := range d.Tetraplets {
		if trusted != nil {
			if tt, ok := trusted.Tetraplets[c]; ok && tt == t {
				continue
			}
		}
		if TetrapletCID(t) != c {
			return fail("tetraplet %s does not match its CID", c)
		}
	}
	for c, r := range d.ServiceResults {
		if tr, ok := trusted.serviceResult(c); !ok || tr != r {
			if ServiceResultCID(r) != c {
				return fail("service result %s does not match its CID", c)
			}
		}
		if _, ok := d.Values[r.Value]; !ok {
			return fail("service result %s refers to missing value %s", c, r.Value)
		}
		if _, ok := d.Tetraplets[r.Tetraplet]; !ok {
			return fail("service result %s refers to missing tetraplet %s", c, r.Tetraplet)
		}
	}
	for c, e := range d.CanonElements {
		if te, ok := trusted.canonElement(c); !ok || te != e {
			if CanonElementCID(e) != c {
				return fail("canon element %s does not match its CID", c)
			}
		}
		if _, ok := d.Values[e.Value]; !ok {
			return fail("canon element %s refers to missing value %s", c, e.Value)
		}
		if _, ok := d.Tetraplets[e.Tetraplet]; !ok {
			return fail("canon element %s refers to missing tetraplet %s", c, e.Tetraplet)
		}
		switch e.Provenance.Kind {
		case ProvServiceResult:
			if _, ok := d.ServiceResults[e.Provenance.CID]; !ok {
				return fail("canon element %s refers to missing service result %s", c, e.Provenance.CID)
			}
		case ProvCanon:
			if _, ok := d.CanonResults[e.Provenance.CID]; !ok {
				return fail("canon element %s refers to missing canon result %s", c, e.Provenance.CID)
			}
		}
	}
	for c, r := range d.CanonResults {
		if CanonResultCID(r) != c {
			return fail("canon result %s does not match its CID", c)
		}
		if _, ok := d.Tetraplets[r.Tetraplet]; !ok {
			return fail("canon result %s refers to missing tetraplet %s", c, r.Tetraplet)
		}
		for _, e := range r.Values {
			if _, ok := d.CanonElements[e]; !ok {
				return fail("canon result %s refers to missing element %s", c, e)
			}
		}
	}
	for i := range d.Trace {
		s := &d.Trace[i]
		switch {
		case s.Kind == StateCall && (s.Call == CallScalar || s.Call == CallStream || s.Call == CallFailed):
			if _, ok := d.ServiceResults[s.CID]; !ok {
				return fail("trace state %d refers to missing service result %s", i, s.CID)
			}
		case s.Kind == StateCall && s.Call == CallUnused:
			if _, ok := d.Values[s.CID]; !ok {
				return fail("trace state %d refers to missing value %s", i, s.CID)
			}
		case s.Kind == StateCanon && s.Canon == CanonExecuted:
			if _, ok := d.CanonResults[s.CID]; !ok {
				return fail("trace state %d refers to missing canon result %s", i, s.CID)
			}
		}
	}
	return nil
}

func (d *Data) serviceResult(c CID) (ServiceResult, bool) {
	if d == nil {
		return ServiceResult{}, false
	}
	r, ok := d.ServiceResults[c]
	return r, ok
}

func (d *Data) canonElement(c CID) (CanonElement, bool) {
	if d == nil {
		return CanonElement{}, false
	}
	e, ok := d.CanonElements[c]
	return e, ok
}
