package particle

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// ProtocolID is the libp2p protocol of particle streams.
const ProtocolID = "/reef/particle/1.0.0"

// WriteFrame writes one frame, the uvarint body length then the body (Marshal), with a
// single Write call. The caller closes the stream afterwards (one particle per stream).
// An invalid particle is refused with Marshal's *RejectError before anything is
// written; a write failure is returned wrapped (it is not a RejectError).
func WriteFrame(w io.Writer, p *Particle) error {
	if err := validate(p); err != nil {
		return err
	}
	n := bodySize(p)
	buf := make([]byte, 0, uvarintLen(uint64(n))+n)
	buf = binary.AppendUvarint(buf, uint64(n))
	buf = appendBody(buf, p)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("particle: write frame: %w", err)
	}
	return nil
}

// readChunk is the first allocation for a body; the buffer then doubles as bytes arrive,
// so a sender that declares a large length but sends little costs little memory.
const readChunk = 64 << 10

// ReadFrame reads exactly one frame from r (it never reads past it) and decodes the
// body. maxSize (0 or less means DefaultMaxSize) bounds the body: a larger declared
// length is refused as soon as the length prefix is read, before any of the body is
// read or allocated. Memory for the body grows with the bytes actually received.
//
// Every error is a *RejectError:
//   - ReasonMalformed with Err io.EOF when r ends before the first byte (no frame; a
//     reader looping over frames stops on errors.Is(err, io.EOF) and does not count it),
//   - ReasonMalformed with Err io.ErrUnexpectedEOF when r ends inside the frame,
//   - ReasonMalformed for a length prefix that is not a minimal uvarint, a zero length,
//     or a body Unmarshal refuses; ReasonUnsupportedVersion likewise,
//   - ReasonOversize for a declared length over maxSize,
//   - ReasonTransport with Err the reader's error for any other read failure.
//
// The particle's Signature and Data share the frame's body buffer (no copy).
func ReadFrame(r io.Reader, maxSize int) (*Particle, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	n, err := readLength(r)
	if err != nil {
		return nil, err
	}
	if n > uint64(maxSize) {
		return nil, reject(ReasonOversize, "declared frame length %d bytes exceeds the %d-byte limit", n, maxSize)
	}
	if n == 0 {
		return nil, reject(ReasonMalformed, "empty frame (declared length 0)")
	}
	body, err := readBody(r, int(n))
	if err != nil {
		return nil, err
	}
	return unmarshal(body, maxSize, true)
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

// readBody reads n bytes, growing the buffer as they arrive.
func readBody(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, min(n, readChunk))
	got := 0
	for {
		k, err := io.ReadFull(r, buf[got:])
		got += k
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, &RejectError{Reason: ReasonMalformed, Detail: fmt.Sprintf("truncated frame: got %d of %d body bytes", got, n), Err: io.ErrUnexpectedEOF}
			}
			return nil, &RejectError{Reason: ReasonTransport, Detail: fmt.Sprintf("reading the frame body (got %d of %d bytes)", got, n), Err: err}
		}
		if got == n {
			return buf, nil
		}
		buf = slices.Grow(buf, min(2*len(buf), n)-len(buf))
		buf = buf[:cap(buf)]
		if len(buf) > n {
			buf = buf[:n]
		}
	}
}
