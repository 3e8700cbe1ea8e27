package store

import (
	"fmt"
	"testing"

	"github.com/caseload/caseload/domain"
)

// benchQueries fills a store with n queries from n/4 contacts, in one
// transaction, the way years of a service centre's calls would look.
func benchQueries(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(b.TempDir()+"/bench.db", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	tx, err := s.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	channels := domain.Channels
	topics := domain.DefaultTaxonomy().Slugs()
	for i := 0; i < n/4; i++ {
		phone := fmt.Sprintf("0770090%04d", i)
		if _, err := tx.Exec(`INSERT INTO contacts(name, role, phone, phone_norm, created) VALUES (?,?,?,?,?)`,
			fmt.Sprintf("Caller %d Surname%d", i, i%997), "public", phone, phone, "2026-01-01"); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO contact_fts(rowid, name, email, phone) VALUES (?,?,?,?)`, i+1,
			fmt.Sprintf("Caller %d Surname%d", i, i%997), "", phone); err != nil {
			b.Fatal(err)
		}
	}
	start := domain.MustDate("2024-01-01")
	for i := 0; i < n; i++ {
		received := start.AddDays(i % 1000)
		status := "resolved"
		if i%20 == 0 {
			status = "open"
		}
		if _, err := tx.Exec(`INSERT INTO queries(channel, contact_id, topic, summary, status, received, due, rule, user, at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, channels[i%len(channels)], i%(n/4)+1, topics[i%len(topics)], "a question", status,
			received.String(), received.AddDays(14).String(), "email: 10 working days", "bench", "2026-01-01T00:00:00Z"); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	s.Analyze(ctx)
	return s
}

// The Queries screen's first page, the open queries by service level,
// out of 40,000 queries.
func BenchmarkOpenQueries(b *testing.B) {
	s := benchQueries(b, 40000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		qs, err := s.Queries(ctx, QueryFilter{Open: true}, 0, 50)
		if err != nil || len(qs) != 50 {
			b.Fatal(len(qs), err)
		}
	}
}

// The call form's look-up as a name is typed, among 10,000 contacts.
func BenchmarkFindCallers(b *testing.B) {
	s := benchQueries(b, 40000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.FindCallers(ctx, "caller 123", 5); err != nil {
			b.Fatal(err)
		}
	}
}

// A contact's history, newest first.
func BenchmarkContactHistory(b *testing.B) {
	s := benchQueries(b, 40000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, h, err := s.ContactHistory(ctx, 77, 50); err != nil || len(h) == 0 {
			b.Fatal(err)
		}
	}
}

// The knowledge base searched as each key is typed.
func BenchmarkKnowledgeBaseSearch(b *testing.B) {
	kb := domain.MustKnowledgeBase()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kb.Search("late perm", "", "", 10)
	}
}
