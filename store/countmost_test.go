package store

// SetInboxCountMost makes the inbox counts stop at n, so a test can reach
// the cap without a national caseload.
func SetInboxCountMost(s *Store, n int) { s.inboxCountMost = n }
