//go:build unix

package noticefile

import (
	"errors"
	"os"
	"syscall"
)

// openRegular opens path without blocking (a FIFO swapped in after the
// check would otherwise hang the import) and only if it is a regular file.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errors.New("is not a regular file (a pipe or a device?)")
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
