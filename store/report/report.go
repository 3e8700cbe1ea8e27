// Package report holds the shape of a caseload report and writes it as a
// table, CSV, JSON or Markdown. The figures are computed by the store.
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/caseload/caseload/domain"
)

// Report is one named report over a date range.
type Report struct {
	Name   string      `json:"name"`
	Title  string      `json:"title"`
	From   domain.Date `json:"from"`
	To     domain.Date `json:"to"`
	By     string      `json:"by"` // week or month
	Tables []Table     `json:"tables"`
	// Notes define every figure, so a manager can check it.
	Notes []string `json:"notes"`
}

// Table is a titled grid of figures. Chart names the numeric column the UI
// draws bars for ("" = none).
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Chart   string     `json:"chart,omitempty"`
}

// Names are the reports there are, in the order the UI shows them.
var Names = []string{"rejections", "extensions", "ageing", "flow", "categorisation", "directions", "litigation"}

// Period is one row's date range, inclusive.
type Period struct {
	From, To domain.Date
	Label    string
}

// Periods splits from..to into weeks (Monday to Sunday) or calendar
// months, the first and last clipped to the range.
func Periods(from, to domain.Date, by string) []Period {
	var out []Period
	start := from
	for !start.After(to) {
		var end domain.Date
		var label string
		if by == "month" {
			end = domain.NewDate(start.Year(), start.Month()+1, 1).AddDays(-1)
			label = start.Time().Format("Jan 2006")
		} else {
			offset := (int(start.Weekday()) + 6) % 7 // days since Monday
			end = start.AddDays(6 - offset)
			label = "w/c " + start.AddDays(-offset).UK()
		}
		if end.After(to) {
			end = to
		}
		out = append(out, Period{From: start, To: end, Label: label})
		start = end.AddDays(1)
	}
	return out
}

// Write prints the report in a format: table, csv, json or md.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "table", "":
		return r.writeTable(w)
	case "csv":
		return r.WriteCSV(w)
	case "json":
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(domain.JSONSafe(b), '\n'))
		return err
	case "md":
		return r.writeMarkdown(w)
	}
	return fmt.Errorf("unknown format %q: use table, csv, json or md", format)
}

func (r *Report) heading() string {
	return fmt.Sprintf("%s, %s to %s", r.Title, r.From.Long(), r.To.Long())
}

// cells applies f to every cell: a report's rows hold names caseworkers
// typed (--user), which go to terminals and spreadsheets.
func cells(row []string, f func(string) string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = f(c)
	}
	return out
}

// csvCell: report cells are derived figures and names, never read back, so
// they are made safe to show as well as neutralised.
func csvCell(s string) string { return domain.CSVCell(domain.SafeLine(s)) }

func (r *Report) writeTable(w io.Writer) error {
	fmt.Fprintln(w, domain.SafeLine(r.heading()))
	for _, t := range r.Tables {
		fmt.Fprintf(w, "\n%s\n", domain.SafeLine(t.Title))
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, strings.Join(cells(t.Columns, domain.SafeLine), "\t")+"\t")
		for _, row := range t.Rows {
			fmt.Fprintln(tw, strings.Join(cells(row, domain.SafeLine), "\t")+"\t")
		}
		tw.Flush()
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nHow the figures are counted:")
		for _, n := range r.Notes {
			fmt.Fprintln(w, "  - "+n)
		}
	}
	return nil
}

// WriteCSV writes every table, each headed by a row naming it, so the file
// opens cleanly in a spreadsheet.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{csvCell(r.heading())})
	for _, t := range r.Tables {
		cw.Write([]string{})
		cw.Write([]string{csvCell(t.Title)})
		cw.Write(cells(t.Columns, csvCell))
		for _, row := range t.Rows {
			cw.Write(cells(row, csvCell))
		}
	}
	cw.Flush()
	return cw.Error()
}

func (r *Report) writeMarkdown(w io.Writer) error {
	md := func(c string) string { return strings.ReplaceAll(domain.SafeLine(c), "|", `\|`) }
	fmt.Fprintf(w, "# %s\n", domain.SafeLine(r.heading()))
	for _, t := range r.Tables {
		fmt.Fprintf(w, "\n## %s\n\n| %s |\n|%s\n", domain.SafeLine(t.Title), strings.Join(cells(t.Columns, md), " | "), strings.Repeat("---|", len(t.Columns)))
		for _, row := range t.Rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells(row, md), " | "))
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\n## How the figures are counted")
		for _, n := range r.Notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
	return nil
}
