//go:build !unix

package store

func noSpaceLeft(string) bool { return false }

func privateDir(string) error { return nil }

const noFollow = 0
