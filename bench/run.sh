#!/usr/bin/env bash
# Performance of caseload at a million cases: generates the database once (bench/out/1m.db, reused),
# runs the Go benchmarks against it, compares lookup with the sqlite3 shell on the same FTS5 query,
# times `due --within 7`, start-up, key press to screen in tmux, and peak memory while browsing.
# Imports a CSV into an empty file and into a copy of the database beside the sqlite3 shell's .import of
# the same CSV plus an FTS5 build. Prints one table: what, target, measured, ratio to the target, result.
# A benchmark that fails is reported in the table (and its output kept in bench/out) and the run goes on.
# Usage: bench/run.sh [CASES] (IMPORT_ROWS=N sets the import files' size, default min(CASES, 100000);
# BENCH_POSTGRES=URL adds the same benchmarks on PostgreSQL, rows marked "PostgreSQL": see its block below).
# At 10,000,000 (bench/run.sh 10000000): the file is about 25 GB (the script checks the free space first) and
# generating it is the ten-minute target; the import into a populated file copies bench/out/1m.db (2.5 GB), not
# the 10M file, and says so in its row.
set -uo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
out=bench/out; mkdir -p "$out"
db="$out/1m.db"; [ "$cases" = 1000000 ] || db="$out/${cases}.db"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
for tool in sqlite3 tmux; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }; done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bin="$out/caseload"; go build -o "$bin" ./cmd/caseload || exit 1
today=2026-11-23
gen_time="$out/generate-$cases.time"
if [ ! -s "$db" ]; then
  # About 2.5 KB a case (252 MB at 100,000), and the write-ahead log of one transaction (a million cases) beside it.
  need_kb=$(( cases * 25 / 10 + 2600000 )); free_kb=$(df -Pk "$out" | awk 'NR == 2 {print $4}')
  if [ "$free_kb" -lt "$need_kb" ]; then
    echo "generating $cases cases needs about $(( need_kb / 1048576 )) GB in $out; $(( free_kb / 1048576 )) GB free" >&2; exit 1
  fi
  echo "generating $cases cases into $db (once)…" >&2
  rm -f "$gen_time"
  /usr/bin/time -f "%e %U %S" -o "$gen_time.t" "$bin" --db "$db" --today $today --user bench generate --cases "$cases" --seed 1 2>/dev/null | tee "$out/generate.txt" &&
    awk '{ printf "%s %.2f", $1, $2 + $3 }' "$gen_time.t" > "$gen_time"
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
export CASELOAD_BENCH_DB="$PWD/$db" CASELOAD_TODAY=$today

failed=()
# bench NAME OUTFILE go test ARGS…: appends the output; a failure is noted and the run goes on.
bench() {
  local name=$1 file=$2; shift 2
  if ! "$@" >> "$file" 2> "$out/$name.err"; then
    failed+=("$name"); echo "benchmark $name FAILED (see $out/$name.err and $file)" >&2
  fi
}
: > "$out/store.bench"; : > "$out/tui.bench"
echo "running Go benchmarks…" >&2
bench store-lists "$out/store.bench" go test ./store -run '^$' -bench 'Find$|Due7|QueuePage|Counts|Inbox|CasesPage|CaseDetail' -benchtime 200x -benchmem
bench store-reports "$out/store.bench" go test ./store -run '^$' -bench 'ReportFlow|Reports' -benchtime 3x -benchmem
bench tui-keypress "$out/tui.bench" go test ./tui -run '^$' -bench 'Keypress' -benchtime 2000x -benchmem
bench tui-startup "$out/tui.bench" go test ./tui -run '^$' -bench 'Startup' -benchtime 20x -benchmem

# Import, whole command, beside the sqlite3 shell: the same CSV, into an empty file (the shell: .import
# into a table, then the lookup index's FTS5 table built from it with the same options) and into a copy of
# the database. Figures are wall seconds and CPU seconds (user + sys): on a shared machine CPU is the
# steadier ratio.
echo "importing beside the sqlite3 shell…" >&2
irows=${IMPORT_ROWS:-$(( cases < 100000 ? cases : 100000 ))}
notices() { # notices N YEAR: received in YEAR, sequence numbers from 900001 (generate does not reach them)
  awk -v n="$1" -v y="$2" 'BEGIN { print "reference,received,decision_date,appellant,representative,subject,amount,grounds"
    split("vat income-tax late-filing-penalty surcharge corporation-tax", s, " ")
    for (i = 0; i < n; i++) printf "TC/%d/%06d,%d-%02d-%02d,%d-%02d-%02d,Appellant %d Smith%d,Rep %d LLP,%s,%d.00,Grounds for appeal number %d about scheme %d\n",
      y, 900001 + i, y, i % 12 + 1, i % 28 + 1, y, i % 12 + 1, i % 28 + 1, i, i % 500, i % 300, s[i % 5 + 1], (i * 37) % 100000, i, i % 50 }'
}
notices "$irows" 2019 > "$out/import.csv"
timed() { # timed FILE CMD…: "wall cpu" seconds into FILE
  /usr/bin/time -f "%e %U %S" -o "$1.t" "${@:2}" > "$1.out" 2>&1; local rc=$?
  awk '{ printf "%s %.2f", $1, $2 + $3 }' "$1.t" > "$1"; return $rc
}
rm -f "$out"/empty.db*
if ! timed "$out/imp-empty" "$bin" --db "$out/empty.db" --today $today --user bench import "$out/import.csv"; then failed+=(import-empty); fi
rm -f "$out"/shell.db*
cat > "$out/shell-import.sql" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
.import --csv $out/import.csv notices
CREATE VIRTUAL TABLE lookup USING fts5(reference, appellant, representative, hmrc_reference, grounds, notes, tags, content = '',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6');
INSERT INTO lookup(lookup, rank) VALUES ('hashsize', 16777216);
INSERT INTO lookup(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags)
  SELECT rowid, reference, appellant, representative, '', grounds, '',
    char(57344) || 'statusnew ' || char(57344) || 'subject' || replace(subject, '-', '') || ' ' || char(57344) || 'jurisdictionfttax' FROM notices;
COMMIT;
SQL
timed "$out/imp-shell" sqlite3 "$out/shell.db" < "$out/shell-import.sql" || failed+=(import-shell)
rm -f "$out"/shell.db* "$out"/empty.db*
# Into a copy of the database (the import commits): of the 1M file at most. At 10M the copy would be 25 GB
# and minutes of disk time for no figure the issue asks for (its target is the 1M file), so a larger run
# imports into bench/out/1m.db's copy when there is one and says so, else the row says it was not run.
into_src="$db"; into_cases=$cases
if [ "$cases" -gt 1000000 ]; then into_src="$out/1m.db"; into_cases=1000000; fi
rm -f "$out"/imp-into
if [ -s "$into_src" ]; then
  cp "$into_src" "$out/into.db"
  notices "$irows" 2018 > "$out/import-into.csv"
  if ! timed "$out/imp-into" "$bin" --db "$out/into.db" --today $today --user bench import "$out/import-into.csv"; then failed+=(import-into); fi
  rm -f "$out"/into.db*
fi
metric() { awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i=2;i<=NF;i++) if ($(i+1)==u) print $i }' "$3" | head -1; }
nsop() { awk -v b="$1" '$1 ~ "^"b"(-[0-9]+)?$" { print $3/1e6 }' "$2" | head -1; }

echo "comparing lookup with the sqlite3 shell…" >&2
# The statement store.Find runs for the words "smi" and "carter lowe", limit 50, with the same list columns
# (read from store/search.go, so the two cannot drift apart).
cols=$(awk '/^const lookupColumns = `/ {on=1} on {print} on && /`$/ {exit}' store/search.go | sed 's/^const lookupColumns = `//; s/`$//' | tr -d '\t\n')
[ -n "$cols" ] || { echo "could not read lookupColumns from store/search.go" >&2; exit 1; }
find_sql() { echo "SELECT $cols FROM cases c JOIN (SELECT rowid AS k FROM case_fts WHERE case_fts MATCH '$1' ORDER BY rowid DESC) f ON c.id = f.k % 1000000000 WHERE 1=1 ORDER BY f.k DESC LIMIT 50;"; }
q1=$(find_sql '"smi"*'); q2=$(find_sql '"carter"* AND "lowe"*')
shell_ms() { # one sqlite3 process runs the statement 200 times; less the same process running SELECT 1
  local f="$out/q.sql" g="$out/q1.sql"
  for i in $(seq 200); do echo "$1"; done > "$f"; for i in $(seq 200); do echo "SELECT 1;"; done > "$g"
  local a b c d; a=$(date +%s%N); sqlite3 "$db" < "$f" >/dev/null; b=$(date +%s%N)
  c=$(date +%s%N); sqlite3 "$db" < "$g" >/dev/null; d=$(date +%s%N)
  awk -v x=$(( (b-a) - (d-c) )) 'BEGIN {printf "%.3f", x/200/1e6}'
}
s1=$(shell_ms "$q1"); s2=$(shell_ms "$q2")
: > "$out/findone.bench"
bench findone "$out/findone.bench" go test ./store -run '^$' -bench 'FindOne' -benchtime 200x
o1=$(metric 'BenchmarkFindOne/smi' p50-ms "$out/findone.bench"); o2=$(metric 'BenchmarkFindOne/carter_lowe' p50-ms "$out/findone.bench")

# Whole processes: caseload find --json against sqlite3 -json running the same statement (median of 11).
median_ms() { for i in $(seq 11); do local s=$(date +%s%N); "$@" >/dev/null 2>&1; local e=$(date +%s%N); echo $(( (e-s)/1000 )); done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[6]/1000}'; }
pf=$(median_ms "$bin" --db "$db" --today $today find smi --json --limit 50)
ps_=$(median_ms sqlite3 -json "$db" "$q1")
help_ms=$(median_ms "$bin" --help)

echo "timing due --within 7…" >&2
due_ms=$(for i in $(seq 11); do s=$(date +%s%N); "$bin" --db "$db" due --within 7 --json >/dev/null; e=$(date +%s%N); echo $(( (e-s)/1000 )); done | sort -n | awk '{a[NR]=$1} END {print a[6]/1000}')

echo "key press to screen in tmux (a control-mode client, no process per sample)…" >&2
: > "$out/tmux.bench"
bench tmux "$out/tmux.bench" go test ./cmd/caseload -run '^$' -bench 'TmuxKeyToScreen' -benchtime 100x
lat_med=$(metric 'BenchmarkTmuxKeyToScreen/cases' p50-ms "$out/tmux.bench"); lat_p90=$(metric 'BenchmarkTmuxKeyToScreen/cases' p90-ms "$out/tmux.bench")
fl_med=$(metric 'BenchmarkTmuxKeyToScreen/floor' p50-ms "$out/tmux.bench"); fl_p90=$(metric 'BenchmarkTmuxKeyToScreen/floor' p90-ms "$out/tmux.bench")
te_med=$(metric 'BenchmarkTmuxKeyToScreen/tmux-echo' p50-ms "$out/tmux.bench")

echo "memory while browsing…" >&2
sess=caseload-bench; tm() { tmux -L "caseload-bench-$$" "$@"; }   # a tmux server of this run's own
tm new-session -d -s $sess -x 100 -y 30 -e NO_COLOR=1 "$bin --db $db --today $today --user bench"
for i in $(seq 100); do tm capture-pane -p -t $sess | grep -q "Inbox" && break; sleep 0.05; done
for k in 4 j j k G g 1 2 3 / s m i t h Escape 4 G g 1; do tm send-keys -t $sess "$k"; sleep 0.2; done
pid=$(tm list-panes -t $sess -F '#{pane_pid}')
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
tm kill-server

# row WHAT TARGET MEASURED OK [RATIO]: RATIO is measured against the target (1 or under is met).
row() { printf '| %-58s | %-18s | %-34s | %-6s | %-7s |\n' "$1" "$2" "$3" "${5:-}" "$4"; }
# ok A B: met when A <= B, and the ratio A/B; okmin: met when A >= B, and the ratio B/A.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 == 0 || b+0 == 0) print "-"; else printf "%.2f", a/b }'; }
ok() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a+0 <= b+0) ? "met" : "NOT met" }'; }
okmin() { awk -v a="$1" -v b="$2" 'BEGIN { print (a+0 >= b+0) ? "met" : "NOT met" }'; }
echo
echo "caseload benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $cases cases, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
row "what" "target" "measured" "ok" "ratio"
row "----" "------" "--------" "--" "-----"
for s in inbox queue due cases search-results search-typing detail; do
  p99=$(metric "BenchmarkKeypress/$s" p99-ms "$out/tui.bench"); al=$(awk -v b="BenchmarkKeypress/$s" '$1 ~ "^"b"(-[0-9]+)?$" {print $(NF-1)}' "$out/tui.bench")
  c99=$(metric "BenchmarkKeypress/$s" cpu-p99-ms "$out/tui.bench")   # the thread's CPU: what the wall p99 is on an idle machine
  row "key press to frame (Update+View), $s" "p99 ≤ 1 ms" "p99 $p99 ms (CPU ${c99:-?}), $al allocs" "$(ok "$p99" 1)" "$(ratio "$p99" 1)"
done
fp99=$(metric BenchmarkFind p99-ms "$out/store.bench"); fp50=$(metric BenchmarkFind p50-ms "$out/store.bench")
row "lookup as you type (every prefix of 7 queries)" "p99 ≤ 10 ms" "p50 $fp50, p99 $fp99 ms" "$(ok "$fp99" 10)" "$(ratio "$fp99" 10)"
r1=$(ratio "$o1" "$s1"); r2=$(ratio "$o2" "$s2"); r3=$(ratio "$pf" "$ps_")
row "find smi --json --limit 50, whole process, vs sqlite3 -json" "≤ 1.5× the shell" "$pf vs $ps_ ms = ${r3}×" "$(ok "$r3" 1.5)" "$(ratio "$r3" 1.5)"
row "  in process (p50) vs the shell's statement alone" "≤ 1.5× the shell" "$o1 vs $s1 ms = ${r1}×" "$(ok "$r1" 1.5)" "$(ratio "$r1" 1.5)"
row "lookup 'carter lowe' in process vs the shell" "≤ 1.5× the shell" "$o2 vs $s2 ms = ${r2}×" "$(ok "$r2" 1.5)" "$(ratio "$r2" 1.5)"
st=$(nsop BenchmarkStartup/all "$out/tui.bench"); sj=$(nsop BenchmarkStartup/admin-court-jr "$out/tui.bench")
row "start-up to first complete frame (queries + View)" "≤ 150 ms" "$st ms" "$(ok "$st" 150)" "$(ratio "$st" 150)"
row "  limited to the Administrative Court (--jurisdiction)" "≤ 150 ms" "$sj ms" "$(ok "$sj" 150)" "$(ratio "$sj" 150)"
read -r ew ec < "$out/imp-empty" 2>/dev/null; read -r sw sc < "$out/imp-shell" 2>/dev/null; read -r iw ic < "$out/imp-into" 2>/dev/null
ie=$(awk -v n="$irows" -v w="${ew:-0}" 'BEGIN { if (w > 0) printf "%.0f", n / w }'); ii=$(awk -v n="$irows" -v w="${iw:-0}" 'BEGIN { if (w > 0) printf "%.0f", n / w }')
iec=$(awk -v n="$irows" -v w="${ec:-0}" 'BEGIN { if (w > 0) printf "%.0f", n / w }'); iic=$(awk -v n="$irows" -v w="${ic:-0}" 'BEGIN { if (w > 0) printf "%.0f", n / w }')
row "import $irows notices into an empty file (whole command)" "≥ 100,000/s" "$ie/s wall, $iec/s of CPU" "$(okmin "$ie" 100000)" "$(ratio 100000 "$ie")"
rw=$(ratio "${ew:-0}" "${sw:-0}"); rc=$(ratio "${ec:-0}" "${sc:-0}")
row "  the same vs sqlite3 .import + FTS5 build (wall; CPU)" "≤ 2× the shell" "${ew:-?} vs ${sw:-?} s = ${rw}×; CPU ${rc}×" "$(ok "$rw" 2)" "$(ratio "$rw" 2)"
if [ -s "$out/imp-into" ]; then
  row "import $irows notices into the $into_cases-case file" "≥ 50,000/s" "$ii/s wall, $iic/s of CPU" "$(okmin "$ii" 50000)" "$(ratio 50000 "$ii")"
else
  row "import $irows notices into the 1000000-case file" "≥ 50,000/s" "not run: no bench/out/1m.db to copy" "-"
fi
row "key press to screen in tmux (cases list, j/k)" "median ≤ 12, p90 ≤ 20" "median $lat_med, p90 $lat_p90 ms" "$( [ "$(ok "$lat_med" 12)" = met ] && [ "$(ok "$lat_p90" 20)" = met ] && echo met || echo 'NOT met')" "$(ratio "$lat_p90" 20)"
row "  minimal Bubble Tea program, 60 fps (the floor)" "" "median $fl_med, p90 $fl_p90 ms" ""
row "  tmux echoing a byte (no Bubble Tea)" "" "median $te_med ms" ""
due_net=$(awk -v a="$due_ms" -v b="$help_ms" 'BEGIN {printf "%.1f", a - b}')
row "due --within 7 --json beyond the process start" "≤ 20 ms" "$due_ms − $help_ms (--help) = $due_net ms" "$(ok "$due_net" 20)" "$(ratio "$due_net" 20)"
d7=$(metric BenchmarkDue7 p50-ms "$out/store.bench")
row "  of which the query" "" "p50 $d7 ms" ""
rss=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k/1024}')
row "peak RSS while browsing (UI in tmux)" "≤ 60 MB" "$rss MB" "$(ok "$rss" 60)" "$(ratio "$rss" 60)"
for b in Counts QueuePage Inbox CasesPage CaseDetail ReportFlow; do row "  store $b" "" "$(nsop Benchmark$b "$out/store.bench") ms/op" ""; done
# generate: the whole command when this run made the file (the target: ten million in ten minutes).
if [ -s "$gen_time" ]; then
  read -r gw gc < "$gen_time"
  gr=$(awk -v n="$cases" -v w="$gw" 'BEGIN { printf "%.0f", n / w }'); grc=$(awk -v n="$cases" -v w="$gc" 'BEGIN { printf "%.0f", n / w }')
  row "generate $cases cases (whole command)" "≥ 17,000/s" "$gr/s wall, $grc/s of CPU ($gw s)" "$(okmin "$gr" 17000)" "$(ratio 17000 "$gr")"
else
  row "generate $cases cases" "≥ 17,000/s" "not run: $db was there already" "-"
fi
# ---- PostgreSQL beside SQLite (issue #17): only when BENCH_POSTGRES is set ------------------------------
# BENCH_POSTGRES=URL names a PostgreSQL server (a database on it where psql may CREATE DATABASE, e.g.
# postgres://postgres@/postgres?host=/tmp/pg). The SQLite bench database is copied once into a database
# of its own, caseload_bench_CASES (reused by later runs: marked by a comment when the copy is whole),
# then the store benchmarks, the key press benchmark, `find` as a whole process and the import rate run
# against it; the rows are marked "PostgreSQL".
if [ -n "${BENCH_POSTGRES:-}" ]; then
  pgdb() { echo "$BENCH_POSTGRES" | sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$1#"; }
  pgsql() { psql "$BENCH_POSTGRES" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
  pgname="caseload_bench_$cases"; pgurl=$(pgdb "$pgname")
  if [ "$(pgsql "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$pgname'")" != "copied from $db" ]; then
    echo "copying $db into PostgreSQL $pgname (once)…" >&2
    pgsql "DROP DATABASE IF EXISTS $pgname" && pgsql "CREATE DATABASE $pgname" &&
      timed "$out/pg-copy" "$bin" copy --from "$db" --to "$pgurl" &&
      pgsql "COMMENT ON DATABASE $pgname IS 'copied from $db'" || failed+=(pg-copy)
  fi
  : > "$out/pg-store.bench"; : > "$out/pg-tui.bench"
  echo "running Go benchmarks on PostgreSQL…" >&2
  CASELOAD_BENCH_DB="$pgurl" bench pg-store "$out/pg-store.bench" go test ./store -run '^$' -bench 'Find$|Due7|QueuePage|Counts|Inbox|CasesPage|CaseDetail' -benchtime 200x -benchmem
  CASELOAD_BENCH_DB="$pgurl" bench pg-tui-keypress "$out/pg-tui.bench" go test ./tui -run '^$' -bench 'Keypress' -benchtime 2000x -benchmem
  CASELOAD_BENCH_DB="$pgurl" bench pg-tui-startup "$out/pg-tui.bench" go test ./tui -run '^$' -bench 'Startup' -benchtime 20x -benchmem
  pg_find=$(median_ms "$bin" --db "$pgurl" --today $today find smi --json --limit 50)
  pg_due=$(median_ms "$bin" --db "$pgurl" --today $today due --within 7 --json)
  # The same CSVs as SQLite's: into an empty database, and into a copy of the bench one (a template copy).
  echo "importing into PostgreSQL…" >&2
  pgsql "DROP DATABASE IF EXISTS caseload_bench_empty" && pgsql "CREATE DATABASE caseload_bench_empty" &&
    timed "$out/pg-imp-empty" "$bin" --db "$(pgdb caseload_bench_empty)" --today $today --user bench import "$out/import.csv" || failed+=(pg-import-empty)
  pgsql "DROP DATABASE IF EXISTS caseload_bench_empty"
  pgsql "DROP DATABASE IF EXISTS caseload_bench_into" && pgsql "CREATE DATABASE caseload_bench_into TEMPLATE $pgname" &&
    timed "$out/pg-imp-into" "$bin" --db "$(pgdb caseload_bench_into)" --today $today --user bench import "$out/import-into.csv" || failed+=(pg-import-into)
  pgsql "DROP DATABASE IF EXISTS caseload_bench_into"
  row "PostgreSQL (the same $cases cases, copied)" "" "$(cut -d' ' -f1 "$out/pg-copy" 2>/dev/null || echo reused) s copy" ""
  for s in inbox queue due cases search-results search-typing detail; do
    p99=$(metric "BenchmarkKeypress/$s" p99-ms "$out/pg-tui.bench"); al=$(awk -v b="BenchmarkKeypress/$s" '$1 ~ "^"b"(-[0-9]+)?$" {print $(NF-1)}' "$out/pg-tui.bench")
    row "PostgreSQL key press to frame, $s" "p99 ≤ 1 ms" "p99 $p99 ms, $al allocs" "$(ok "$p99" 1)" "$(ratio "$p99" 1)"
  done
  fp99=$(metric BenchmarkFind p99-ms "$out/pg-store.bench"); fp50=$(metric BenchmarkFind p50-ms "$out/pg-store.bench")
  row "PostgreSQL lookup as you type (every prefix of 7 queries)" "p99 ≤ 10 ms" "p50 $fp50, p99 $fp99 ms" "$(ok "$fp99" 10)" "$(ratio "$fp99" 10)"
  row "PostgreSQL find smi --json --limit 50, whole process" "" "$pg_find ms (SQLite $pf ms)" ""
  pg_due_net=$(awk -v a="$pg_due" -v b="$help_ms" 'BEGIN {printf "%.1f", a - b}')
  row "PostgreSQL due --within 7 --json beyond the process start" "≤ 20 ms" "$pg_due − $help_ms (--help) = $pg_due_net ms" "$(ok "$pg_due_net" 20)" "$(ratio "$pg_due_net" 20)"
  row "  PostgreSQL Due7 query" "" "p50 $(metric BenchmarkDue7 p50-ms "$out/pg-store.bench") ms" ""
  st=$(nsop BenchmarkStartup/all "$out/pg-tui.bench")
  row "PostgreSQL start-up to first complete frame" "≤ 150 ms" "$st ms" "$(ok "$st" 150)" "$(ratio "$st" 150)"
  read -r pew pec < "$out/pg-imp-empty" 2>/dev/null; read -r piw pic < "$out/pg-imp-into" 2>/dev/null
  rate() { awk -v n="$irows" -v w="${1:-0}" 'BEGIN { if (w > 0) printf "%.0f", n / w }'; }
  row "PostgreSQL import $irows notices into an empty database" "≥ 100,000/s" "$(rate "$pew")/s wall, client CPU $(rate "$pec")/s" "$(okmin "$(rate "$pew")" 100000)" "$(ratio 100000 "$(rate "$pew")")"
  row "PostgreSQL import $irows notices into the $cases cases" "≥ 50,000/s" "$(rate "$piw")/s wall, client CPU $(rate "$pic")/s" "$(okmin "$(rate "$piw")" 50000)" "$(ratio 50000 "$(rate "$piw")")"
  for b in Counts QueuePage Inbox CasesPage CaseDetail; do row "  PostgreSQL store $b" "" "$(nsop Benchmark$b "$out/pg-store.bench") ms/op" ""; done
fi
# ---- end of PostgreSQL beside SQLite ----------------------------------------------------------------------
for f in "${failed[@]}"; do row "benchmark $f" "runs" "FAILED: see $out/$f.err" "NOT met"; done
exit 0
