package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// A reservation keeps an appeal on one caseworker's queue card (and the
// one ready after it) theirs alone, across every server on the database:
// the queue of each other session passes it over. It is not history (the
// decision is an event on the case); it is renewed as the caseworker
// works, let go when the card moves on or the session ends, and lapses by
// itself when its server dies. Only appeals waiting in the queue are
// held: a decision (from the card, the command line, a bulk action) ends
// the hold by itself, without touching the reservations, so deciding
// never waits on a card; the next reservation clears the row.

// Holder is one queue card: a session of a user on a server.
type Holder struct {
	Session string // the SSH session's id
	User    string
	Server  string // which server process, for whoever looks at the table
}

// Reservation is what ReserveQueue did.
type Reservation struct {
	Held []string // the appeals now held for the session, in the order asked
	// Others are appeals on other sessions' cards, with the user holding
	// each ("" for one another server is reserving or deciding right now).
	Others map[string]string
	Gone   []string  // appeals no longer waiting in the queue (decided)
	Until  time.Time // when the holds lapse unless renewed
}

// ErrNoHolder is returned for a reservation without a session.
var ErrNoHolder = errors.New("a queue reservation needs a session and a user")

// ReserveQueue makes h hold the first n of refs (in their order) that are
// still waiting and that no other session holds, until now+ttl, renewing
// those it held already; every other appeal h held is let go, except
// those in keep (appeals being decided on the card: ended by the
// decision itself, so no one else is shown one between the card moving
// on and the decision being saved). It looks at refs only until n are
// held. One transaction: on PostgreSQL each appeal taken is locked with
// FOR UPDATE SKIP LOCKED, so two servers reserving at once take different
// ones without waiting for each other, and ON CONFLICT settles a hold
// committed meanwhile; on SQLite the one writer at a time does the same.
func (s *Store) ReserveQueue(ctx context.Context, h Holder, refs []string, n int, keep []string, now time.Time, ttl time.Duration) (Reservation, error) {
	if h.Session == "" || h.User == "" {
		return Reservation{}, ErrNoHolder
	}
	var r Reservation
	err := s.lockTx(ctx, func(tx *sql.Tx) error {
		r = Reservation{Others: map[string]string{}, Until: now.Add(ttl)}
		until := r.Until.UnixMilli()
		// Lapsed holds go, and any left on an appeal decided meanwhile.
		if _, err := tx.ExecContext(ctx, `DELETE FROM queue_reservations WHERE until_ms <= ?
			OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = queue_reservations.case_id AND c.status = 'new')`, now.UnixMilli()); err != nil {
			return err
		}
		var heldIDs []any
		if len(refs) > 0 && n > 0 {
			asked := make([]string, 0, len(refs))
			args := make([]any, 0, len(refs))
			seen := map[string]bool{}
			for _, ref := range refs {
				ref = normRef(ref)
				if !seen[ref] {
					seen[ref] = true
					asked = append(asked, ref)
					args = append(args, ref)
				}
			}
			type found struct {
				id                    int64
				status, session, user string
			}
			rows, err := tx.QueryContext(ctx, `SELECT c.id, c.reference, c.status, coalesce(r.session_id, ''), coalesce(r.held_by, '')
				FROM cases c LEFT JOIN queue_reservations r ON r.case_id = c.id
				WHERE c.reference IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
			if err != nil {
				return err
			}
			by := map[string]found{}
			for rows.Next() {
				var f found
				var ref string
				if err := rows.Scan(&f.id, &ref, &f.status, &f.session, &f.user); err != nil {
					rows.Close()
					return err
				}
				by[ref] = f
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, ref := range asked {
				if len(r.Held) == n {
					break
				}
				f, ok := by[ref]
				switch {
				case !ok || f.status != "new":
					r.Gone = append(r.Gone, ref)
				case f.session == h.Session:
					// Renewed; gone if a decision let it go meanwhile.
					res, err := tx.ExecContext(ctx, "UPDATE queue_reservations SET until_ms = ? WHERE case_id = ? AND session_id = ?",
						until, f.id, h.Session)
					if err != nil {
						return err
					}
					if k, _ := res.RowsAffected(); k == 0 {
						r.Gone = append(r.Gone, ref)
						continue
					}
					r.Held = append(r.Held, ref)
					heldIDs = append(heldIDs, f.id)
				case f.session != "":
					r.Others[ref] = f.user
				default:
					// The appeal's row is locked while it is taken: another
					// server taking it, or deciding it, at this moment has
					// it locked, and it is passed over rather than waited for.
					var id int64
					err := tx.QueryRowContext(ctx, "SELECT c.id FROM cases c WHERE c.id = ? AND c.status = 'new'"+s.dialect.skipLocked("c"), f.id).Scan(&id)
					if err == sql.ErrNoRows {
						r.Others[ref] = ""
						continue
					}
					if err != nil {
						return err
					}
					// Taken unless someone's hold, not yet lapsed, is there
					// by now (committed since the read above).
					err = tx.QueryRowContext(ctx, `INSERT INTO queue_reservations(case_id, session_id, held_by, server_name, until_ms)
						VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET session_id = excluded.session_id,
						held_by = excluded.held_by, server_name = excluded.server_name, until_ms = excluded.until_ms
						WHERE queue_reservations.until_ms <= ? RETURNING case_id`,
						f.id, h.Session, h.User, h.Server, until, now.UnixMilli()).Scan(&id)
					if err == sql.ErrNoRows {
						r.Others[ref] = ""
						continue
					}
					if err != nil {
						return err
					}
					r.Held = append(r.Held, ref)
					heldIDs = append(heldIDs, f.id)
				}
			}
		}
		q := "DELETE FROM queue_reservations WHERE session_id = ?"
		args := []any{h.Session}
		if len(heldIDs) > 0 {
			q += " AND case_id NOT IN (?" + strings.Repeat(", ?", len(heldIDs)-1) + ")"
			args = append(args, heldIDs...)
		}
		if len(keep) > 0 {
			q += " AND case_id NOT IN (SELECT id FROM cases WHERE reference IN (?" + strings.Repeat(", ?", len(keep)-1) + "))"
			for _, ref := range keep {
				args = append(args, normRef(ref))
			}
		}
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
	if err != nil {
		return Reservation{}, err
	}
	return r, nil
}

// lockTx is the transaction of a reservation: on PostgreSQL at READ
// COMMITTED, where the row locks and ON CONFLICT decide (pgLockTx); on
// SQLite the same as every other write.
func (s *Store) lockTx(ctx context.Context, f func(*sql.Tx) error) error {
	if s.pg && !s.readOnly {
		return s.pgLockTx(ctx, f)
	}
	return s.tx(ctx, f)
}

// ReleaseSession lets go of every appeal a session holds (it ended).
func (s *Store) ReleaseSession(ctx context.Context, session string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM queue_reservations WHERE session_id = ?", session)
		return err
	})
}

// ReleaseServer lets go of every appeal held by a server's sessions (it
// is stopping).
func (s *Store) ReleaseServer(ctx context.Context, server string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM queue_reservations WHERE server_name = ?", server)
		return err
	})
}

// QueueHolders says who holds which of refs at now (lapsed reservations,
// and those of appeals decided, hold nothing), by reference.
func (s *Store) QueueHolders(ctx context.Context, refs []string, now time.Time) (map[string]Holder, error) {
	out := map[string]Holder{}
	if len(refs) == 0 {
		return out, nil
	}
	args := []any{now.UnixMilli()}
	for _, ref := range refs {
		args = append(args, normRef(ref))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.reference, r.session_id, r.held_by, r.server_name
		FROM queue_reservations r JOIN cases c ON c.id = r.case_id
		WHERE r.until_ms > ? AND c.status = 'new' AND c.reference IN (?`+strings.Repeat(", ?", len(refs)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var h Holder
		if err := rows.Scan(&ref, &h.Session, &h.User, &h.Server); err != nil {
			return nil, err
		}
		out[ref] = h
	}
	return out, rows.Err()
}

// QueueReserved is how many waiting appeals are held on queue cards at now.
func (s *Store) QueueReserved(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM queue_reservations r JOIN cases c ON c.id = r.case_id
		WHERE r.until_ms > ? AND c.status = 'new'`, now.UnixMilli()).Scan(&n)
	return n, err
}
