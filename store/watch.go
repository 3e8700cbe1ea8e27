package store

import (
	"context"
	"database/sql"
	"time"
)

// Watch calls changed whenever a transaction is committed to the file by
// any connection (this process's or another's, such as a CLI import), by
// polling SQLite's data_version on a connection of its own every interval.
// It returns when ctx ends.
// On PostgreSQL it listens for the notice each commit sends instead.
func (s *Store) Watch(ctx context.Context, interval time.Duration, changed func()) error {
	if s.pg {
		return s.watchPostgres(ctx, interval, changed)
	}
	db, err := sql.Open("sqlite", "file:"+s.path+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return err
	}
	defer db.Close()
	// data_version is per connection: one connection, held for the watch.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var last int64
	if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&last); err != nil {
		return err
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			continue
		}
		if v != last {
			last = v
			changed()
		}
	}
}
