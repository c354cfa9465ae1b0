// Package events is the node's typed event stream: what happens to particles, peers and
// the routing table, delivered through a broker that never blocks the publisher. A slow
// subscriber (the console) loses events, counted per subscription, instead of stalling
// the node.
package events

import (
	"sync"
	"sync/atomic"
)

// Broker fans events out to subscribers. Publish never blocks. The zero value is not
// usable; create one with NewBroker.
type Broker[T any] struct {
	mu     sync.RWMutex
	subs   map[*Subscription[T]]struct{}
	closed bool
}

// Subscription receives events on C until it is closed. Dropped counts the events it
// missed because its buffer was full.
type Subscription[T any] struct {
	C       <-chan T
	c       chan T
	b       *Broker[T]
	dropped atomic.Uint64
	once    sync.Once
}

// Dropped returns how many events this subscription missed.
func (s *Subscription[T]) Dropped() uint64 { return s.dropped.Load() }

// Close unsubscribes and closes C. It is safe to call more than once.
func (s *Subscription[T]) Close() {
	s.once.Do(func() {
		s.b.mu.Lock()
		if _, ok := s.b.subs[s]; ok {
			delete(s.b.subs, s)
			close(s.c)
		}
		s.b.mu.Unlock()
	})
}

// NewBroker returns a broker without subscribers.
func NewBroker[T any]() *Broker[T] {
	return &Broker[T]{subs: map[*Subscription[T]]struct{}{}}
}

// Subscribe returns a subscription with a buffer of size buf (at least 1).
func (b *Broker[T]) Subscribe(buf int) *Subscription[T] {
	if buf < 1 {
		buf = 1
	}
	c := make(chan T, buf)
	s := &Subscription[T]{C: c, c: c, b: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(c)
		return s
	}
	b.subs[s] = struct{}{}
	return s
}

// Publish delivers ev to every subscriber with room in its buffer and counts a drop for
// the others. It never blocks.
func (b *Broker[T]) Publish(ev T) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		select {
		case s.c <- ev:
		default:
			s.dropped.Add(1)
		}
	}
}

// Subscribers returns the number of live subscriptions.
func (b *Broker[T]) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

// Close closes every subscription; later Subscribe calls get a closed channel and
// Publish does nothing.
func (b *Broker[T]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for s := range b.subs {
		close(s.c)
		delete(b.subs, s)
	}
}
