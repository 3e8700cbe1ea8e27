package store

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// bulkFile mixes every kind of row the set path and the row path share:
// tribunal notices with references (some late, some with addresses), rows
// with no reference (assigned one), judicial review intakes (stage events
// and deadlines), and one notice already held.
func bulkFile(t *testing.T) string {
	var b strings.Builder
	b.WriteString("reference,jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason,appellant_email,representative_address\n")
	for i := 1; i <= 60; i++ {
		switch {
		case i%17 == 0:
			fmt.Fprintf(&b, ",,,2026-11-%02d,2026-10-01,No Ref %d,,,vat,%d.00,Assigned a reference %d,,,,\n", i%12+1, i, i, i)
		case i%13 == 0:
			fmt.Fprintf(&b, "AC-2026-LON-%06d,admin-court-jr,claim-issued,2026-11-%02d,2026-10-01,R (Claimant %d),Leigh Day,Home Office,judicial-review,,Policy misapplied %d,,,,\n", i, i%12+1, i, i)
		default:
			decided := "2026-10-20"
			if i%7 == 0 {
				decided = "2026-06-01" // late: needs permission
			}
			email, addr := "", ""
			if i%5 == 0 {
				email, addr = fmt.Sprintf("a%d@example.org", i), "1 High Street, Leeds"
			}
			fmt.Fprintf(&b, "TC/2026/%06d,,,2026-11-%02d,%s,Appellant %d Smith,Rep %d LLP,,%s,%d.00,Grounds number %d,VAT-%d,,%s,%q\n",
				i+100, i%12+1, decided, i, i%9, []string{"vat", "income-tax", "late-filing-penalty"}[i%3], i*37, i, i, email, addr)
		}
	}
	b.WriteString("TC/2026/05001,,,2026-11-09,2026-10-30,Example Person,,HMRC,late-filing-penalty,100.00,Return was filed on time.,SA-9,,,\n")
	return write(t, "bulk.csv", b.String())
}

// dump is everything an import writes, keyed by reference rather than id
// (the row path numbers cases in file order; the bulk path numbers the rows
// it moves first and the rows it leaves to the row code after them), less
// the folder of the temporary file named as the source.
func dump(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	const ref = "(SELECT reference FROM cases c WHERE c.id = %s)"
	queries := map[string]string{
		"cases": `SELECT reference, jurisdiction, received, decision_date, appellant, representative, respondent, subject,
			amount_pence, grounds, hmrc_reference, late_reason, content_hash, suggested_track, suggestion_reason, late, days_late,
			track, status, allocated_on, last_event, search_key / 1000000000, flags, open_referrals, division, owner, side
			FROM cases ORDER BY reference`,
		"events": "SELECT " + fmt.Sprintf(ref, "e.case_id") + ` AS r, on_date, kind, user, detail, data FROM events e ORDER BY r, id`,
		"contacts": "SELECT " + fmt.Sprintf(ref, "x.case_id") + ` AS r, appellant_address, appellant_email, representative_address,
			representative_email, respondent_address, respondent_email FROM case_contacts x ORDER BY r`,
		"deadlines": "SELECT " + fmt.Sprintf(ref, "d.case_id") + ` AS r, kind, label, party, due, rule, provisional, optional, status,
			met_on, anchor, days, moved, citation, previous_due, warn, warning FROM deadlines d ORDER BY r, kind`,
		"counters": "SELECT * FROM counters ORDER BY name",
		"lookup": "SELECT " + fmt.Sprintf(ref, "rowid % 1000000000") + ` AS r FROM case_fts
			WHERE case_fts MATCH 'smith OR claimant OR "no" OR leeds OR "2026"*' ORDER BY r`,
		"lookup2": "SELECT " + fmt.Sprintf(ref, "rowid % 1000000000") + ` AS r FROM case_fts WHERE case_fts MATCH 'gro* AND "rep"' ORDER BY r`,
		"indexes": "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
	}
	if s.pg {
		// The same questions of PostgreSQL's lookup index and indexes (each
		// test store has a schema of its own, left out of the definitions).
		queries["lookup"] = "SELECT " + fmt.Sprintf(ref, "case_id") + ` AS r FROM case_lookup
			WHERE doc @@ to_tsquery('caseload_lookup', 'smith | claimant | no | leeds | 2026:*') ORDER BY r`
		queries["lookup2"] = "SELECT " + fmt.Sprintf(ref, "case_id") + ` AS r FROM case_lookup
			WHERE doc @@ to_tsquery('caseload_lookup', 'gro:* & rep') ORDER BY r`
		queries["indexes"] = `SELECT indexname, replace(indexdef, current_schema() || '.', '') FROM pg_indexes
			WHERE schemaname = current_schema() ORDER BY indexname`
	}
	for name, q := range queries {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], tempDir.ReplaceAllString(fmt.Sprint(vals...), "TMP/"))
		}
		rows.Close()
	}
	return out
}

var tempDir = regexp.MustCompile(`/tmp/[^"]*/`)

func TestBulkImportWritesWhatTheRowPathWrites(t *testing.T) {
	file := bulkFile(t)
	var results []ImportResult
	var dumps []map[string][]string
	for _, threshold := range []int{-1, 1} {
		s := imported(t)
		// A returned notice, resubmitted corrected in the file: reopened.
		if _, err := s.Record(ctx, "TC/2026/05002", domain.Event{Kind: domain.EventReturned, On: today, User: "t",
			Data: domain.EventData{Reasons: []string{"grounds"}}}); err != nil {
			t.Fatal(err)
		}
		corrected := write(t, "corrected.csv", "reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason\n"+
			"TC/2026/05002,2026-11-10,2026-09-15,Sample Trading Ltd,Sample & Co,HMRC,vat,25000,Input tax disallowed on the fit-out.,VAT-9,Illness.\n")
		res, err := s.Import(ctx, []string{file, corrected}, ImportOptions{ActOptions: act(), BulkThreshold: threshold})
		if err != nil {
			t.Fatalf("threshold %d: %v %+v", threshold, err, res.Problems)
		}
		mustCheck(t, s)
		res.at = nil
		results = append(results, res)
		dumps = append(dumps, dump(t, s))
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Errorf("results differ:\nrow path  %+v\nbulk path %+v", results[0], results[1])
	}
	if results[1].Imported != 60 || results[1].Unchanged != 1 || results[1].Reopened != 1 {
		t.Errorf("bulk: %+v", results[1])
	}
	for name, rows := range dumps[0] {
		if !reflect.DeepEqual(rows, dumps[1][name]) {
			t.Errorf("%s differ (%d rows by row, %d bulk)", name, len(rows), len(dumps[1][name]))
			for i := range min(len(rows), len(dumps[1][name])) {
				if rows[i] != dumps[1][name][i] {
					t.Errorf("first difference:\nrow  %s\nbulk %s", rows[i], dumps[1][name][i])
					break
				}
			}
		}
	}
	if len(dumps[1]["lookup"]) < 50 || len(dumps[1]["deadlines"]) == 0 || len(dumps[1]["contacts"]) == 0 {
		t.Errorf("the comparison compares too little: %d lookup rows, %d deadlines, %d contacts",
			len(dumps[1]["lookup"]), len(dumps[1]["deadlines"]), len(dumps[1]["contacts"]))
	}
}

// Bad rows on the bulk path: the same problems, naming file, line and
// field, as the row path, and nothing at all changed.
func TestBulkImportProblemsChangeNothing(t *testing.T) {
	csv := "reference,received,decision_date,appellant,subject,amount,grounds\n" +
		"TC/2026/07001,2026-11-10,2026-10-20,One,vat,1000,Fine.\n" +
		"TC/2026/07002,2026-11-10,2026-10-20,Two,vat,1000,Fine.\n" +
		"TC/2026/05001,2026-11-09,2026-10-30,Someone Else,vat,100.00,Held with other content.\n" +
		"TC/2026/07003,2030-11-10,2026-10-20,Three,vat,1000,Received in the future.\n"
	file := write(t, "bad.csv", csv)
	again := write(t, "again.csv", "reference,received,decision_date,appellant,subject,amount,grounds\n"+
		"TC/2026/07001,2026-11-11,2026-10-20,One Again,vat,1000,In the other file too.\n")
	var probs [2][]string
	for i, threshold := range []int{-1, 1} {
		s := imported(t)
		before := dump(t, s)
		res, err := s.Import(ctx, []string{file, again}, ImportOptions{ActOptions: act(), BulkThreshold: threshold})
		if !errors.Is(err, ErrInvalidImport) {
			t.Fatalf("threshold %d: err %v", threshold, err)
		}
		if res.Imported != 0 || len(res.References) != 0 {
			t.Errorf("threshold %d: counts after a refused import %+v", threshold, res)
		}
		for _, p := range res.Problems {
			probs[i] = append(probs[i], fmt.Sprintf("%d %s %s", p.Line, p.Field, p.Msg))
		}
		if after := dump(t, s); !reflect.DeepEqual(before, after) {
			t.Errorf("threshold %d: a refused import changed the database", threshold)
		}
		mustCheck(t, s)
	}
	want := []string{
		"5 received 10/11/2030 is after today (16/11/2026): not a plausible date",
		"2 reference TC/2026/07001 already exists with different content (received 10/11/2026); correct it in caseload instead of re-importing",
		"4 reference TC/2026/05001 already exists with different content (received 09/11/2026); correct it in caseload instead of re-importing",
	}
	for i := range probs {
		slices.Sort(probs[i])
	}
	slices.Sort(want)
	if !reflect.DeepEqual(probs[0], want) || !reflect.DeepEqual(probs[1], want) {
		t.Errorf("problems:\nrow  %q\nbulk %q\nwant %q", probs[0], probs[1], want)
	}
}

// The due list reads its case columns from the deadlines (schema 6): they
// follow every change of the case in the same transaction, and check says
// when one does not.
func TestDueCarriesTheCaseAndCheckVerifiesIt(t *testing.T) {
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	items, err := s.Due(ctx, today, 400, 0, 50)
	if err != nil || len(items) == 0 {
		t.Fatalf("due: %v %v", items, err)
	}
	for _, it := range items {
		if it.Reference != "TC/2026/05002" || it.Appellant != "Sample Trading Ltd" || it.Track != domain.Standard {
			t.Errorf("due item carries %s / %s / %s", it.Reference, it.Appellant, it.Track)
		}
	}
	// A change of track reaches the deadlines with the change itself.
	if _, err := s.UndoAllocation(ctx, "TC/2026/05002", act()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Complex, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	var tracks []string
	rows, _ := s.db.Query("SELECT DISTINCT case_track FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = 'TC/2026/05002'")
	for rows.Next() {
		var tr string
		rows.Scan(&tr)
		tracks = append(tracks, tr)
	}
	rows.Close()
	if !reflect.DeepEqual(tracks, []string{string(domain.Complex)}) {
		t.Errorf("deadlines carry tracks %v after recategorising as complex", tracks)
	}
	mustCheck(t, s)
	// A copy that drifted from its case (written behind the triggers' back) is found.
	if _, err := s.db.Exec("DROP TRIGGER cases_carry_to_deadlines"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("UPDATE cases SET appellant = 'Renamed Ltd' WHERE reference = 'TC/2026/05002'"); err != nil {
		t.Fatal(err)
	}
	probs, _, err := s.Check(ctx)
	if err != nil || len(probs) != 1 || probs[0].Reference != "TC/2026/05002" || !strings.Contains(probs[0].Problem, "carry another") {
		t.Errorf("check after the copy drifted: %v %+v", err, probs)
	}
}

// --skip-invalid on the bulk path: the good rows imported, the bad ones
// reported, exactly as the row path does.
func TestBulkImportSkipInvalidAsTheRowPath(t *testing.T) {
	file := write(t, "mixed.csv", "reference,received,decision_date,appellant,subject,amount,grounds\n"+
		"TC/2026/07001,2026-11-10,2026-10-20,One,vat,1000,Fine.\n"+
		"TC/2026/05001,2026-11-09,2026-10-30,Someone Else,vat,100.00,Held with other content.\n"+
		"TC/2026/07002,2026-11-10,2026-10-20,Two,vat,1000,Fine too.\n"+
		"TC/2026/07003,2030-11-10,2026-10-20,Three,vat,1000,Received in the future.\n")
	var results []ImportResult
	var dumps []map[string][]string
	for _, threshold := range []int{-1, 1} {
		s := imported(t)
		res, err := s.Import(ctx, []string{file}, ImportOptions{ActOptions: act(), SkipInvalid: true, BulkThreshold: threshold})
		if err != nil {
			t.Fatalf("threshold %d: %v", threshold, err)
		}
		mustCheck(t, s)
		res.at = nil
		results = append(results, res)
		dumps = append(dumps, dump(t, s))
	}
	if !reflect.DeepEqual(results[0], results[1]) || results[1].Imported != 2 || results[1].Rejected != 2 {
		t.Errorf("results:\nrow  %+v\nbulk %+v", results[0], results[1])
	}
	if !reflect.DeepEqual(dumps[0], dumps[1]) {
		t.Errorf("the two paths wrote different rows")
	}
}
