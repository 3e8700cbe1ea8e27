package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
)

// A notice import is one transaction however long it takes. Another
// process's write made while it runs waits for it and then succeeds: it
// must never fail because SQLite's busy timeout (here cut to 100 ms, so
// the five retries give up after about 1.3 s) ran out first.
func TestWriterWaitsForALongImportTransaction(t *testing.T) {
	a := imported(t)
	b, err := Open(a.path, Options{BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	holding := make(chan struct{})
	committed := make(chan time.Time, 1)
	go func() {
		err := a.longTx(ctx, func(tx *sql.Tx) error {
			close(holding)
			time.Sleep(3 * time.Second) // far past b's busy timeout and retries
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		committed <- time.Now()
	}()
	<-holding
	if _, err := b.Categorise(ctx, "TC/2026/05001", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatalf("a write during a long import failed instead of waiting: %v", err)
	}
	done := time.Now()
	if end := <-committed; done.Before(end) {
		t.Fatalf("the write finished at %v, before the import's transaction ended at %v", done, end)
	}
	c, err := b.Case(ctx, "TC/2026/05001")
	if err != nil || c.Track == nil || *c.Track != domain.Standard {
		t.Fatalf("after the wait: %+v %v", c, err)
	}
}
