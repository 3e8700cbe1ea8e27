package store

import (
	"context"
	"strconv"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// WorkloadReport is Workload as a report, for the Reports screen (and its
// CSV export): one row per owner, then the work no one owns.
func (s *Store) WorkloadReport(ctx context.Context, today domain.Date) (*report.Report, error) {
	lines, err := s.Workload(ctx, today)
	if err != nil {
		return nil, err
	}
	// Narrow enough for 80 columns: the role is on the users list, and
	// "today" is in the title.
	t := report.Table{Title: "Open work by owner, decided and reassigned today", Chart: "Cases",
		Columns: []string{"Owner", "Cases", "Mail", "Oldest", "Oldest item", "Decided", "Reassigned"}}
	for _, l := range lines {
		name, oldest := l.Owner, ""
		if name == "" {
			name = "(available)"
		}
		if !l.Oldest.IsZero() {
			oldest = l.Oldest.UK()
		}
		t.Rows = append(t.Rows, []string{name, strconv.Itoa(l.OpenCases), strconv.Itoa(l.OpenMail),
			oldest, l.OldestItem, strconv.Itoa(l.DecidedToday), strconv.Itoa(l.Reassignments)})
	}
	return &report.Report{Name: "workload", Title: "Workload", From: today, To: today, By: "day", Tables: []report.Table{t},
		Notes: []string{
			"Cases: open cases (not closed or returned) the owner holds; Mail: open messages they hold.",
			"Oldest: the earliest received item they hold (a case by reference, or their oldest message).",
			"Decided: appeals categorised or cases disposed of today by that user.",
			"Reassigned: items reassigned to or from them today; on the available line, messages reassigned today.",
		}}, nil
}
