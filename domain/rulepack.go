package domain

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed rules/*.toml
var packFiles embed.FS

// RulePack holds every number a jurisdiction's deadlines and suggestions
// depend on, read from a human-readable TOML file with a citation beside
// each entry. Code interprets the primitives; the numbers stay data.
type RulePack struct {
	ID                string `toml:"id"`
	Name              string `toml:"name"`
	Rules             string `toml:"rules"`
	ReferencePrefix   string `toml:"reference_prefix"`
	DefaultRespondent string `toml:"default_respondent"`
	Division          string `toml:"division"`
	WorkingDayRule    string `toml:"working_day_rule"`

	Casework struct {
		ReadinessDays     int    `toml:"readiness_days"`
		ReadinessCitation string `toml:"readiness_citation"`
		StaleDays         int    `toml:"stale_days"`
		OldWeeks          int    `toml:"old_weeks"`
	} `toml:"casework"`

	AppealLimit struct {
		Days           int    `toml:"days"`
		Counting       string `toml:"counting"`
		Citation       string `toml:"citation"`
		PermissionRule string `toml:"permission_rule"`
	} `toml:"appeal_limit"`

	SuggestRules struct {
		ComplexMinPence  int64     `toml:"complex_min_pence"`
		ComplexCitation  string    `toml:"complex_citation"`
		PaperMaxPence    int64     `toml:"paper_max_pence"`
		PaperSubjects    []Subject `toml:"paper_subjects"`
		PaperCitation    string    `toml:"paper_citation"`
		BasicSubjects    []Subject `toml:"basic_subjects"`
		BasicCitation    string    `toml:"basic_citation"`
		StandardCitation string    `toml:"standard_citation"`
	} `toml:"suggest"`

	DeadlineRules []DeadlineRule `toml:"deadline"`

	// Source says where the pack was read from: "embedded" or a file path.
	Source string `toml:"-"`
}

// DeadlineRule is one "N days after ANCHOR" entry of a rule pack.
type DeadlineRule struct {
	Kind     string  `toml:"kind"`
	Label    string  `toml:"label"`
	Party    string  `toml:"party"`
	Tracks   []Track `toml:"tracks"`
	Anchor   string  `toml:"anchor"`
	Days     int     `toml:"days"`
	Rule     string  `toml:"rule"`
	MetBy    string  `toml:"met_by"`
	Optional bool    `toml:"optional"`
	Citation string  `toml:"citation"`
}

// PackIDs lists the rule packs built into this binary.
func PackIDs() []string {
	entries, _ := packFiles.ReadDir("rules")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(ids)
	return ids
}

// EmbeddedPack returns the text of a built-in rule pack.
func EmbeddedPack(id string) ([]byte, error) {
	b, err := packFiles.ReadFile("rules/" + id + ".toml")
	if err != nil {
		return nil, fmt.Errorf("no rule pack called %q (built in: %s)", id, strings.Join(PackIDs(), ", "))
	}
	return b, nil
}

// LoadRulePack reads the built-in pack id, or override instead when it is
// not nil (the user's copy from the config directory; source names it in
// messages).
func LoadRulePack(id string, override []byte, source string) (*RulePack, error) {
	text := override
	if text == nil {
		var err error
		if text, err = EmbeddedPack(id); err != nil {
			return nil, err
		}
		source = "embedded"
	}
	var p RulePack
	md, err := toml.NewDecoder(bytes.NewReader(text)).Decode(&p)
	if err != nil {
		return nil, fmt.Errorf("rule pack %s: %w", source, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("rule pack %s: unknown setting %q (a typing error would silently change a deadline)", source, und[0].String())
	}
	p.Source = source
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("rule pack %s: %w", source, err)
	}
	return &p, nil
}

// MustRulePack loads a built-in pack and panics if it is broken: the
// embedded packs are tested, so this is for tests and defaults.
func MustRulePack(id string) *RulePack {
	p, err := LoadRulePack(id, nil, "")
	if err != nil {
		panic(err)
	}
	return p
}

func (p *RulePack) validate() error {
	if p.ID == "" || p.Name == "" {
		return fmt.Errorf("id and name are required")
	}
	if p.ReferencePrefix == "" {
		return fmt.Errorf("reference_prefix is required")
	}
	if _, err := ParseDivision(p.Division); err != nil {
		return fmt.Errorf("division: %w", err)
	}
	if p.AppealLimit.Days <= 0 {
		return fmt.Errorf("appeal_limit.days must be a positive number of days")
	}
	switch p.AppealLimit.Counting {
	case "after", "beginning-with":
	default:
		return fmt.Errorf("appeal_limit.counting must be \"after\" or \"beginning-with\", not %q", p.AppealLimit.Counting)
	}
	for _, s := range append(append([]Subject{}, p.SuggestRules.PaperSubjects...), p.SuggestRules.BasicSubjects...) {
		if _, err := ParseSubject(string(s)); err != nil {
			return fmt.Errorf("suggest: %w", err)
		}
	}
	for i, d := range p.DeadlineRules {
		where := fmt.Sprintf("deadline %d (%s)", i+1, d.Kind)
		if d.Kind == "" || d.Anchor == "" || d.Rule == "" {
			return fmt.Errorf("%s: kind, anchor and rule are required", where)
		}
		if d.Days <= 0 {
			return fmt.Errorf("%s: days must be positive", where)
		}
		for _, t := range d.Tracks {
			if _, err := ParseTrack(string(t)); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
	}
	return nil
}

// Deadline is a step due by a date, derived from the case's events by a
// rule of the pack.
type Deadline struct {
	Kind        string `json:"kind"`
	Label       string `json:"label"`
	Party       string `json:"party"`
	Due         Date   `json:"due"`
	Rule        string `json:"rule"`
	Provisional bool   `json:"provisional"` // a holiday past the published data decided the date
	Optional    bool   `json:"optional"`    // a party may act; never overdue, it lapses
	Status      string `json:"status"`      // open or met
	MetOn       Date   `json:"met_on,omitzero"`
	Anchor      Date   `json:"anchor"` // the date counted from
	Days        int    `json:"days"`
	Moved       string `json:"moved,omitempty"` // why the date moved from anchor+days, if it did
	Citation    string `json:"citation"`
	PreviousDue []Date `json:"previous_due,omitempty"` // dates before extensions of time, oldest first
}

// Deadline statuses.
const (
	DeadlineOpen = "open"
	DeadlineMet  = "met"
	// DeadlineStopped: the case was closed, returned or stayed before the
	// step was taken, so nothing is due.
	DeadlineStopped = "stopped"
)

// DaysAfter counts "n days after" anchor and applies the working-day rule:
// a period that ends on a non-working day runs to the next working day
// (r12). It says why it moved and whether a provisional holiday decided it.
func DaysAfter(cal *Calendar, anchor Date, n int) (due Date, moved string, provisional bool) {
	landed := anchor.AddDays(n)
	due = cal.NextWorkingDay(landed)
	if !due.Equal(landed) {
		why := landed.Weekday().String()
		if h, ok := cal.Holiday(landed); ok {
			why = h.Title
		}
		moved = fmt.Sprintf("%s fell on a non-working day (%s): next working day", landed.Long(), why)
	}
	for d := landed; !d.After(due); d = d.AddDays(1) {
		if cal.Provisional(d) {
			provisional = true
		}
	}
	return due, moved, provisional
}
