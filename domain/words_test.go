package domain

import "testing"

func TestDaysWords(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{-400, "400 days overdue"}, {-2, "2 days overdue"}, {-1, "1 day overdue"}, {0, "today"},
		{1, "tomorrow"}, {2, "in 2 days"}, {28, "in 28 days"},
	} {
		if got := DaysWords(tc.n); got != tc.want {
			t.Errorf("DaysWords(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
