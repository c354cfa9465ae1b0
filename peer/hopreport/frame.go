package hopreport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ProtocolID is the libp2p protocol of hop report streams: one frame per stream, the
// receiver writes nothing back.
const ProtocolID = "/reef/trace/1.0.0"

// Frame returns body with its uvarint length prefix: the bytes a sender writes on a
// ProtocolID stream (with a single Write).
func Frame(body []byte) []byte {
	b := make([]byte, 0, uvarintLen(uint64(len(body)))+len(body))
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...)
}

// ReadFrame reads exactly one frame from r (never past it) and decodes its body. A
// declared length over MaxSize is refused as soon as the length prefix is read, before
// anything is allocated. It returns the report and its body (the exact bytes, for a
// relay to forward as they are).
//
// Every error is a *RejectError: ReasonMalformed with Err io.EOF when r ends before the
// first byte, with io.ErrUnexpectedEOF when it ends inside the frame, or for a bad
// length prefix or body; ReasonOversize, ReasonUnsupportedVersion; ReasonTransport with
// Err the reader's error for any other read failure.
func ReadFrame(r io.Reader) (*Report, []byte, error) {
	n, err := readLength(r)
	if err != nil {
		return nil, nil, err
	}
	if n > MaxSize {
		return nil, nil, reject(ReasonOversize, "declared frame length %d bytes exceeds the %d-byte limit", n, MaxSize)
	}
	if n == 0 {
		return nil, nil, reject(ReasonMalformed, "empty frame (declared length 0)")
	}
	body := make([]byte, n)
	if got, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, &RejectError{Reason: ReasonMalformed, Detail: fmt.Sprintf("truncated frame: got %d of %d body bytes", got, n), Err: io.ErrUnexpectedEOF}
		}
		return nil, nil, &RejectError{Reason: ReasonTransport, Detail: fmt.Sprintf("reading the frame body (got %d of %d bytes)", got, n), Err: err}
	}
	rep, err := Unmarshal(body)
	if err != nil {
		return nil, nil, err
	}
	return rep, body, nil
}

// readLength reads the frame's uvarint length byte by byte (so as not to read past the
// frame), requiring the minimal encoding.
func readLength(r io.Reader) (uint64, error) {
	br, ok := r.(io.ByteReader)
	if !ok {
		br = &byteReader{r: r}
	}
	var x uint64
	for i := 0; ; i++ {
		c, err := br.ReadByte()
		if err != nil {
			switch {
			case errors.Is(err, io.EOF) && i == 0:
				return 0, &RejectError{Reason: ReasonMalformed, Detail: "stream ended before a frame", Err: io.EOF}
			case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
				return 0, &RejectError{Reason: ReasonMalformed, Detail: fmt.Sprintf("truncated frame: stream ended in the length prefix after %d bytes", i), Err: io.ErrUnexpectedEOF}
			default:
				return 0, &RejectError{Reason: ReasonTransport, Detail: fmt.Sprintf("reading the frame length (after %d bytes)", i), Err: err}
			}
		}
		if i == binary.MaxVarintLen64-1 && c > 1 {
			return 0, reject(ReasonMalformed, "frame length prefix overflows 64 bits")
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, reject(ReasonMalformed, "frame length prefix is not minimally encoded")
			}
			return x, nil
		}
	}
}

// byteReader reads single bytes from a reader that has no ReadByte.
type byteReader struct {
	r   io.Reader
	one [1]byte
}

func (b *byteReader) ReadByte() (byte, error) {
	_, err := io.ReadFull(b.r, b.one[:])
	return b.one[0], err
}
