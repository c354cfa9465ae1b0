// Package aqua is Reef's AIR interpreter: it executes the AIR scripts the Aqua compiler
// emits with AquaVM 0.62's observable behaviour.
//
// One Run is shaped like one AquaVM invocation: it takes the script, the data this peer
// produced last time (trusted), the data that just arrived (verified), the run parameters
// and the results of earlier call requests, and returns the new data, the peers to send
// it to, the call requests for the host, and a return code. A node is a loop around it.
//
// Sub-packages: air (lexer, parser, validation, formatter), jsonv (JSON values with
// AquaVM's number and ordering rules), data (particle data: trace, CID stores,
// signatures, codec).
package aqua
