// Package pgprocess holds the tests that run several caseload processes
// on one PostgreSQL database (the contention and crash tests of
// cmd/caseload, on the other backend). They are a package of their own so
// that they have their own share of go test's ten minutes and run beside
// cmd/caseload's.
package pgprocess
