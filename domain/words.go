package domain

import "fmt"

// DaysWords says how far away a date n days from today is: "today",
// "tomorrow", "in 3 days", "1 day overdue".
func DaysWords(n int) string {
	switch {
	case n < -1:
		return fmt.Sprintf("%d days overdue", -n)
	case n == -1:
		return "1 day overdue"
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}
