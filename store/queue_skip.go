package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/caseload/caseload/domain"
)

// SkipInQueue records on the case that the caseworker skipped it on the
// queue card today (a queue-skipped trace): it goes to the end of their
// order for the day, and stays there after a restart (QueueSkipped).
func (s *Store) SkipInQueue(ctx context.Context, ref string, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, "SELECT status FROM cases WHERE reference = ?", normRef(ref)).Scan(&status); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("%s: %w", ref, ErrNotFound)
			}
			return err
		}
		if domain.Status(status) != domain.StatusNew {
			return fmt.Errorf("%s is %s: only an appeal waiting in the queue can be skipped", normRef(ref), status)
		}
		e := domain.Event{Kind: domain.EventQueueSkipped, On: opt.On, User: opt.User,
			Detail: "skipped for now on the queue card: it comes round after the rest"}
		return s.appendTrace(ctx, tx, ref, &e)
	})
}

// QueueSkipped are the references user skipped on the queue card on day,
// the least recently skipped first: the order they come round in after
// the appeals not skipped.
func (s *Store) QueueSkipped(ctx context.Context, user string, day domain.Date) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.reference FROM events e INDEXED BY events_kind_day
		JOIN cases c ON c.id = e.case_id
		WHERE e.kind = ? AND e.on_date = ? AND e.user = ? AND c.status = 'new'
		GROUP BY c.id ORDER BY max(e.id)`, domain.EventQueueSkipped, day.String(), user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, rows.Err()
}
