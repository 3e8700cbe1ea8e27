#!/usr/bin/env bash
# Writes v2.db with the binary built from the current tree. Run it only while schema 2 is the newest;
# once schema 3 exists, v2.db must stay as it is.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$(mktemp -d)/caseload; go build -o "$bin" ./cmd/caseload
db=$(mktemp -d)/v2.db
B="$bin --db $db --today 2026-11-20 --user fixture"
$B import testdata/notices.csv testdata/notices.json
$B categorise TC/2026/04101 paper; $B categorise TC/2026/04102 standard; $B categorise TC/2026/04104 complex
$B event TC/2026/04102 statement-of-case --date 2026-11-20
$B note TC/2026/04104 "Judge to consider expedition"
$B categorise TC/2026/04105 basic; $B undo TC/2026/04105
$B extension TC/2026/04104 request --deadline statement_of_case --party respondent --days 28
$B extension TC/2026/04104 grant --to 2027-02-16
$B direction TC/2026/04102 --text "Appellant to send invoices" --party appellant --days 14
$B flag TC/2026/04104 high-profile
$B refer TC/2026/04104 --to judge --note "Expedite?"
$B return TC/2026/04106 --reason grounds
$B hearing TC/2026/04101 --on 2027-03-01 --venue video
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
cp "$db" store/testdata/schema/v2.db
