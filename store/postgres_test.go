package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/pgtest"
)

// The store tests below run a second time on PostgreSQL, each in a fresh
// schema of the server CASELOAD_TEST_POSTGRES names (a postgres:// URL of a
// database the user may create schemas in; .ci/run starts one). Without
// it they are skipped with a message, except under CI=true, where a
// skipped PostgreSQL run is a failure.
var postgresSuite = []struct {
	name string
	test func(*testing.T)
}{
	{"TestImportIdempotentAndAtomic", TestImportIdempotentAndAtomic},
	{"TestBulkImportWritesWhatTheRowPathWrites", TestBulkImportWritesWhatTheRowPathWrites},
	{"TestBulkImportProblemsChangeNothing", TestBulkImportProblemsChangeNothing},
	{"TestBulkImportSkipInvalidAsTheRowPath", TestBulkImportSkipInvalidAsTheRowPath},
	{"TestImportReferenceTwiceInOneFile", TestImportReferenceTwiceInOneFile},
	{"TestImportParseErrorChangesNothing", TestImportParseErrorChangesNothing},
	{"TestImportFormatsAndAssignedReferences", TestImportFormatsAndAssignedReferences},
	{"TestEventsAreAppendOnly", TestEventsAreAppendOnly},
	{"TestCategoriseDeadlinesUndo", TestCategoriseDeadlinesUndo},
	{"TestStatementOfCaseAndDue", TestStatementOfCaseAndDue},
	{"TestFind", TestFind},
	{"TestFindBoundedSameAsPlain", TestFindBoundedSameAsPlain},
	{"TestFindQualifiersFollowTheCase", TestFindQualifiersFollowTheCase},
	{"TestInboxSnoozeDismiss", TestInboxSnoozeDismiss},
	{"TestRecalcWhenRulesChange", TestRecalcWhenRulesChange},
	{"TestRefusals", TestRefusals},
	{"TestDirectionsCalendarsAndService", TestDirectionsCalendarsAndService},
	{"TestReportsSpeakThePacksWords", TestReportsSpeakThePacksWords},
	{"TestImportContactsCSVAndJSON", TestImportContactsCSVAndJSON},
	{"TestSaveLetterIsARecord", TestSaveLetterIsARecord},
	{"TestAllocatedOnAndLetterFacts", TestAllocatedOnAndLetterFacts},
	{"TestLettersOfACase", TestLettersOfACase},
	{"TestAttachmentsRefusePlantedLinkInSharedFolder", TestAttachmentsRefusePlantedLinkInSharedFolder},
	{"TestAttachmentOrphansNeverReusedAndChecked", TestAttachmentOrphansNeverReusedAndChecked},
	{"TestManyAttachmentsOneName", TestManyAttachmentsOneName},
	{"TestAttachmentNameLosesBidiAndInvisibles", TestAttachmentNameLosesBidiAndInvisibles},
	{"TestMailDatedBefore1970TakenAsUndated", TestMailDatedBefore1970TakenAsUndated},
	{"TestExportSafeForTerminalsAndSpreadsheets", TestExportSafeForTerminalsAndSpreadsheets},
	{"TestRecategorisationRefusalNamesWhoAllocated", TestRecategorisationRefusalNamesWhoAllocated},
	{"TestJudicialReviewBesideTax", TestJudicialReviewBesideTax},
	{"TestReturnAndReopenByReimport", TestReturnAndReopenByReimport},
	{"TestLateAppealPermission", TestLateAppealPermission},
	{"TestExtensionDirectionHearingFlags", TestExtensionDirectionHearingFlags},
	{"TestGroupsSuggestAndCreate", TestGroupsSuggestAndCreate},
	{"TestSnoozeIsOnTheTimelineAndUndone", TestSnoozeIsOnTheTimelineAndUndone},
	{"TestSnoozeOfOverdueDeadlineCapped", TestSnoozeOfOverdueDeadlineCapped},
	{"TestQueueAfterPagesThroughTheWholeQueue", TestQueueAfterPagesThroughTheWholeQueue},
	{"TestMeetDeadlineRecordsTheStepDated", TestMeetDeadlineRecordsTheStepDated},
	{"TestResolveChasedLogsAndSnoozesInOneGo", TestResolveChasedLogsAndSnoozesInOneGo},
	{"TestResolveReferredAndOtherItems", TestResolveReferredAndOtherItems},
	{"TestUndoRefusesAnAllocationUnderADisposal", TestUndoRefusesAnAllocationUnderADisposal},
	{"TestNoUsersKeepsOnePersonMode", TestNoUsersKeepsOnePersonMode},
	{"TestUsersAndKeys", TestUsersAndKeys},
	{"TestRolesEnforcedOnWrites", TestRolesEnforcedOnWrites},
	{"TestTakeReleaseAssign", TestTakeReleaseAssign},
	{"TestClaimRace", TestClaimRace},
	{"TestTakeNext", TestTakeNext},
	{"TestQueueReservationsOneCardEach", TestQueueReservationsOneCardEach},
	{"TestDistributionAndQueueFor", TestDistributionAndQueueFor},
	{"TestSessionsAppendOnly", TestSessionsAppendOnly},
	{"TestMailOwnership", TestMailOwnership},
	{"TestReportsHandCounted", TestReportsHandCounted},
	{"TestReportPeriodsAndBadInput", TestReportPeriodsAndBadInput},
	{"TestNoReportCalledListsEveryReport", TestNoReportCalledListsEveryReport},
	{"TestQueryOnCaseAndFirstContact", TestQueryOnCaseAndFirstContact},
	{"TestQueryPassedThenResolvedIsNotFirstContact", TestQueryPassedThenResolvedIsNotFirstContact},
	{"TestQueryBadInputChangesNothing", TestQueryBadInputChangesNothing},
	{"TestContactsMatchedNeverMergedSilently", TestContactsMatchedNeverMergedSilently},
	{"TestQueriesRiseInInboxByServiceLevel", TestQueriesRiseInInboxByServiceLevel},
	{"TestComplaintNeverClosedWithoutResponse", TestComplaintNeverClosedWithoutResponse},
	{"TestSupportNeeds", TestSupportNeeds},
	{"TestFeesPaymentsRemission", TestFeesPaymentsRemission},
	{"TestImportedMailBecomesQuery", TestImportedMailBecomesQuery},
	{"TestSetTopicMovesServiceLevel", TestSetTopicMovesServiceLevel},
	{"TestFeeDueWhenTheStepIsRecorded", TestFeeDueWhenTheStepIsRecorded},
	{"TestHearingNeedsInReadinessCheck", TestHearingNeedsInReadinessCheck},
	{"TestDefendantsCaseload", TestDefendantsCaseload},
	{"TestSideOrderInBatchesAsOneItemAtATime", TestSideOrderInBatchesAsOneItemAtATime},
	{"TestQueriesAndComplaintsReports", TestQueriesAndComplaintsReports},
	{"TestSupportAndFeesReports", TestSupportAndFeesReports},
	{"TestMailImportLinkReply", TestMailImportLinkReply},
	{"TestCasesByAppellantInOneOrder", TestCasesByAppellantInOneOrder},
}

func TestPostgreSQL(t *testing.T) {
	pgtest.Require(t)
	for _, tc := range postgresSuite {
		t.Run(tc.name, tc.test)
	}
}

// onPostgres: t is one of the PostgreSQL run's subtests (or theirs).
func onPostgres(t *testing.T) bool { return strings.HasPrefix(t.Name(), "TestPostgreSQL/") }

// testDB is where a test's store lives: a file in t.TempDir() on SQLite,
// a fresh schema (dropped at the end) on PostgreSQL.
func testDB(t *testing.T) string {
	t.Helper()
	if !onPostgres(t) {
		return filepath.Join(t.TempDir(), "data", "caseload.db")
	}
	return freshPostgres(t)
}

// freshPostgres is a fresh schema on the test server (pgtest).
func freshPostgres(t *testing.T) string {
	t.Helper()
	return pgtest.Fresh(t)
}

// testFiles is the files folder of a test's store: beside the file on
// SQLite (""), a temporary folder on PostgreSQL.
func testFiles(t *testing.T) string {
	if !onPostgres(t) {
		return ""
	}
	return filepath.Join(t.TempDir(), "files")
}

// TestPostgreSQLTwoServersDecideEachAppealOnce: two stores on one database
// (two servers), four caseworkers on each, all working down the same queue
// at once, each deciding whatever the queue shows first: every appeal is
// decided exactly once, and every caseworker who lost a race was told it
// was already decided.
func TestPostgreSQLTwoServersDecideEachAppealOnce(t *testing.T) {
	const appeals = 40
	servers := twoServersWithQueue(t, appeals)
	var wg sync.WaitGroup
	var mu sync.Mutex
	decided, lost := map[string]string{}, 0
	for w := range 8 {
		s := servers[w%2]
		user := fmt.Sprintf("cw%d", w)
		wg.Go(func() {
			for {
				q, err := s.Queue(ctx, 1)
				if err != nil {
					t.Error(err)
					return
				}
				if len(q) == 0 {
					return
				}
				_, err = s.Categorise(ctx, q[0].Reference, domain.Basic,
					CategoriseOptions{ActOptions: ActOptions{User: user, On: today}, ExpectNew: true})
				mu.Lock()
				switch {
				case err == nil:
					if by, twice := decided[q[0].Reference]; twice {
						t.Errorf("%s decided by %s and again by %s", q[0].Reference, by, user)
					}
					decided[q[0].Reference] = user
				case errors.Is(err, ErrAlreadyDecided):
					lost++
				default:
					t.Errorf("%s: %v", user, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(decided) != appeals {
		t.Errorf("%d appeals decided, want %d", len(decided), appeals)
	}
	var events int
	servers[1].db.QueryRow("SELECT count(*) FROM events WHERE kind = 'allocated'").Scan(&events)
	if events != appeals {
		t.Errorf("%d allocation events, want one for each of %d appeals", events, appeals)
	}
	t.Logf("%d races lost and told so", lost)
	for _, s := range servers {
		mustCheck(t, s)
	}
}

// TestPostgreSQLHistoryRefusedByPrivileges: the application role set up as
// the README says may add events but neither change nor remove them (the
// server refuses before the trigger is reached), while the owner is
// stopped by the trigger.
func TestPostgreSQLHistoryRefusedByPrivileges(t *testing.T) {
	url := freshPostgres(t)
	s, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, []string{write(t, "s.csv", sampleCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("UPDATE events SET detail = 'x'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("owner's update: %v", err)
	}
	role := "caseload_app_" + strings.TrimPrefix(strings.Split(strings.SplitAfter(url, "search_path=")[1], ",")[0], "t_")
	for _, q := range []string{"CREATE ROLE " + role + " LOGIN", "SELECT caseload_grant_app('" + role + "')"} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		s.db.Exec("DROP OWNED BY " + role)
		s.db.Exec("DROP ROLE " + role)
	})
	app, err := Open(strings.Replace(url, "postgres://postgres@", "postgres://"+role+"@", 1), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, err := app.Categorise(ctx, "TC/2026/05001", domain.Basic, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatalf("the application role records an event: %v", err)
	}
	// Not the tables' owner, it imports through the bulk path with the
	// tally row triggers kept on (pgTalliesBySet), and check agrees.
	if _, err := app.Import(ctx, []string{bulkFile(t)}, ImportOptions{ActOptions: act(), BulkThreshold: 1}); err != nil {
		t.Fatalf("the application role's bulk import: %v", err)
	}
	for _, q := range []string{"UPDATE events SET detail = 'x'", "DELETE FROM events", "TRUNCATE events", "DELETE FROM mail_events", "UPDATE letters SET title = ''"} {
		if _, err := app.db.Exec(q); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as the application role: %v", q, err)
		}
	}
	mustCheck(t, app)
}

// TestPostgreSQLSchemaKeepsUpWithSQLite: every SQLite schema has its
// PostgreSQL migration (a new migrations/000N_*.sql needs a
// migrations/postgres/000N_*.sql).
func TestPostgreSQLSchemaKeepsUpWithSQLite(t *testing.T) {
	versions, _ := postgresSchemas()
	if got := versions[len(versions)-1]; got != SchemaVersion() {
		t.Errorf("PostgreSQL schema %d, SQLite schema %d: add migrations/postgres/%04d_….sql", got, SchemaVersion(), SchemaVersion())
	}
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT id FROM events WHERE user = ? AND kind = ?", `SELECT id FROM events WHERE "user" = $1 AND kind = $2`},
		{"SELECT 'user ? it''s' , \"user\" FROM t WHERE a = ?", `SELECT 'user ? it''s' , "user" FROM t WHERE a = $1`},
		{"WHERE a <= ?1 AND b BETWEEN ?2 AND ?1", "WHERE a <= $1 AND b BETWEEN $2 AND $1"},
		{"FROM deadlines d INDEXED BY deadlines_warn CROSS JOIN cases c ON c.id = d.case_id", "FROM deadlines d  JOIN cases c ON c.id = d.case_id"},
		{"x LIKE ? ESCAPE '\\' AND users.name = e.user -- user ?\n", "x ILIKE $1 ESCAPE '\\' AND users.name = e.\"user\" -- user ?\n"},
		{"d.label || char(31) || d.due, 1e9, users", "d.label || chr(31) || d.due, 1e9, users"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestTSQuery(t *testing.T) {
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"smi"}, "('smi':*)"},
		{[]string{"TC/2026/01"}, "('tc' <-> '2026' <-> '01':*)"},
		{[]string{"o'brien", "j"}, "('o' <-> 'brien':*)"},
		{[]string{`"&|!:*`}, ""},
		{[]string{"Émile", "ltd"}, "('émile':*) & ('ltd':*)"},
	} {
		if got := tsQuery(c.words); got != c.want {
			t.Errorf("tsQuery(%q) = %q, want %q", c.words, got, c.want)
		}
	}
}

// TestPostgreSQLWatchHearsAnotherServer: a change committed through one
// store reaches the Watch of another on the same database (LISTEN/NOTIFY).
func TestPostgreSQLWatchHearsAnotherServer(t *testing.T) {
	url := freshPostgres(t)
	a, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	heard := make(chan struct{}, 16)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Watch(wctx, 50*time.Millisecond, func() { heard <- struct{}{} })
	time.Sleep(300 * time.Millisecond) // listening
	if _, err := a.Import(ctx, []string{write(t, "s.csv", sampleCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-time.After(5 * time.Second):
		t.Fatal("the other server's Watch heard nothing of the import within 5 s")
	}
}

// TestImportReferenceTwiceInOneFile: a reference twice in one file is a
// problem on its line, on both databases (on PostgreSQL a failed insert
// would have ended the transaction).
func TestImportReferenceTwiceInOneFile(t *testing.T) {
	s := open(t)
	twice := sampleCSV + "TC/2026/05001,2026-11-12,2026-10-30,Another Person,,HMRC,vat,5.00,Other grounds.,SA-10,\n"
	res, err := s.Import(ctx, []string{write(t, "twice.csv", twice)}, ImportOptions{ActOptions: act()})
	if err == nil || res.Imported != 0 || !strings.Contains(fmt.Sprint(res.Problems), "TC/2026/05001 is already on line 2") {
		t.Fatalf("import with a reference twice: %+v %v", res, err)
	}
	res, err = s.Import(ctx, []string{write(t, "twice.csv", twice)}, ImportOptions{ActOptions: act(), SkipInvalid: true})
	if err != nil || res.Imported != 3 {
		t.Fatalf("with --skip-invalid: %+v %v", res, err)
	}
	mustCheck(t, s)
}

// TestPostgreSQLNewerOrForeignRefused: a database from a newer caseload,
// or one holding other tables, is refused untouched.
func TestPostgreSQLNewerOrForeignRefused(t *testing.T) {
	url := freshPostgres(t)
	s, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec("UPDATE caseload_schema SET version = 99")
	s.Close()
	if _, err := Open(url, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("newer schema: %v", err)
	}
	other := freshPostgres(t)
	db, err := openPostgres(other)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE invoices (id bigint)"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(other, Options{}); err == nil || !strings.Contains(err.Error(), "not a caseload database") {
		t.Errorf("foreign tables: %v", err)
	}
	var n int
	db.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&n)
	if n != 1 {
		t.Errorf("the foreign database now has %d tables, want its 1", n)
	}
	if _, err := Open(freshPostgres(t), Options{MustExist: true}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("an empty database opened for a command that needs one: %v", err)
	}
}

// TestPostgreSQLTakeNextSkipsLocked: claimers of the next appeal on two
// servers pass over the appeal another transaction has locked instead of
// waiting for it (the claim below returns while the lock is held; waiting
// would hang until the context's deadline), and eight at once, four on
// each server, each take different appeals until none is left: every
// appeal taken exactly once, no claim failed.
func TestPostgreSQLTakeNextSkipsLocked(t *testing.T) {
	const appeals = 40
	servers := twoServersWithQueue(t, appeals)

	// Another claimer's transaction, still open, has the head of the queue.
	held, err := servers[0].db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := held.QueryRowContext(ctx, "SELECT id FROM cases WHERE reference = 'TC/2026/06000' FOR UPDATE").Scan(&id); err != nil {
		t.Fatal(err)
	}
	quick, cancel := context.WithTimeout(ctx, 10*time.Second)
	it, err := servers[1].TakeNext(quick, ActOptions{User: "cw0", On: today})
	cancel()
	held.Rollback()
	if err != nil || it.Reference != "TC/2026/06001" {
		t.Fatalf("take next beside a locked head of the queue = %v %v, want TC/2026/06001 at once", it, err)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := map[string]string{"TC/2026/06001": "cw0"}
	for w := range 8 {
		s := servers[w%2]
		user := fmt.Sprintf("cw%d", w+1)
		wg.Go(func() {
			for {
				it, err := s.TakeNext(ctx, ActOptions{User: user, On: today})
				if errors.Is(err, ErrNothingToTake) {
					return
				}
				mu.Lock()
				if err != nil {
					t.Errorf("%s: %v", user, err)
				} else if by, twice := taken[it.Reference]; twice {
					t.Errorf("%s taken by %s and again by %s", it.Reference, by, user)
				} else {
					taken[it.Reference] = user
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(taken) != appeals {
		t.Errorf("%d appeals taken, want %d", len(taken), appeals)
	}
	var events int
	servers[1].db.QueryRow("SELECT count(*) FROM events WHERE kind = 'taken'").Scan(&events)
	if events != appeals {
		t.Errorf("%d taken events, want one for each of %d appeals", events, appeals)
	}
	mustCheck(t, servers[0])
}

// twoServersWithQueue opens two stores (two servers) on a fresh PostgreSQL
// database holding a queue of n new appeals, TC/2026/06000 onwards.
func twoServersWithQueue(t *testing.T, n int) []*Store {
	t.Helper()
	url := freshPostgres(t)
	var servers []*Store
	for range 2 {
		s, err := Open(url, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		servers = append(servers, s)
	}
	var csv strings.Builder
	csv.WriteString("reference,received,decision_date,appellant,subject,amount,grounds,hmrc_reference\n")
	for i := range n {
		fmt.Fprintf(&csv, "TC/2026/%05d,2026-11-10,2026-10-30,Person %d,vat,100,Grounds.,V-%d\n", 6000+i, i, i)
	}
	if r, err := servers[0].Import(ctx, []string{write(t, "q.csv", csv.String())}, ImportOptions{ActOptions: act()}); err != nil || r.Imported != n {
		t.Fatalf("import: %+v %v", r, err)
	}
	return servers
}
