package server

import (
	"sync"
	"time"
)

// Leases reserve the appeal on each caseworker's queue card for their
// session, so two caseworkers working one queue never see the same appeal.
// A lease ends when the card moves on (decided, skipped), when the session
// ends, or ttl after the last key press. They live in the server's memory:
// one server owns the file, and a restart ends every session anyway.
type Leases struct {
	mu   sync.Mutex
	ttl  time.Duration
	now  func() time.Time
	held map[string]lease // by case reference
}

type lease struct {
	session, user string
	until         time.Time
}

// DefaultLease is how long a card stays reserved without a key press.
const DefaultLease = 10 * time.Minute

// NewLeases makes an empty lease table; ttl 0 means DefaultLease.
func NewLeases(ttl time.Duration, now func() time.Time) *Leases {
	if ttl <= 0 {
		ttl = DefaultLease
	}
	if now == nil {
		now = time.Now
	}
	return &Leases{ttl: ttl, now: now, held: map[string]lease{}}
}

// Reserve holds ref for session (renewing its own hold); if another
// session holds it, it fails and names that session's user.
func (l *Leases) Reserve(session, user, ref string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if h, ok := l.held[ref]; ok && h.session != session && now.Before(h.until) {
		return h.user, false
	}
	l.held[ref] = lease{session, user, now.Add(l.ttl)}
	return user, true
}

// Unreserve lets ref go if session holds it.
func (l *Leases) Unreserve(session, ref string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h, ok := l.held[ref]; ok && h.session == session {
		delete(l.held, ref)
	}
}

// EndSession lets every hold of a session go.
func (l *Leases) EndSession(session string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ref, h := range l.held {
		if h.session == session {
			delete(l.held, ref)
		}
	}
}

// HeldByOthers reports whether another session holds ref now.
func (l *Leases) HeldByOthers(session, ref string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[ref]
	return ok && h.session != session && l.now().Before(h.until)
}

// Held is how many appeals are reserved now.
func (l *Leases) Held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	now := l.now()
	for ref, h := range l.held {
		if now.Before(h.until) {
			n++
		} else {
			delete(l.held, ref)
		}
	}
	return n
}
