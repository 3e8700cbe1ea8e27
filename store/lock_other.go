//go:build !unix

package store

import "context"

// UseLock is a no-op where flock is missing: restore then relies on the
// caseworker closing caseload first, as its help says.
type UseLock struct{}

func shareDatabase(string) (*UseLock, error) { return &UseLock{}, nil }

func OwnDatabase(string) (*UseLock, bool, error) { return &UseLock{}, true, nil }

func (*UseLock) Release() {}

func writeGate(context.Context, string, bool) (*UseLock, error) { return &UseLock{}, nil }
