package logbuf

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// FileWriter writes log lines to a file from a background goroutine. Write copies the
// line into a bounded queue and returns at once; when the queue is full the line is
// dropped and counted, and a note with the count is written once the queue drains.
//
// The file is rotated when the writer opens it (an existing file becomes PATH.1,
// replacing the previous PATH.1) and whenever it grows past the size limit, so the log
// directory holds at most two files of about that size.
type FileWriter struct {
	path     string
	maxBytes int64

	queue   chan []byte
	dropped atomic.Uint64
	done    chan struct{}
	closed  atomic.Bool
	closeMu sync.RWMutex

	f    *os.File
	w    *bufio.Writer
	size int64
	err  atomic.Pointer[error]
}

// DefaultMaxBytes is the size at which a FileWriter rotates its file (64 MiB).
const DefaultMaxBytes = 64 << 20

// OpenFile rotates any existing file at path to path+".1", creates path (and its
// directory) and starts the writer. maxBytes <= 0 means DefaultMaxBytes; queue <= 0
// means 4096 lines.
func OpenFile(path string, maxBytes int64, queue int) (*FileWriter, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if queue <= 0 {
		queue = 4096
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	fw := &FileWriter{path: path, maxBytes: maxBytes, queue: make(chan []byte, queue), done: make(chan struct{})}
	if err := fw.rotate(); err != nil {
		return nil, err
	}
	go fw.loop()
	return fw, nil
}

// Path returns the file's path.
func (fw *FileWriter) Path() string { return fw.path }

// Dropped returns how many lines were dropped because the queue was full.
func (fw *FileWriter) Dropped() uint64 { return fw.dropped.Load() }

// Err returns the first write error, if any (writing stops after it).
func (fw *FileWriter) Err() error {
	if p := fw.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Write queues a copy of p. It never blocks and always reports success (slog handlers
// must not fail because the disk is slow).
func (fw *FileWriter) Write(p []byte) (int, error) {
	fw.closeMu.RLock()
	defer fw.closeMu.RUnlock()
	if fw.closed.Load() {
		return len(p), nil
	}
	line := make([]byte, len(p))
	copy(line, p)
	select {
	case fw.queue <- line:
	default:
		fw.dropped.Add(1)
	}
	return len(p), nil
}

// Close writes what is queued, closes the file and stops the writer.
func (fw *FileWriter) Close() error {
	fw.closeMu.Lock()
	if fw.closed.Swap(true) {
		fw.closeMu.Unlock()
		return nil
	}
	close(fw.queue)
	fw.closeMu.Unlock()
	<-fw.done
	return fw.Err()
}

func (fw *FileWriter) loop() {
	defer close(fw.done)
	flush := time.NewTicker(250 * time.Millisecond)
	defer flush.Stop()
	var reported uint64
	for {
		select {
		case line, ok := <-fw.queue:
			if !ok {
				fw.noteDrops(&reported)
				fw.finish()
				return
			}
			fw.write(line)
			if len(fw.queue) == 0 {
				fw.noteDrops(&reported)
			}
		case <-flush.C:
			if fw.w != nil && fw.Err() == nil {
				if err := fw.w.Flush(); err != nil {
					fw.fail(err)
				}
			}
		}
	}
}

func (fw *FileWriter) noteDrops(reported *uint64) {
	if d := fw.dropped.Load(); d > *reported {
		fw.write(fmt.Appendf(nil, "time=%s level=WARN msg=\"log lines dropped: the log file could not keep up\" dropped=%d\n",
			time.Now().Format(time.RFC3339Nano), d-*reported))
		*reported = d
	}
}

func (fw *FileWriter) write(line []byte) {
	if fw.Err() != nil {
		return
	}
	if fw.size+int64(len(line)) > fw.maxBytes && fw.size > 0 {
		if err := fw.rotate(); err != nil {
			fw.fail(err)
			return
		}
	}
	n, err := fw.w.Write(line)
	fw.size += int64(n)
	if err != nil {
		fw.fail(err)
	}
}

func (fw *FileWriter) fail(err error) {
	e := fmt.Errorf("log file %s: %w", fw.path, err)
	fw.err.CompareAndSwap(nil, &e)
}

// rotate closes the current file (if any), renames the file at path to path.1 and
// creates a new one.
func (fw *FileWriter) rotate() error {
	if fw.f != nil {
		_ = fw.w.Flush()
		_ = fw.f.Close()
		fw.f = nil
	}
	if _, err := os.Stat(fw.path); err == nil {
		if err := os.Rename(fw.path, fw.path+".1"); err != nil {
			return fmt.Errorf("log file: rotating: %w", err)
		}
	}
	f, err := os.OpenFile(fw.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	fw.f, fw.w, fw.size = f, bufio.NewWriterSize(f, 64<<10), 0
	return nil
}

func (fw *FileWriter) finish() {
	if fw.w != nil {
		if err := fw.w.Flush(); err != nil {
			fw.fail(err)
		}
	}
	if fw.f != nil {
		if err := fw.f.Close(); err != nil {
			fw.fail(err)
		}
		fw.f = nil
	}
}

// newWriterTo is a FileWriter writing to w instead of a file, never rotating (tests).
func newWriterTo(w io.Writer, queue int) *FileWriter {
	fw := &FileWriter{maxBytes: math.MaxInt64, queue: make(chan []byte, queue), done: make(chan struct{})}
	fw.w = bufio.NewWriterSize(w, 64<<10)
	go fw.loop()
	return fw
}
