package events

import (
	"sync"
	"testing"
	"time"
)

func TestBrokerDeliversAndNeverBlocks(t *testing.T) {
	b := NewBroker[Event]()
	fast := b.Subscribe(100)
	slow := b.Subscribe(2)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 50; i++ {
			b.Publish(PeerConnected{Base: Base{Time: time.Now()}, Peer: "p"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a slow subscriber")
	}
	if got := len(fast.C); got != 50 {
		t.Errorf("fast subscriber got %d events, want 50", got)
	}
	if got := len(slow.C); got != 2 {
		t.Errorf("slow subscriber buffered %d, want 2", got)
	}
	if got := slow.Dropped(); got != 48 {
		t.Errorf("slow subscriber dropped %d, want 48", got)
	}
	slow.Close()
	slow.Close()
	if b.Subscribers() != 1 {
		t.Errorf("subscribers = %d", b.Subscribers())
	}
	b.Close()
	if _, ok := <-fast.C; !ok {
		t.Fatal("buffered events lost on close")
	}
	late := b.Subscribe(1)
	if _, ok := <-late.C; ok {
		t.Fatal("subscription after close is open")
	}
}

func TestBrokerConcurrentUse(t *testing.T) {
	b := NewBroker[int]()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				b.Publish(j)
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				s := b.Subscribe(4)
				s.Close()
			}
		}()
	}
	wg.Wait()
	b.Close()
}

func BenchmarkPublish(b *testing.B) {
	br := NewBroker[Event]()
	for i := 0; i < 3; i++ {
		s := br.Subscribe(1024)
		go func() {
			for range s.C {
			}
		}()
	}
	ev := ParticleForwarded{Base: Base{Time: time.Now()}, To: "peer"}
	b.ReportAllocs()
	for b.Loop() {
		br.Publish(ev)
	}
}
