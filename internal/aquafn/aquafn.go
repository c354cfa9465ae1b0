// Package aquafn serves the client side of a compiled Aqua function call, the way the
// Fluence JS client does: the Aqua compiler wraps a function so that it reads its
// arguments from getDataSrv (and the relay from getDataSrv."-relay-"), returns through
// callbackSrv.response and reports errors to errorHandlingSrv.error.
package aquafn

import (
	"strings"
	"sync"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Client answers the client-side services of one function call. It is safe for concurrent
// use.
type Client struct {
	args  map[string]jsonv.Value
	relay string

	mu        sync.Mutex
	delivered bool
	result    jsonv.Value
	errObj    *jsonv.Value
	done      chan struct{}
}

// New returns a client serving args (by Aqua argument name) and relay.
func New(args map[string]jsonv.Value, relay string) *Client {
	return &Client{args: args, relay: relay, done: make(chan struct{})}
}

// Done is closed once the script delivered its result or error.
func (c *Client) Done() <-chan struct{} { return c.done }

// Handle answers getDataSrv, callbackSrv.response and errorHandlingSrv.error, and reports
// false for any other call (or an argument it does not know), which the host should
// serve itself.
func (c *Client) Handle(req aqua.CallRequest) (aqua.CallResult, bool) {
	switch {
	case req.Service == "getDataSrv" && req.Function == "-relay-":
		return aqua.Ok(jsonv.StringValue(c.relay)), true
	case req.Service == "getDataSrv":
		v, ok := c.args[req.Function]
		if !ok {
			return aqua.CallResult{}, false
		}
		return aqua.Ok(v), true
	case req.Service == "callbackSrv" && req.Function == "response":
		var r jsonv.Value
		switch len(req.Args) {
		case 0:
		case 1:
			r = req.Args[0]
		default:
			r = jsonv.ArrayValue(req.Args...)
		}
		c.deliver(r, nil)
		return aqua.Ok(jsonv.ObjectValue()), true
	case req.Service == "errorHandlingSrv" && req.Function == "error":
		obj := jsonv.StringValue("no error object was passed to errorHandlingSrv.error")
		if len(req.Args) > 0 {
			obj = req.Args[0]
		}
		c.deliver(jsonv.Value{}, &obj)
		return aqua.Ok(jsonv.ObjectValue()), true
	}
	return aqua.CallResult{}, false
}

// Finish ends a call that delivers nothing (a function without a result) with null. It
// has no effect once something was delivered.
func (c *Client) Finish() { c.deliver(jsonv.Value{}, nil) }

func (c *Client) deliver(r jsonv.Value, errObj *jsonv.Value) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.delivered {
		return
	}
	c.delivered, c.result, c.errObj = true, r, errObj
	close(c.done)
}

// Outcome returns the delivered result, or the error object the script reported.
func (c *Client) Outcome() (result jsonv.Value, errObj *jsonv.Value, delivered bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.result, c.errObj, c.delivered
}

// ErrorMessage returns the "message" of an error object (or the object's text when it
// has none).
func ErrorMessage(errObj jsonv.Value) string {
	if m, ok := errObj.Field("message"); ok {
		if s, ok := m.Str(); ok {
			return s
		}
	}
	if s, ok := errObj.Str(); ok {
		return s
	}
	return errObj.String()
}

// Void reports whether a compiled script returns nothing (it never calls callbackSrv).
func Void(script string) bool { return !strings.Contains(script, `"callbackSrv"`) }
