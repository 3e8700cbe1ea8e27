package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseAmount reads an amount of money in pounds, as caseworkers and HMRC
// letters write it: 1234.56, 1,234.56, £1,234.56, 1234, "£ 500". It returns
// whole pence so that no arithmetic is ever done in floating point. An empty
// string means "not known" and returns ok=false with no error.
func ParseAmount(s string) (pence int64, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	orig := s
	s = strings.TrimPrefix(s, "£")
	s = strings.TrimPrefix(s, "GBP")
	s = strings.TrimSpace(s)
	if s == "" || s == "." {
		return 0, false, fmt.Errorf("%q is not an amount in pounds (e.g. 1234.56 or £1,234.56)", clip(orig))
	}
	if strings.HasPrefix(s, "-") {
		return 0, false, fmt.Errorf("%q: an amount in dispute cannot be negative", clip(orig))
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if strings.Contains(whole, ",") {
		// Thousands separators must sit in the right places: 1,234,567 not 12,34.
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, false, fmt.Errorf("%q is not an amount in pounds (e.g. 1234.56 or £1,234.56)", clip(orig))
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false, fmt.Errorf("%q is not an amount in pounds (e.g. 1234.56 or £1,234.56)", clip(orig))
			}
		}
		whole = strings.Join(groups, "")
	}
	if !allDigits(whole) || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac))) {
		return 0, false, fmt.Errorf("%q is not an amount in pounds (e.g. 1234.56 or £1,234.56)", clip(orig))
	}
	if len(whole) > 13 { // over £10 trillion: a typing error, and it would overflow pence
		return 0, false, fmt.Errorf("%q is too large to be an amount in dispute", clip(orig))
	}
	pounds, _ := strconv.ParseInt(whole, 10, 64)
	var p int64
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		p, _ = strconv.ParseInt(frac, 10, 64)
	}
	return pounds*100 + p, true, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatPence writes pence as £1,234.56.
func FormatPence(p int64) string {
	neg := p < 0
	if neg {
		p = -p
	}
	pounds := strconv.FormatInt(p/100, 10)
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	b.WriteString("£")
	for i, r := range pounds {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ".%02d", p%100)
	return b.String()
}

// FormatSize writes a file size as a caseworker reads it: 148 bytes,
// 12 KB, 3.4 MB.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
