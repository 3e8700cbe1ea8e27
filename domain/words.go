package domain

import "strconv"

// DaysWords says how far away a date n days from today is: "today",
// "tomorrow", "in 3 days", "1 day overdue".
func DaysWords(n int) string {
	switch {
	case n < -1:
		return strconv.Itoa(-n) + " days overdue" // every due row, every frame: no Sprintf
	case n == -1:
		return "1 day overdue"
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return "in " + strconv.Itoa(n) + " days"
}
