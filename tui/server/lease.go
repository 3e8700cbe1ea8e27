package server

import (
	"context"
	"time"

	"github.com/caseload/caseload/store"
)

// Leases reserve the appeal on each caseworker's queue card (and the one
// ready after it) for their session, so two caseworkers working one queue
// never see the same appeal, on this server or on another serving the
// same database. The reservations are kept in the database: a lease ends
// when the card moves on (decided, skipped), when the session ends, or
// ttl after it was last renewed, so a crashed server's leases lapse by
// themselves.
type Leases struct {
	st     *store.Store
	server string
	ttl    time.Duration
	now    func() time.Time
}

// DefaultLease is how long a card stays reserved without a key press.
const DefaultLease = 10 * time.Minute

// NewLeases reserves in st as server (its name in the reservations
// table); ttl 0 means DefaultLease.
func NewLeases(st *store.Store, server string, ttl time.Duration, now func() time.Time) *Leases {
	if ttl <= 0 {
		ttl = DefaultLease
	}
	if now == nil {
		now = time.Now
	}
	return &Leases{st: st, server: server, ttl: ttl, now: now}
}

// Reserve makes session hold the first n of refs no other session holds
// (renewing its own holds) and lets go of the others it held but keep.
func (l *Leases) Reserve(ctx context.Context, session, user string, refs []string, n int, keep []string) (store.Reservation, error) {
	return l.st.ReserveQueue(ctx, store.Holder{Session: session, User: user, Server: l.server}, refs, n, keep, l.now(), l.ttl)
}

// EndSession lets every hold of a session go.
func (l *Leases) EndSession(ctx context.Context, session string) error {
	return l.st.ReleaseSession(ctx, session)
}

// EndServer lets go of every hold of this server's sessions.
func (l *Leases) EndServer(ctx context.Context) error {
	return l.st.ReleaseServer(ctx, l.server)
}

// HeldByOthers are those of refs another session holds now, by the user
// holding each.
func (l *Leases) HeldByOthers(ctx context.Context, session string, refs []string) (map[string]string, error) {
	hs, err := l.st.QueueHolders(ctx, refs, l.now())
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for ref, h := range hs {
		if h.Session != session {
			out[ref] = h.User
		}
	}
	return out, nil
}

// Held is how many appeals are reserved now, by every server.
func (l *Leases) Held(ctx context.Context) (int, error) { return l.st.QueueReserved(ctx, l.now()) }
