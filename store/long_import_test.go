package store

import (
	"database/sql"
	"fmt"
	"runtime"
	"strings"
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

// What an import returns keeps nothing of the file but each row's
// reference: 2,000 notices with 4 KiB of grounds each (8 MiB of file)
// leave well under 2 MiB of Go heap while the result is still held. Each
// reference used to be a slice of its whole CSV line, so References kept
// every line of the file alive (all 8 MiB).
func TestImportResultKeepsNoLines(t *testing.T) {
	s := open(t)
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,subject,amount,grounds\n")
	grounds := strings.Repeat("The penalty was not due. ", 4096/25)
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&b, "TC/2026/%05d,2026-11-02,2026-10-01,Appellant %d,vat,100,%s %d\n", i, i, grounds, i)
	}
	path := write(t, "big.csv", b.String())
	b.Reset()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := s.Import(ctx, []string{path}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 2000 {
		t.Fatalf("import: %d %v", res.Imported, err)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if kept > 2<<20 {
		t.Fatalf("the import's result keeps %d KiB of heap for %d references", kept>>10, len(res.References))
	}
	t.Logf("result of a 2,000-row, 8 MiB import keeps %d KiB", kept>>10)
	runtime.KeepAlive(res)
}
