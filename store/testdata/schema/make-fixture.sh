#!/usr/bin/env bash
# Writes vN.db (N: the newest schema) with the binary built from the current tree: v3.db and v4.db were
# written by these steps with their schema's binary. Once a newer schema exists, vN.db stays as it is.
# Usage: make-fixture.sh N
set -euo pipefail
v=${1:?usage: make-fixture.sh SCHEMA-VERSION}
cd "$(dirname "$0")/../../.."
newest=$(ls store/migrations/*.sql | wc -l)
[ "$v" = "$newest" ] || { echo "schema $v is not the newest ($newest): v$v.db must stay as it is" >&2; exit 1; }
bin=$(mktemp -d)/caseload; go build -o "$bin" ./cmd/caseload
db=$(mktemp -d)/v$v.db
B="$bin --db $db --today 2026-11-23 --user fixture"
$B import testdata/notices.csv testdata/notices.json testdata/jr.csv
$B categorise TC/2026/04101 paper; $B categorise TC/2026/04102 standard; $B categorise TC/2026/04104 complex
$B event TC/2026/04102 statement-of-case --date 2026-11-20
$B note TC/2026/04104 "Judge to consider expedition"
$B categorise TC/2026/04105 basic; $B undo TC/2026/04105
$B categorise AC-2026-LON-000123 claim-issued
$B event AC-2026-LON-000123 claim-served --date 2026-11-23
$B flag AC-2026-LON-000123 ministerial
$B recommend AC-2026-LON-000123 defend --note "Policy lawfully applied"
$B mail import store/mailfile/testdata/morning
$B mail replied 1 --summary "Extension request acknowledged"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
cp "$db" store/testdata/schema/v$v.db
