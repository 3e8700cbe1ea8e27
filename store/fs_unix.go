//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// noSpaceLeft reports whether the file system holding dir has no blocks
// left for an ordinary user.
func noSpaceLeft(dir string) bool {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return false
	}
	return st.Bavail == 0
}

// privateDir refuses a folder caseload is about to write into when someone
// else could plant files or links in it: it must be a real folder (not a
// link), the user's own, and not writable by group or others.
func privateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 || !fi.IsDir() {
		return fmt.Errorf("%s is not a folder (a link?): refusing to write there", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to another user (uid %d): refusing to write there; it should be yours, mode 700", dir, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s can be written by other users (mode %o): refusing to write there; run: chmod 700 %s", dir, fi.Mode().Perm(), dir)
	}
	return nil
}

// noFollow makes an open fail on a symbolic link.
const noFollow = syscall.O_NOFOLLOW
