package domain

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"text/template"
)

// Letter templates are data, like rule packs: Markdown files with a front
// matter, one folder per template pack, embedded and overridable by the
// user's copies (the caller reads those; this file only parses).
//
//go:embed templates/*/*.md
var templateFiles embed.FS

// LetterTemplate is one outgoing letter or email: its front matter and the
// parsed body.
type LetterTemplate struct {
	Pack    string // the template pack (folder): a rule pack id, or "government"
	Name    string // file name without .md
	Title   string
	To      string // the party it is addressed to by default: appellant, representative, respondent, lawyers
	Channel string // letter or email
	// Event is the timeline entry saving the letter records; only
	// "correspondence" (correspondence out) is recorded today.
	Event string
	// Jurisdictions are the rule packs whose cases the template is for
	// (default: the pack folder's name).
	Jurisdictions []string
	Description   string
	// Needs are what the case must have for the letter to make sense (an
	// allocation, an overdue direction, a hearing, ...): see LetterNeeds.
	Needs  []string
	Source string // "embedded" or the override file's path

	body *template.Template
}

// ID is PACK/NAME, how a template is named on the command line when the
// bare name is ambiguous.
func (t *LetterTemplate) ID() string { return t.Pack + "/" + t.Name }

// For reports whether the template is for cases of rule pack id.
func (t *LetterTemplate) For(jurisdiction string) bool {
	return slices.Contains(t.Jurisdictions, jurisdiction)
}

// LetterParties are who a letter can be addressed to. "lawyers" are the
// government's lawyers (their address is in config.toml [office]).
var LetterParties = []string{"appellant", "representative", "respondent", "lawyers"}

// letterFuncs are the only functions a template may call besides the view's
// methods: they keep a template's wording in the template.
var letterFuncs = template.FuncMap{
	// list joins items as a sentence does: "a, b and c".
	"list": func(items []string) string {
		switch len(items) {
		case 0:
			return ""
		case 1:
			return items[0]
		}
		return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
	},
	"join": strings.Join,
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// EmbeddedTemplates returns the built-in templates' texts by PACK/NAME.
func EmbeddedTemplates() map[string][]byte {
	out := map[string][]byte{}
	fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			b, _ := templateFiles.ReadFile(p)
			out[strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".md")] = b
		}
		return nil
	})
	return out
}

// TemplateOverride is a user's template file: PACK/NAME, its text and
// where it was read from.
type TemplateOverride struct {
	ID     string
	Text   []byte
	Source string
}

// LoadTemplates parses the built-in templates and the user's overrides
// (an override with a built-in's PACK/NAME wins; a new name adds a
// template). Every template is checked against the letter view, so an
// unknown field anywhere, even in a branch the demo never takes, is an
// error naming the file and line.
func LoadTemplates(overrides []TemplateOverride) ([]*LetterTemplate, error) {
	texts := map[string]TemplateOverride{}
	for id, b := range EmbeddedTemplates() {
		texts[id] = TemplateOverride{ID: id, Text: b, Source: "embedded"}
	}
	for _, o := range overrides {
		texts[o.ID] = o
	}
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []*LetterTemplate
	var errs []string
	for _, id := range ids {
		t, err := ParseTemplate(id, texts[id].Text, texts[id].Source)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, t)
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// ParseTemplate reads one template: id is PACK/NAME, source names the
// file in messages ("embedded" for the built-in ones).
func ParseTemplate(id string, text []byte, source string) (*LetterTemplate, error) {
	pack, name := path.Split(id)
	pack = strings.TrimSuffix(pack, "/")
	if pack == "" || name == "" || strings.Contains(pack, "/") {
		return nil, fmt.Errorf("template %q: name it PACK/NAME", id)
	}
	where := id + ".md"
	if source != "embedded" && source != "" {
		where = source
	}
	t := &LetterTemplate{Pack: pack, Name: name, Source: source}
	s := strings.ReplaceAll(string(text), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, fmt.Errorf("%s:1: a template starts with front matter between --- lines (title, to, channel, event)", where)
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: front matter lines are key: value", where, i+1)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "title":
			t.Title = v
		case "to":
			t.To = v
		case "channel":
			t.Channel = v
		case "event":
			t.Event = v
		case "description":
			t.Description = v
		case "needs":
			for _, n := range strings.Split(v, ",") {
				if n = strings.TrimSpace(n); n == "" {
					continue
				} else if _, ok := LetterNeeds[n]; !ok {
					return nil, fmt.Errorf("%s:%d: needs: %q is not something a case can have (use %s)", where, i+1, clip(n), strings.Join(needNames(), ", "))
				}
				t.Needs = append(t.Needs, n)
			}
		case "jurisdictions":
			for _, j := range strings.Split(v, ",") {
				if j = strings.TrimSpace(j); j != "" {
					t.Jurisdictions = append(t.Jurisdictions, j)
				}
			}
		default:
			return nil, fmt.Errorf("%s:%d: unknown front matter key %q (use title, to, channel, event, jurisdictions, needs, description)", where, i+1, clip(k))
		}
	}
	if end < 0 {
		return nil, fmt.Errorf("%s: the front matter has no closing --- line", where)
	}
	switch {
	case t.Title == "":
		return nil, fmt.Errorf("%s: front matter: title is required", where)
	case !slices.Contains(LetterParties, t.To):
		return nil, fmt.Errorf("%s: front matter: to must be one of %s, not %q", where, strings.Join(LetterParties, ", "), clip(t.To))
	case t.Channel != "letter" && t.Channel != "email":
		return nil, fmt.Errorf("%s: front matter: channel must be letter or email, not %q", where, clip(t.Channel))
	case t.Event != EventCorrespondence:
		return nil, fmt.Errorf("%s: front matter: event must be %q (saving a letter records correspondence out), not %q", where, EventCorrespondence, clip(t.Event))
	}
	if len(t.Jurisdictions) == 0 {
		t.Jurisdictions = []string{pack}
	}
	for _, j := range t.Jurisdictions {
		if !slices.Contains(PackIDs(), j) {
			return nil, fmt.Errorf("%s: front matter: jurisdictions: %q is not a rule pack (%s)", where, clip(j), strings.Join(PackIDs(), ", "))
		}
	}
	// The body keeps its lines where they are in the file (the front
	// matter becomes blank lines), so an error's line is the file's line.
	body := strings.Repeat("\n", end+1) + strings.Join(lines[end+1:], "\n")
	tmpl, err := template.New(where).Option("missingkey=error").Funcs(letterFuncs).Parse(body)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
	}
	if err := checkFields(tmpl, reflect.TypeFor[LetterCase]()); err != nil {
		return nil, err
	}
	t.body = tmpl
	return t, nil
}

// FindTemplate finds a template by NAME or PACK/NAME among those for a
// case of the jurisdiction ("" any).
func FindTemplate(all []*LetterTemplate, name, jurisdiction string) (*LetterTemplate, error) {
	var hits []*LetterTemplate
	for _, t := range all {
		if (t.ID() == name || t.Name == name) && (jurisdiction == "" || t.For(jurisdiction)) {
			hits = append(hits, t)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		var names []string
		for _, t := range all {
			if jurisdiction == "" || t.For(jurisdiction) {
				names = append(names, t.ID())
			}
		}
		if jurisdiction != "" {
			return nil, fmt.Errorf("no template %q for %s cases (there are: %s)", clip(name), jurisdiction, strings.Join(names, ", "))
		}
		return nil, fmt.Errorf("no template %q (there are: %s)", clip(name), strings.Join(names, ", "))
	}
	var ids []string
	for _, t := range hits {
		ids = append(ids, t.ID())
	}
	return nil, fmt.Errorf("%q is ambiguous: say which, %s", clip(name), strings.Join(ids, " or "))
}

// LetterNeeds are the conditions a template can need of a case, each with
// what a caseworker is told when the case does not meet it.
var LetterNeeds = map[string]struct {
	Has  func(LetterCase) bool
	Lack string
}{
	"track":     {func(c LetterCase) bool { return c.Track.Code != "" }, "the case has not been allocated yet"},
	"direction": {func(c LetterCase) bool { return c.Direction != nil }, "no direction has been given on the case"},
	"overdue-direction": {func(c LetterCase) bool { return c.Direction != nil && c.Direction.Overdue },
		"no direction on the case is overdue"},
	"hearing": {func(c LetterCase) bool { return c.Hearing != nil }, "no hearing is listed"},
	"missing": {func(c LetterCase) bool { return len(c.Missing) > 0 },
		"nothing is recorded as missing (mark the checklist items missing, or return the notice with its reasons)"},
	"late": {func(c LetterCase) bool { return c.Late }, "the appeal is not late"},
	"permission-decision": {func(c LetterCase) bool { return c.Permission == "granted" || c.Permission == "refused" },
		"no decision on permission to appeal late has been recorded"},
	"paper-decision": {func(c LetterCase) bool {
		return !c.On("paper-refusal-served").IsZero() || !c.On("permission-order-served").IsZero()
	}, "no decision on permission has been served (paper-refusal-served or permission-order-served)"},
	"letter-before-claim": {func(c LetterCase) bool { return !c.On("letter-before-claim").IsZero() },
		"no letter before claim has been received"},
}

func needNames() []string {
	var out []string
	for n := range LetterNeeds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Ready says whether the case has what the template needs; the error says
// what is lacking.
func (t *LetterTemplate) Ready(c LetterCase) error {
	var lacks []string
	for _, n := range t.Needs {
		if !LetterNeeds[n].Has(c) {
			lacks = append(lacks, LetterNeeds[n].Lack)
		}
	}
	if len(lacks) > 0 {
		return fmt.Errorf("%s: %q does not fit this case yet: %s", c.Reference, t.Title, strings.Join(lacks, "; "))
	}
	return nil
}
