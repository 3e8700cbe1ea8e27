package server

import (
	"sync"
	"time"

	"github.com/caseload/caseload/tui"
)

// coalesce is the least time between two updates sent to one session: a
// busy team's changes arrive together instead of one refresh each. With
// the file polled every 250 ms, a change still reaches every screen well
// within a second.
const coalesce = 400 * time.Millisecond

// Hub hands each committed change to every session's program. A slow
// session never holds up the others or the writer: each has its own
// goroutine, and changes that arrive while it is busy are merged.
type Hub struct {
	mu   sync.Mutex
	subs map[int]*subscriber
	next int
}

type subscriber struct {
	send    func(tui.LiveMsg)
	pending []tui.Change
	dirty   bool
	wake    chan struct{}
	done    chan struct{}
}

// NewHub makes an empty hub.
func NewHub() *Hub { return &Hub{subs: map[int]*subscriber{}} }

// Subscribe starts delivering changes to send; cancel stops it.
func (h *Hub) Subscribe(send func(tui.LiveMsg)) (id int, cancel func()) {
	s := &subscriber{send: send, wake: make(chan struct{}, 1), done: make(chan struct{})}
	h.mu.Lock()
	h.next++
	id = h.next
	h.subs[id] = s
	h.mu.Unlock()
	go s.run(h)
	var once sync.Once
	return id, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, id)
			h.mu.Unlock()
			close(s.done)
		})
	}
}

// Sessions is how many programs are subscribed.
func (h *Hub) Sessions() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Publish tells every session but from (its own session, which knows)
// about a change; from 0 tells everyone.
func (h *Hub) Publish(from int, c *tui.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, s := range h.subs {
		if id == from {
			continue
		}
		if c != nil {
			s.pending = append(s.pending, *c)
		}
		s.dirty = true
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (s *subscriber) run(h *Hub) {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		h.mu.Lock()
		changes, dirty := s.pending, s.dirty
		s.pending, s.dirty = nil, false
		h.mu.Unlock()
		if !dirty {
			continue
		}
		// Send blocks until the program takes it, or ends.
		s.send(tui.LiveMsg{Changes: changes})
		select {
		case <-s.done:
			return
		case <-time.After(coalesce):
		}
	}
}
