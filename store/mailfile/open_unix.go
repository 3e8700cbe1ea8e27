//go:build unix

package mailfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openRegular opens path for reading only if it is a regular file, never
// through a symbolic link, and never blocking on a FIFO or device.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: is a symbolic link; not followed (copy the message itself into the folder)", path)
	}
	if err != nil {
		return nil, pathError(path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, pathError(path, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	return f, nil
}
