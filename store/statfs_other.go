//go:build !unix

package store

func noSpaceLeft(string) bool { return false }
