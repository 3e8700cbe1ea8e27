package domain

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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

	// ReferencePattern is how the pack's references look: YYYY is the year
	// received and a run of # the sequence, zero-padded (TC/YYYY/#####).
	// It finds references in mail and numbers new cases.
	ReferencePattern string `toml:"reference_pattern"`
	// Tracks are the allocations (tracks, or stages for judicial review)
	// a caseworker chooses from in this pack, in the order offered.
	Tracks []Track `toml:"tracks"`
	// Subjects the pack accepts; a notice with another subject is refused.
	Subjects []Subject `toml:"subjects"`
	// ClosureDays are days the court office is closed beyond weekends and
	// bank holidays (CPR 2.8(5)); config.toml [closures] adds more.
	ClosureDays []Date `toml:"closure_days"`
	// Intake names the event recorded on the date received for a notice
	// arriving at each stage (a letter before claim, a claim form), and
	// DecisionEvent the event dated the notice's decision date (grounds
	// arose): the anchors the pack's deadlines count from.
	Intake        map[string]string `toml:"intake"`
	DecisionEvent string            `toml:"decision_event"`
	// StageAfter moves a case to a stage when an event happens (claim
	// issued, permission granted, ...): the latest event or decision wins.
	StageAfter map[string]Track `toml:"stage_after"`
	// Service names, for events that record service, the rule that deems
	// when the document was served (cpr-6.14, cpr-6.26, ut-r29): periods
	// count from the deemed date when the method is recorded.
	Service map[string]string `toml:"service"`
	// ActCutoff is the time of day by which an act must be done to count
	// as done that day (UT r12(1): 5pm), with its citation.
	ActCutoff         string `toml:"act_cutoff"`
	ActCutoffCitation string `toml:"act_cutoff_citation"`
	// ExtensionRule is the power to extend time for a deadline (r5(3)(a),
	// CPR 3.1(2)(a)), named in reports and on the timeline.
	ExtensionRule string `toml:"extension_rule"`
	// CaseDivision: the bank holidays are those of the case's division
	// (a tax appeal may be heard anywhere in the UK), defaulting to the
	// configured one; otherwise always the pack's division (the
	// Administrative Court and the Upper Tribunal sitting in England count
	// England and Wales holidays whatever the configuration says).
	CaseDivision bool `toml:"case_division"`
	// Side is whose caseload the pack is: "" or "court" (the court's or
	// tribunal's view, as before) or "defendant" (a government litigator:
	// the defendant's own duties first, the claimant's steps watched).
	// A case may set its own (litigation.go).
	Side string `toml:"side"`
	// AgreedExtension is how long the parties may agree to extend a
	// deadline without the court (CPR 15.5: the defence, up to 28 days).
	AgreedExtension AgreedExtension `toml:"agreed_extension"`

	Casework struct {
		ReadinessDays     int    `toml:"readiness_days"`
		ReadinessCitation string `toml:"readiness_citation"`
		StaleDays         int    `toml:"stale_days"`
		OldWeeks          int    `toml:"old_weeks"`
	} `toml:"casework"`

	AppealLimit struct {
		Days           int             `toml:"days"`
		Counting       string          `toml:"counting"`
		Citation       string          `toml:"citation"`
		PermissionRule string          `toml:"permission_rule"`
		Months         int             `toml:"months"`
		WorkingDay     bool            `toml:"working_day"` // set by rules, not statute: moved off non-working days
		Stages         []Track         `toml:"stages"`      // only notices arriving at these stages are checked; empty: all
		Variants       []AppealVariant `toml:"variant"`
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

	refRE *regexp.Regexp // ReferenceRegexp, compiled once when the pack is loaded
}

// AppealVariant is a subject's own limit (planning 6 weeks, procurement 30
// days): its days, how they are counted ("after" or "beginning-with";
// empty: the limit's counting) and the text it comes from.
type AppealVariant struct {
	Subjects []Subject `toml:"subjects"`
	Days     int       `toml:"days"`
	Counting string    `toml:"counting"`
	Citation string    `toml:"citation"`
}

// DeadlineRule is one "N days (weeks, months) after ANCHOR" entry of a
// rule pack, counted by the pack's working_day_rule.
type DeadlineRule struct {
	Kind   string  `toml:"kind"`
	Label  string  `toml:"label"`
	Party  string  `toml:"party"`
	Tracks []Track `toml:"tracks"` // empty: whatever the track or stage, even before triage
	Anchor string  `toml:"anchor"`
	Days   int     `toml:"days"`
	Weeks  int     `toml:"weeks"`
	Months int     `toml:"months"`
	// WorkingDays counts "N working days after" the anchor: only working
	// (business) days count, so the due day is always one.
	WorkingDays int `toml:"working_days"`
	// Counting says how days are counted: "after" (the anchor is day 0:
	// "within 14 days after"), "beginning-with" (the anchor is day 1: "30
	// days beginning with", so anchor + N - 1) or "clear-days-before" (N
	// clear days before the anchor event, CPR 2.8(3)(b): neither the day of
	// the act nor the day of the event counts). Empty is "after".
	Counting string `toml:"counting"`
	// CourtOffice: the act is done at the court office (filing), so a
	// period ending on a day it is closed runs to the next open day (CPR
	// 2.8(5)). False for acts between parties (a response to a letter
	// before claim, service). Unset means true. Tribunal packs (r12) move
	// every period ending on a non-working day whatever this says.
	CourtOffice *bool `toml:"court_office"`
	// NotIfTotallyWithoutMerit: no deadline when the anchor event was
	// recorded as totally without merit (no renewal: CPR 54.12(7), UT
	// r30(4A)).
	NotIfTotallyWithoutMerit bool   `toml:"not_if_totally_without_merit"`
	Rule                     string `toml:"rule"`
	MetBy                    string `toml:"met_by"`
	// MetAlsoBy are further events that meet the deadline (an older record
	// of the same step: aos-served before filing and service were two).
	MetAlsoBy []string `toml:"met_also_by"`
	Optional  bool     `toml:"optional"`
	Citation  string   `toml:"citation"`
	// Subjects limits the rule to cases of these subjects; ExceptSubjects
	// leaves those out (planning and procurement claims have shorter limits).
	Subjects       []Subject `toml:"subjects"`
	ExceptSubjects []Subject `toml:"except_subjects"`
	// WarnDays before the due date the deadline starts to show, with
	// Warning (a claim must be made promptly, not merely within the limit).
	WarnDays int    `toml:"warn_days"`
	Warning  string `toml:"warning"`
	// IfEvent and UnlessEvent make the rule apply only when that event has
	// (or has not) happened: the defence is due 14 days after the
	// particulars, or 28 if an acknowledgment was filed (CPR 15.4(1)).
	IfEvent     string `toml:"if_event"`
	UnlessEvent string `toml:"unless_event"`
}

// Period says the rule's length as a person reads it.
func (r DeadlineRule) Period() string {
	switch {
	case r.Months > 0:
		return plural(r.Months, "month")
	case r.Weeks > 0:
		return plural(r.Weeks, "week")
	case r.WorkingDays > 0:
		return plural(r.WorkingDays, "working day")
	}
	return plural(r.Days, "day")
}

// MovesWhenClosed reports whether the period runs on to the next open day
// when it ends on a day the court office is closed (CPR 2.8(5)).
func (r DeadlineRule) MovesWhenClosed() bool { return r.CourtOffice == nil || *r.CourtOffice }

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
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
	if override == nil {
		// The built-in pack as the TOML decoder left it, from the JSON
		// twin (TestDecodedPacksMatchTheTOML keeps them equal): decoding
		// the five packs' TOML was a third of a command's start.
		raw, ok := decodedPackJSON(id)
		if !ok {
			return nil, fmt.Errorf("rule pack %s: %s is missing from decoded-packs.json (go test ./domain/ -run TestDecodedPacksMatchTheTOML -update)", id, id)
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("rule pack %s: decoded-packs.json: %w", id, err)
		}
	} else if err := decodeRulePackTOML(text, source, &p); err != nil {
		return nil, err
	}
	p.Source = source
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("rule pack %s: %w", source, err)
	}
	return &p, nil
}

// decodeRulePackTOML decodes a pack's text, refusing settings it does not
// know.
func decodeRulePackTOML(text []byte, source string, p *RulePack) error {
	md, err := toml.NewDecoder(bytes.NewReader(text)).Decode(p)
	if err != nil {
		return fmt.Errorf("rule pack %s: %w", source, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return fmt.Errorf("rule pack %s: unknown setting %q (a typing error would silently change a deadline)", source, und[0].String())
	}
	return nil
}

// decodedPacks is every built-in pack as the TOML decoder leaves it
// (before validate), by id, in JSON: encoding/json reads it in a fraction
// of the TOML decoder's time. It is generated from rules/*.toml by
// TestDecodedPacksMatchTheTOML -update, and the test fails when the two
// differ, so the TOML stays the one source of the rules.
//
//go:embed decoded-packs.json
var decodedPacks []byte

// decodedPackJSON is pack id's value in decodedPacks, found without
// decoding the whole file (which cost as much as decoding the pack): the
// file is json.MarshalIndent's with a one-space indent, byte for byte
// (TestDecodedPacksMatchTheTOML), so a pack's value starts after the line
// `\n "id": ` and ends at the first "\n }", the only lines indented by one
// space. A cut in the wrong place could only fail the Unmarshal after it.
func decodedPackJSON(id string) ([]byte, bool) {
	key := "\n \"" + id + "\": "
	i := bytes.Index(decodedPacks, []byte(key))
	if i < 0 {
		return nil, false
	}
	rest := decodedPacks[i+len(key):]
	j := bytes.Index(rest, []byte("\n }"))
	if j < 0 {
		return nil, false
	}
	return rest[:j+len("\n }")], true
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
	if p.ReferencePattern == "" {
		p.ReferencePattern = p.ReferencePrefix + "/YYYY/#####"
	}
	if !strings.Contains(p.ReferencePattern, "YYYY") || !strings.Contains(p.ReferencePattern, "###") ||
		!strings.HasPrefix(p.ReferencePattern, p.ReferencePrefix) {
		return fmt.Errorf("reference_pattern %q must start with the prefix and hold YYYY and a run of #", p.ReferencePattern)
	}
	p.refRE = p.compileReference()
	if _, err := ParseDivision(p.Division); err != nil {
		return fmt.Errorf("division: %w", err)
	}
	switch p.WorkingDayRule {
	case "r12", "cpr-2.8":
	default:
		return fmt.Errorf("working_day_rule must be \"r12\" (tribunal rules) or \"cpr-2.8\" (courts), not %q", p.WorkingDayRule)
	}
	for ev, rule := range p.Service {
		switch rule {
		case ServiceClaimForm, ServiceDocument, ServiceProvided:
		default:
			return fmt.Errorf("service.%s: %q is not a deemed-service rule (use %s, %s or %s)", ev, rule, ServiceClaimForm, ServiceDocument, ServiceProvided)
		}
	}
	if p.ActCutoff != "" {
		t, err := ParseClock(p.ActCutoff)
		if err != nil {
			return fmt.Errorf("act_cutoff: %w", err)
		}
		p.ActCutoff = t
	}
	if len(p.Tracks) == 0 {
		return fmt.Errorf("tracks: list the tracks or stages a case can be allocated to")
	}
	checkTracks := func(where string, ts []Track) error {
		for _, t := range ts {
			if _, err := ParseTrack(string(t)); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if !slices.Contains(p.Tracks, t) {
				return fmt.Errorf("%s: %s is not one of this pack's tracks", where, t)
			}
		}
		return nil
	}
	if err := checkTracks("tracks", p.Tracks); err != nil {
		return err
	}
	if (p.AppealLimit.Days > 0) == (p.AppealLimit.Months > 0) {
		return fmt.Errorf("appeal_limit: give days or months (one of them)")
	}
	switch p.AppealLimit.Counting {
	case "after", "beginning-with":
	default:
		return fmt.Errorf("appeal_limit.counting must be \"after\" or \"beginning-with\", not %q", p.AppealLimit.Counting)
	}
	if err := checkTracks("appeal_limit.stages", p.AppealLimit.Stages); err != nil {
		return err
	}
	subjects := append(append([]Subject{}, p.SuggestRules.PaperSubjects...), p.SuggestRules.BasicSubjects...)
	for _, v := range p.AppealLimit.Variants {
		if v.Days <= 0 || len(v.Subjects) == 0 {
			return fmt.Errorf("appeal_limit.variant: subjects and a positive number of days are required")
		}
		switch v.Counting {
		case "", "after", "beginning-with":
		default:
			return fmt.Errorf("appeal_limit.variant (%s): counting must be \"after\" or \"beginning-with\", not %q", v.Subjects[0], v.Counting)
		}
		subjects = append(subjects, v.Subjects...)
	}
	for _, d := range p.DeadlineRules {
		subjects = append(append(subjects, d.Subjects...), d.ExceptSubjects...)
	}
	for _, s := range append(subjects, p.Subjects...) {
		if _, err := ParseSubject(string(s)); err != nil {
			return fmt.Errorf("subjects: %w", err)
		}
	}
	if len(p.Subjects) == 0 {
		return fmt.Errorf("subjects: list the subjects this pack accepts")
	}
	for stage, ev := range p.Intake {
		if err := checkTracks("intake", []Track{Track(stage)}); err != nil {
			return err
		}
		if ev == "" {
			return fmt.Errorf("intake.%s: name the event recorded", stage)
		}
	}
	for ev, t := range p.StageAfter {
		if err := checkTracks("stage_after."+ev, []Track{t}); err != nil {
			return err
		}
	}
	for i, d := range p.DeadlineRules {
		where := fmt.Sprintf("deadline %d (%s)", i+1, d.Kind)
		if d.Kind == "" || d.Anchor == "" || d.Rule == "" {
			return fmt.Errorf("%s: kind, anchor and rule are required", where)
		}
		n := 0
		for _, v := range []int{d.Days, d.Weeks, d.Months, d.WorkingDays} {
			if v < 0 {
				return fmt.Errorf("%s: a period cannot be negative", where)
			}
			if v > 0 {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: give exactly one of days, weeks, months or working_days", where)
		}
		switch d.Counting {
		case "", "after", "beginning-with":
		case "clear-days-before":
			if d.Days == 0 {
				return fmt.Errorf("%s: counting = \"clear-days-before\" needs days", where)
			}
		default:
			return fmt.Errorf("%s: counting must be \"after\", \"beginning-with\" or \"clear-days-before\", not %q", where, d.Counting)
		}
		if d.WarnDays < 0 {
			return fmt.Errorf("%s: warn_days cannot be negative", where)
		}
		if err := checkTracks(where, d.Tracks); err != nil {
			return err
		}
	}
	return p.validateLitigation()
}

// Accepts reports whether the pack takes notices about subject s.
func (p *RulePack) Accepts(s Subject) bool { return slices.Contains(p.Subjects, s) }

// Offers reports whether t is one of the pack's tracks or stages.
func (p *RulePack) Offers(t Track) bool { return slices.Contains(p.Tracks, t) }

// ReferenceRegexp matches the pack's references anywhere in a text (mail
// subjects and bodies), in any case.
func (p *RulePack) ReferenceRegexp() *regexp.Regexp {
	if p.refRE == nil {
		p.refRE = p.compileReference()
	}
	return p.refRE
}

func (p *RulePack) compileReference() *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?i)\b`)
	pat := p.ReferencePattern
	for i := 0; i < len(pat); {
		switch {
		case strings.HasPrefix(pat[i:], "YYYY"):
			b.WriteString(`\d{4}`)
			i += 4
		case pat[i] == '#':
			j := i
			for j < len(pat) && pat[j] == '#' {
				j++
			}
			fmt.Fprintf(&b, `\d{%d}`, j-i)
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
			i++
		}
	}
	b.WriteString(`\b`)
	return regexp.MustCompile(b.String())
}

// Reference formats the n-th reference of a year. SeqRange gives where the
// sequence sits in a reference (start index, width) so the next can be found.
func (p *RulePack) Reference(year, n int) string {
	start, width := p.SeqRange()
	pat := strings.Replace(p.ReferencePattern, "YYYY", fmt.Sprintf("%04d", year), 1)
	return pat[:start] + fmt.Sprintf("%0*d", width, n) + pat[start+width:]
}

// SeqRange is the position of the run of # in the pattern.
func (p *RulePack) SeqRange() (start, width int) {
	start = strings.Index(p.ReferencePattern, "#")
	width = 0
	for start+width < len(p.ReferencePattern) && p.ReferencePattern[start+width] == '#' {
		width++
	}
	return start, width
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
	Warn        Date   `json:"warn,omitzero"`          // from this day the deadline shows, with Warning
	Warning     string `json:"warning,omitempty"`
}

// Deadline statuses.
const (
	DeadlineOpen = "open"
	DeadlineMet  = "met"
	// DeadlineStopped: the case was closed, returned or stayed before the
	// step was taken, so nothing is due.
	DeadlineStopped = "stopped"
)

// CountingVersion changes whenever the code that counts deadlines changes
// its answers (issue 13: "beginning with", CPR 2.8(5) per deadline, deemed
// service), so deadlines stored by an older caseload are recomputed.
const CountingVersion = 2

// Fingerprint identifies every number and setting of the pack, including
// the closure days added from the configuration: a change means stored
// deadlines may be wrong.
func (p *RulePack) Fingerprint() string {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// TrackCitation is one track or stage a pack offers, with its label.
type TrackCitation struct {
	Track Track  `json:"track"`
	Label string `json:"label"`
}

// Citations are the pack's own words for what the UI and reports name:
// its tracks or stages in order, the time limit, the permission needed
// for a late case and the power to extend time. Nothing outside the pack
// should spell a rule number.
type Citations struct {
	Tracks           []TrackCitation `json:"tracks"`
	IsJudicialReview bool            `json:"judicial_review"` // stages, not tracks
	TimeLimit        string          `json:"time_limit"`
	PermissionRule   string          `json:"permission_rule"`
	ExtensionRule    string          `json:"extension_rule"`
}

// Citations returns the pack's tracks or stages and the rules it names.
func (p *RulePack) Citations() Citations {
	c := Citations{TimeLimit: p.AppealLimit.Citation, PermissionRule: p.AppealLimit.PermissionRule,
		ExtensionRule: p.ExtensionRule, IsJudicialReview: len(p.StageAfter) > 0}
	if c.ExtensionRule == "" {
		c.ExtensionRule = "r5(3)(a)"
	}
	for _, t := range p.Tracks {
		c.Tracks = append(c.Tracks, TrackCitation{t, t.Label()})
	}
	return c
}
