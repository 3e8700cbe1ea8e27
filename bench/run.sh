#!/usr/bin/env bash
# Performance of caseload at a million cases: generates the database once (bench/out/1m.db, reused),
# runs the Go benchmarks against it, compares lookup with the sqlite3 shell on the same FTS5 query,
# times `due --within 7`, start-up, key press to screen in tmux, and peak memory while browsing.
# Prints one table: what, target, measured, result. Usage: bench/run.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
out=bench/out; mkdir -p "$out"
db="$out/1m.db"; [ "$cases" = 1000000 ] || db="$out/${cases}.db"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
for tool in sqlite3 tmux; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }; done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bin="$out/caseload"; go build -o "$bin" ./cmd/caseload
today=2026-11-23
if [ ! -s "$db" ]; then
  echo "generating $cases cases into $db (once)…" >&2
  /usr/bin/time -f "%e s" -o "$out/generate.time" "$bin" --db "$db" --today $today --user bench generate --cases "$cases" --seed 1 2>/dev/null | tee "$out/generate.txt"
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
export CASELOAD_BENCH_DB="$PWD/$db" CASELOAD_TODAY=$today

echo "running Go benchmarks…" >&2
go test ./store -run '^$' -bench 'Find$|Due7|QueuePage|Counts|Inbox|CasesPage|CaseDetail' -benchtime 200x -benchmem > "$out/store.bench"
go test ./store -run '^$' -bench 'ReportFlow' -benchtime 3x -benchmem >> "$out/store.bench"
go test ./store -run '^$' -bench 'ImportEmpty' -benchtime 2x -benchmem >> "$out/store.bench"
go test ./store -run '^$' -bench 'ImportInto' -benchtime 1x -benchmem -timeout 30m >> "$out/store.bench"
go test ./tui -run '^$' -bench 'Keypress' -benchtime 2000x -benchmem > "$out/tui.bench"
go test ./tui -run '^$' -bench 'Startup' -benchtime 20x -benchmem >> "$out/tui.bench"
metric() { awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i=2;i<=NF;i++) if ($(i+1)==u) print $i }' "$3" | head -1; }
nsop() { awk -v b="$1" '$1 ~ "^"b"(-[0-9]+)?$" { print $3/1e6 }' "$2" | head -1; }

echo "comparing lookup with the sqlite3 shell…" >&2
# The statement store.Find runs for the words "smi" and "carter lowe", limit 50, with the same columns
# (read from store/cases.go, so the two cannot drift apart).
cols=$(awk '/^const caseColumns = `/ {on=1} on {print} on && /`$/ {exit}' store/cases.go | sed 's/^const caseColumns = `//; s/`$//' | tr -d '\t\n')
[ -n "$cols" ] || { echo "could not read caseColumns from store/cases.go" >&2; exit 1; }
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
go test ./store -run '^$' -bench 'FindOne' -benchtime 200x > "$out/findone.bench"
o1=$(metric 'BenchmarkFindOne/smi' p50-ms "$out/findone.bench"); o2=$(metric 'BenchmarkFindOne/carter_lowe' p50-ms "$out/findone.bench")

echo "timing due --within 7…" >&2
due_ms=$(for i in $(seq 11); do s=$(date +%s%N); "$bin" --db "$db" due --within 7 --json >/dev/null; e=$(date +%s%N); echo $(( (e-s)/1000 )); done | sort -n | awk '{a[NR]=$1} END {print a[6]/1000}')

echo "key press to screen in tmux (a control-mode client, no process per sample)…" >&2
go test ./cmd/caseload -run '^$' -bench 'TmuxKeyToScreen' -benchtime 100x > "$out/tmux.bench"
lat_med=$(metric 'BenchmarkTmuxKeyToScreen/cases' p50-ms "$out/tmux.bench"); lat_p90=$(metric 'BenchmarkTmuxKeyToScreen/cases' p90-ms "$out/tmux.bench")
fl_med=$(metric 'BenchmarkTmuxKeyToScreen/floor' p50-ms "$out/tmux.bench"); fl_p90=$(metric 'BenchmarkTmuxKeyToScreen/floor' p90-ms "$out/tmux.bench")
te_med=$(metric 'BenchmarkTmuxKeyToScreen/tmux-echo' p50-ms "$out/tmux.bench")

echo "memory while browsing…" >&2
sess=caseload-bench; tmux kill-session -t $sess 2>/dev/null || true
tmux new-session -d -s $sess -x 100 -y 30 -e NO_COLOR=1 "$bin --db $db --today $today --user bench"
for i in $(seq 100); do tmux capture-pane -p -t $sess | grep -q "Inbox" && break; sleep 0.05; done
for k in 4 j j k G g 1 2 3 / s m i t h Escape 4 G g 1; do tmux send-keys -t $sess "$k"; sleep 0.2; done
pid=$(tmux list-panes -t $sess -F '#{pane_pid}')
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
tmux kill-session -t $sess

row() { printf '| %-58s | %-16s | %-22s | %-4s |\n' "$1" "$2" "$3" "$4"; }
ok() { awk -v a="$1" -v b="$2" 'BEGIN { print (a+0 <= b+0) ? "met" : "NOT met" }'; }
okmin() { awk -v a="$1" -v b="$2" 'BEGIN { print (a+0 >= b+0) ? "met" : "NOT met" }'; }
echo
echo "caseload benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $cases cases"
row "what" "target" "measured" "ok"
row "----" "------" "--------" "--"
for s in inbox queue due cases search-results search-typing detail; do
  p99=$(metric "BenchmarkKeypress/$s" p99-ms "$out/tui.bench"); al=$(awk -v b="BenchmarkKeypress/$s" '$1 ~ "^"b"(-[0-9]+)?$" {print $(NF-1)}' "$out/tui.bench")
  row "key press to frame (Update+View), $s" "p99 ≤ 1 ms" "p99 $p99 ms, $al allocs" "$(ok "$p99" 1)"
done
fp99=$(metric BenchmarkFind p99-ms "$out/store.bench"); fp50=$(metric BenchmarkFind p50-ms "$out/store.bench")
row "lookup as you type (every prefix of 7 queries)" "p99 ≤ 10 ms" "p50 $fp50, p99 $fp99 ms" "$(ok "$fp99" 10)"
r1=$(awk -v a="$o1" -v b="$s1" 'BEGIN {printf "%.2f", a/b}'); r2=$(awk -v a="$o2" -v b="$s2" 'BEGIN {printf "%.2f", a/b}')
row "lookup 'smi' vs sqlite3 shell, same statement and columns" "≤ 1.5×" "$o1 vs $s1 ms = ${r1}×" "$(ok "$r1" 1.5)"
row "lookup 'carter lowe' vs sqlite3 shell" "≤ 1.5×" "$o2 vs $s2 ms = ${r2}×" "$(ok "$r2" 1.5)"
st=$(nsop BenchmarkStartup/all "$out/tui.bench"); sj=$(nsop BenchmarkStartup/admin-court-jr "$out/tui.bench")
row "start-up to first complete frame (queries + View)" "≤ 150 ms" "$st ms" "$(ok "$st" 150)"
row "  limited to the Administrative Court (--jurisdiction)" "≤ 150 ms" "$sj ms" "$(ok "$sj" 150)"
ie=$(metric BenchmarkImportEmpty notices/s "$out/store.bench"); ii=$(metric BenchmarkImportInto notices/s "$out/store.bench")
row "import into an empty database" "≥ 100,000/s" "$ie /s" "$(okmin "$ie" 100000)"
row "import into the $cases-case database" "≥ 50,000/s" "$ii /s" "$(okmin "$ii" 50000)"
row "key press to screen in tmux (cases list, j/k)" "median ≤ 12, p90 ≤ 20 ms" "median $lat_med, p90 $lat_p90 ms" "$( [ "$(ok "$lat_med" 12)" = met ] && [ "$(ok "$lat_p90" 20)" = met ] && echo met || echo 'NOT met')"
row "  minimal Bubble Tea program, 60 fps (the floor)" "" "median $fl_med, p90 $fl_p90 ms" ""
row "  tmux echoing a byte (no Bubble Tea)" "" "median $te_med ms" ""
row "caseload due --within 7 (whole command)" "≤ 20 ms" "$due_ms ms" "$(ok "$due_ms" 20)"
d7=$(metric BenchmarkDue7 p50-ms "$out/store.bench")
row "  of which the query" "" "p50 $d7 ms" ""
rss=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k/1024}')
row "peak RSS while browsing (UI in tmux)" "≤ 60 MB" "$rss MB" "$(ok "$rss" 60)"
for b in Counts QueuePage Inbox CasesPage CaseDetail ReportFlow; do row "  store $b" "" "$(nsop Benchmark$b "$out/store.bench") ms/op" ""; done
[ -f "$out/generate.txt" ] && row "  generate" "" "$(cat "$out/generate.txt")" ""
exit 0
