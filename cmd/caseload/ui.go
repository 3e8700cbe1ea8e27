package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

// runUI opens the terminal UI on the database at path ("" = the configured one).
func runUI(ctx context.Context, g *globals, path string) error {
	return errors.New("the terminal UI is not wired in yet")
}

func demoCmd(g *globals) *cobra.Command     { return &cobra.Command{Use: "demo", Hidden: true} }
func generateCmd(g *globals) *cobra.Command { return &cobra.Command{Use: "generate", Hidden: true} }
