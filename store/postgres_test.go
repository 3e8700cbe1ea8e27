package store

import (
	"path/filepath"
	"strings"
	"testing"

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
