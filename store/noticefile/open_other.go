//go:build !unix

package noticefile

import "os"

func openRegular(path string) (*os.File, error) { return os.Open(path) }
