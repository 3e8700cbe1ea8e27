// Package pgtest gives tests a fresh PostgreSQL database: a new schema on
// the server CASELOAD_TEST_POSTGRES names, dropped when the test ends.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the plain driver, to make and drop schemas
)

// Env names the server's URL (a database the user may create schemas in).
const Env = "CASELOAD_TEST_POSTGRES"

// Require skips t when there is no server, except under CI=true, where
// running without one is a failure.
func Require(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(Env + " is not set under CI=true: the store suite must also run on PostgreSQL (.ci/run starts a server)")
		}
		t.Skip(Env + " is not set: not run on PostgreSQL (set it to a postgres:// URL to run it there too)")
	}
	return base
}

// Fresh makes an empty schema and returns a URL whose connections use it
// (search_path: the schema, then public, where the extensions live).
func Fresh(t testing.TB) string {
	t.Helper()
	base := Require(t)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create a schema on the test server: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema + ",public"
}
