package noticefile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// The fuzzers look for panics and for answers that break the importer's
// promises: every problem names a line, and a file either yields rows or
// problems for every record, never silently nothing.

const seedCSV = "reference,received,decision_date,appellant,subject,amount,grounds\n" +
	"TC/2026/00001,2026-11-10,2026-10-20,A Person,vat,\"£1,234.56\",\"multi\nline\"\n" +
	",10/11/2026,20/10/2026,Zoë,Late filing penalty,100,x\n"

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(seedCSV))
	f.Add([]byte("\ufeffReference,Received,Appellant,Subject\r\nTC/2026/00002,2026-11-10,B,vat\r\n"))
	f.Add([]byte("reference,received\n\"unterminated"))
	f.Add([]byte("a,b,c\n1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, probs := Parse("fuzz.csv", bytes.NewReader(data))
		check(t, rows, probs)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`[{"reference":"TC/2026/00001","received":"2026-11-10","appellant":"A","subject":"vat","amount":12.5}]`))
	f.Add([]byte(`[{"received":"10/11/2026","appellant":"B","subject":"vat","amount_pence":100}, 3, null]`))
	f.Add([]byte(`{"not":"an array"}`))
	f.Add([]byte(`[{"reference":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, probs := Parse("fuzz.json", bytes.NewReader(data))
		check(t, rows, probs)
	})
}

func check(t *testing.T, rows []Row, probs []Problem) {
	t.Helper()
	if len(rows) == 0 && len(probs) == 0 {
		t.Fatal("no rows and no problems")
	}
	for _, p := range probs {
		if p.Line < 1 || p.File == "" || p.Msg == "" {
			t.Fatalf("problem without a line or message: %+v", p)
		}
		if !strings.HasPrefix(p.Error(), p.File+":") {
			t.Fatalf("problem does not start with the file: %q", p.Error())
		}
	}
	for _, r := range rows {
		n := r.Notice
		if r.Line < 1 || n.Received.IsZero() || n.Appellant == "" || n.Subject == "" {
			t.Fatalf("a row was accepted without its required fields: %+v", r)
		}
		if n.AmountPence != nil && *n.AmountPence < 0 {
			t.Fatalf("negative amount accepted: %+v", r)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-23", "23/11/2026", "1/2/2027", "29/02/2028", "31/04/2026", "2026-13-01", "", "23.11.2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		if err != nil {
			return
		}
		// What was accepted writes back as ISO and UK forms that read back the same.
		for _, form := range []string{d.String(), d.UK()} {
			e, err := domain.ParseDate(form)
			if err != nil || !e.Equal(d) {
				t.Fatalf("%q -> %s -> %q -> %v %v", s, d, form, e, err)
			}
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.56", "£1,234.56", "0.5", "3,000,000", "", "-1", "1,23", "£", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok, err := domain.ParseAmount(s)
		if err != nil || !ok {
			return
		}
		if p < 0 {
			t.Fatalf("%q -> negative %d", s, p)
		}
		q, ok, err := domain.ParseAmount(domain.FormatPence(p))
		if err != nil || !ok || q != p {
			t.Fatalf("%q -> %d -> %s -> %d %v", s, p, domain.FormatPence(p), q, err)
		}
	})
}
