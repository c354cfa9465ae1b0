package txsend

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// RevertError is a transaction or call the EVM reverted, explained: Name is the custom error
// ("TooManyProofs"), "Error" for require/revert strings, "Panic" for assertion failures, or ""
// when the revert data matched nothing known.
type RevertError struct {
	Label  string      // what was being sent ("submitProofs")
	Name   string      // error name
	Args   []NamedArg  // decoded arguments
	Reason string      // the revert string, or the panic explanation
	Data   []byte      // the raw revert data
	TxHash common.Hash // zero if the revert was found by estimation (nothing was sent)
	Block  uint64      // block of the reverted transaction, if it was mined
	cause  error       // the RPC error, if any
}

// NamedArg is one decoded argument of a custom error.
type NamedArg struct {
	Name  string
	Value any
}

// Error renders "submitProofs reverted: TooManyProofs(unitId=0x…, epoch=3, maxProofsPerEpoch=5)".
func (e *RevertError) Error() string {
	var b strings.Builder
	if e.Label != "" {
		b.WriteString(e.Label)
		b.WriteString(" ")
	}
	b.WriteString("reverted")
	if e.TxHash != (common.Hash{}) {
		fmt.Fprintf(&b, " in tx %s", e.TxHash.Hex())
	}
	b.WriteString(": ")
	switch {
	case e.Name == "Error":
		fmt.Fprintf(&b, "%q", e.Reason)
	case e.Name == "Panic":
		b.WriteString("panic: " + e.Reason)
	case e.Name != "":
		b.WriteString(e.Name)
		b.WriteString("(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			if a.Name != "" {
				b.WriteString(a.Name + "=")
			}
			b.WriteString(formatArg(a.Value))
		}
		b.WriteString(")")
	case len(e.Data) > 0:
		b.WriteString("unknown error 0x" + hex.EncodeToString(e.Data))
	case e.Reason != "":
		b.WriteString(e.Reason)
	default:
		b.WriteString("no reason given")
	}
	return b.String()
}

func (e *RevertError) Unwrap() error { return e.cause }

// Arg returns the named argument's value, or nil.
func (e *RevertError) Arg(name string) any {
	for _, a := range e.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return nil
}

func formatArg(v any) string {
	switch x := v.(type) {
	case [32]byte:
		return "0x" + hex.EncodeToString(x[:])
	case []byte:
		return "0x" + hex.EncodeToString(x)
	case common.Address:
		return x.Hex()
	case *big.Int:
		return x.String()
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

// IsRevert reports whether err is a revert, and, if names are given, one of those errors.
func IsRevert(err error, names ...string) bool {
	var re *RevertError
	if !errors.As(err, &re) {
		return false
	}
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if re.Name == n {
			return true
		}
	}
	return false
}

// Decoder explains revert data with the custom errors of a set of ABIs.
type Decoder struct {
	errs map[[4]byte]abi.Error
}

// NewDecoder returns a decoder knowing the errors of the given ABIs.
func NewDecoder(abis ...*abi.ABI) *Decoder {
	d := &Decoder{errs: map[[4]byte]abi.Error{}}
	for _, a := range abis {
		if a == nil {
			continue
		}
		for _, e := range a.Errors {
			var sel [4]byte
			copy(sel[:], e.ID[:4])
			d.errs[sel] = e
		}
	}
	return d
}

var (
	errorSelector = []byte{0x08, 0xc3, 0x79, 0xa0} // Error(string)
	panicSelector = []byte{0x4e, 0x48, 0x7b, 0x71} // Panic(uint256)
)

// Decode explains revert data.
func (d *Decoder) Decode(data []byte) *RevertError {
	re := &RevertError{Data: data}
	if len(data) < 4 {
		return re
	}
	switch {
	case bytes.Equal(data[:4], errorSelector):
		if s, err := abi.UnpackRevert(data); err == nil {
			re.Name, re.Reason = "Error", s
		}
		return re
	case bytes.Equal(data[:4], panicSelector):
		if s, err := abi.UnpackRevert(data); err == nil {
			re.Name, re.Reason = "Panic", s
		}
		return re
	}
	if d == nil {
		return re
	}
	var sel [4]byte
	copy(sel[:], data[:4])
	e, ok := d.errs[sel]
	if !ok {
		return re
	}
	vals, err := e.Inputs.Unpack(data[4:])
	if err != nil {
		return re
	}
	re.Name = e.Name
	for i, v := range vals {
		re.Args = append(re.Args, NamedArg{Name: e.Inputs[i].Name, Value: v})
	}
	return re
}

// FromRPC explains an RPC error: a revert (an error with revert data, or the plain
// "execution reverted" message) becomes a *RevertError wrapping it; anything else is returned
// unchanged.
func (d *Decoder) FromRPC(err error) error {
	if err == nil {
		return nil
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if data, derr := hexutil.Decode(s); derr == nil {
				re := d.Decode(data)
				re.cause = err
				if re.Name == "" && len(data) == 0 {
					re.Reason = de.Error()
				}
				return re
			}
		}
	}
	if strings.Contains(err.Error(), "execution reverted") {
		return &RevertError{Reason: err.Error(), cause: err}
	}
	return err
}
