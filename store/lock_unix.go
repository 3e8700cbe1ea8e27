//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// UseLock is held, shared, by every process using a database (the UI for as
// long as it is open, a command while it runs). restore takes it
// exclusively, so it never replaces a file another process still has open
// and will go on writing to.
type UseLock struct{ f *os.File }

func lockPath(db string) string { return db + ".lock" }

// shareDatabase takes the shared lock, waiting while a restore holds it. A
// folder the user cannot write to (a read-only share) has no lock file and
// no restore can happen there either.
func shareDatabase(db string) (*UseLock, error) {
	f, err := os.OpenFile(lockPath(db), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.EROFS) {
			return &UseLock{}, nil
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath(db), err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", lockPath(db), err)
	}
	return &UseLock{f}, nil
}

// OwnDatabase takes the lock exclusively, without waiting: false if another
// process holds it.
func OwnDatabase(db string) (*UseLock, bool, error) {
	f, err := os.OpenFile(lockPath(db), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", lockPath(db), err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("lock %s: %w", lockPath(db), err)
	}
	return &UseLock{f}, true, nil
}

func (l *UseLock) Release() {
	if l != nil && l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

func writersPath(db string) string { return db + ".writers" }

// writeGate is held around each write transaction: shared by an ordinary
// write, exclusive by a notice import, whose one transaction can hold
// SQLite's write lock for longer than the busy timeout. A writer waiting
// here waits as long as the import takes (SQLite's own wait would give up
// after its timeout and fail the caseworker's change). It is polled so the
// wait ends with ctx. A folder the user cannot write to has no gate, and
// there nothing writes either.
func writeGate(ctx context.Context, db string, exclusive bool) (*UseLock, error) {
	f, err := os.OpenFile(writersPath(db), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.EROFS) {
			return &UseLock{}, nil
		}
		return nil, fmt.Errorf("lock %s: %w", writersPath(db), err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return &UseLock{f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", writersPath(db), err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}
