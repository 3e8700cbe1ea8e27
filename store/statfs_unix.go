//go:build unix

package store

import "syscall"

// noSpaceLeft reports whether the file system holding dir has no blocks
// left for an ordinary user.
func noSpaceLeft(dir string) bool {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return false
	}
	return st.Bavail == 0
}
