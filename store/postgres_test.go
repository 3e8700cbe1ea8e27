package store

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the plain driver, to make and drop test schemas
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
	{"TestImportParseErrorChangesNothing", TestImportParseErrorChangesNothing},
	{"TestImportFormatsAndAssignedReferences", TestImportFormatsAndAssignedReferences},
	{"TestEventsAreAppendOnly", TestEventsAreAppendOnly},
	{"TestCategoriseDeadlinesUndo", TestCategoriseDeadlinesUndo},
	{"TestStatementOfCaseAndDue", TestStatementOfCaseAndDue},
	{"TestFind", TestFind},
	{"TestInboxSnoozeDismiss", TestInboxSnoozeDismiss},
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
	{"TestQueriesAndComplaintsReports", TestQueriesAndComplaintsReports},
	{"TestSupportAndFeesReports", TestSupportAndFeesReports},
	{"TestMailImportLinkReply", TestMailImportLinkReply},
}

func TestPostgreSQL(t *testing.T) {
	if os.Getenv("CASELOAD_TEST_POSTGRES") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CASELOAD_TEST_POSTGRES is not set under CI=true: the store suite must also run on PostgreSQL (.ci/run starts a server)")
		}
		t.Skip("CASELOAD_TEST_POSTGRES is not set: the store tests ran on SQLite only (set it to a postgres:// URL to run them on PostgreSQL too)")
	}
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

// freshPostgres makes an empty schema on the test server and returns a URL
// whose connections use it.
func freshPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("CASELOAD_TEST_POSTGRES")
	if base == "" {
		t.Skip("CASELOAD_TEST_POSTGRES is not set")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema on %s: %v", redactURL(base), err)
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

// testFiles is the files folder of a test's store: beside the file on
// SQLite (""), a temporary folder on PostgreSQL.
func testFiles(t *testing.T) string {
	if !onPostgres(t) {
		return ""
	}
	return filepath.Join(t.TempDir(), "files")
}
