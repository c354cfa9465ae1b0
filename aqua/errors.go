package aqua

import (
	"fmt"

	"github.com/reefhq/reef/aqua/jsonv"
)

// Return codes. They follow AquaVM 0.62 (codes are enum positions, see
// docs/air-spec notes in docs/architecture.md): preparation errors below 10000,
// catchable errors 10000-10012, uncatchable errors 20000-20020, farewell errors 30000+.
// Reef adds its own limits in the uncatchable range (20030+).
const (
	CodeOK                     = 0
	CodeParse                  = 1
	CodeDataDecode             = 2
	CodeUnsupportedVersion     = 6
	CodeCIDVerification        = 8
	CodeSignature              = 9
	CodeSizeLimit              = 10
	CodeLocalServiceError      = 10000
	CodeMatchValuesNotEqual    = 10001
	CodeMismatchValuesEqual    = 10002
	CodeVariableNotFound       = 10003
	CodeFoldIteratesOverNonArr = 10005
	CodeUserError              = 10006
	CodeLambdaApplier          = 10007
	CodeInvalidErrorObject     = 10008
	CodeNotInitializedAfterNew = 10009
	CodeLengthFunctor          = 10010
	CodeNonStringTriplet       = 10011
	CodeStreamMapKey           = 10012
	CodeTraceError             = 20000
	CodeCompaction             = 20001
	CodeIterableShadowing      = 20004
	CodeMultipleIterableValues = 20005
	CodeCallResultMismatch     = 20006
	CodeShadowingNotAllowed    = 20007
	CodeScalarsStateCorrupted  = 20008
	CodeValueForCIDNotFound    = 20010
	CodeStreamSizeLimit        = 20013
	CodeParametersMismatch     = 20017
	CodeInstructionLimit       = 20030
	CodeFoldDepthLimit         = 20031
	CodeCancelled              = 20032
	CodeUnprocessedCallResult  = 30000
	CodeSigningFailed          = 30001
)

// Class tells how an error code behaves.
type Class uint8

// Error classes.
const (
	// Preparation errors stop a run before execution; the data is unchanged.
	Preparation Class = iota
	// Catchable errors can be handled by xor; at the root they still return new data.
	Catchable
	// Uncatchable errors abort the run; the data is unchanged.
	Uncatchable
	// Farewell errors are reported after a run that otherwise completed.
	Farewell
)

// ClassOf returns the class of a return code.
func ClassOf(code int64) Class {
	switch {
	case code >= 30000:
		return Farewell
	case code >= 20000:
		return Uncatchable
	case code >= 10000:
		return Catchable
	}
	return Preparation
}

// Error is a non-zero outcome of a run.
type Error struct {
	Code    int64
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("aqua: ret_code %d: %s", e.Code, e.Message) }

// Class returns the error's class.
func (e *Error) Class() Class { return ClassOf(e.Code) }

// execErr is an error raised while executing an instruction.
type execErr struct {
	code int64
	msg  string
	// instr is the display of the innermost instruction where the error arose.
	instr string
	// peerID goes into the error object's peer_id; withPeer says whether :error: shows
	// it (only call and canon errors do; %last_error% always has it).
	peerID   string
	withPeer bool
	// tetraplet is recorded with the error (for :error: / %last_error% as values).
	tetraplet *Tetraplet
	// thrown is the user object of a fail instruction (UserError), which becomes
	// %last_error% as is.
	thrown *jsonv.Value
	// joinable marks a VariableNotFound raised where AquaVM "joins" (waits) instead.
	joinable bool
	// recorded is set once the error registers have seen this error.
	recorded bool
}

func (e *execErr) Error() string { return e.msg }

func (e *execErr) catchable() bool { return ClassOf(e.code) == Catchable }

// object is the error object {error_code, instruction, message[, peer_id]}.
func (e *execErr) object(withPeer bool) jsonv.Value {
	members := []jsonv.Member{
		{Key: "error_code", Value: jsonv.IntValue(e.code)},
		{Key: "instruction", Value: jsonv.StringValue(e.instr)},
		{Key: "message", Value: jsonv.StringValue(e.msg)},
	}
	if withPeer {
		members = append(members, jsonv.Member{Key: "peer_id", Value: jsonv.StringValue(e.peerID)})
	}
	return jsonv.ObjectValue(members...)
}

func uncatchable(code int64, format string, args ...any) *execErr {
	return &execErr{code: code, msg: fmt.Sprintf(format, args...)}
}

func catchable(code int64, format string, args ...any) *execErr {
	return &execErr{code: code, msg: fmt.Sprintf(format, args...)}
}

func errVariableNotFound(name string) *execErr {
	return &execErr{code: CodeVariableNotFound, msg: fmt.Sprintf("variable with name '%s' wasn't defined during script execution", name), joinable: true}
}

func errNotInitialized(name string) *execErr {
	return catchable(CodeNotInitializedAfterNew, "variable with name '%s' was cleared by new and then wasn't set", name)
}

func errShadowing(name string) *execErr {
	return uncatchable(CodeShadowingNotAllowed, "trying to shadow variable '%s', but shadowing is allowed only inside fold blocks", name)
}

func errTrace(instr, format string, args ...any) *execErr {
	return uncatchable(CodeTraceError, "on instruction '%s' trace handler encountered an error: %s", instr, fmt.Sprintf(format, args...))
}

// noErrorObject is the initial value of both error registers.
var noErrorObject = jsonv.ObjectValue(
	jsonv.Member{Key: "error_code", Value: jsonv.IntValue(0)},
	jsonv.Member{Key: "message", Value: jsonv.StringValue("")},
)
