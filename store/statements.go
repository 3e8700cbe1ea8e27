package store

import (
	"context"
	"database/sql"
	"sync"
)

// statementCache keeps prepared statements for the queries run on every
// key press. Preparing the lookup statement took a sixth of a lookup's time
// (SQLite's parser, in a profile of BenchmarkFindOne), and database/sql
// prepares afresh for every DB.QueryContext.
type statementCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStatements bounds the cache: the statements vary with the lookup's
// qualifiers, a few dozen shapes in practice.
const maxStatements = 64

// query runs q with a cached prepared statement.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c := &s.stmts
	c.mu.Lock()
	st, ok := c.m[q]
	if !ok && len(c.m) < maxStatements {
		var err error
		if st, err = s.db.PrepareContext(ctx, q); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		c.m[q] = st
	}
	c.mu.Unlock()
	if st == nil {
		return s.db.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (c *statementCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
