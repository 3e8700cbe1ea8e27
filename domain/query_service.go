package domain

import (
	"fmt"
	"slices"
	"strings"
)

// ServiceLevels say how many working days the office has to answer a
// query. They are settings ([queries] in config.toml): no statute fixes
// them, so every default below is [U], a starting point for the office.
type ServiceLevels struct {
	// ByChannel is the working days to answer a query by how it came.
	ByChannel map[Channel]int `toml:"by_channel"`
	// ByTopic overrides the channel's level for a topic (a hearing
	// tomorrow cannot wait ten days for a reply).
	ByTopic map[string]int `toml:"by_topic"`
	// Callback is the working days to return a call that could not be
	// answered at once, when a phone or webchat query is left open.
	Callback int `toml:"callback"`
	// Complaints are the stages of the complaints procedure.
	Complaints ComplaintLevels `toml:"complaints"`
}

// DefaultServiceLevels: email and letters within 10 working days, the
// same level the correspondence inbox already uses (mail_reply_days, [U]);
// a call or webchat that needs coming back to within 2 working days [U];
// someone who came in person, 5 [U]. A query about a hearing listed soon
// is answered within 1 working day [U].
func DefaultServiceLevels() ServiceLevels {
	return ServiceLevels{
		ByChannel:  map[Channel]int{ChannelEmail: 10, ChannelLetter: 10, ChannelPhone: 2, ChannelWebchat: 2, ChannelInPerson: 5},
		ByTopic:    map[string]int{"hearing": 1},
		Callback:   2,
		Complaints: DefaultComplaintLevels(),
	}
}

// Merge fills the levels an office left unset from the defaults, so a
// config file need only name what it changes.
func (l ServiceLevels) Merge(def ServiceLevels) ServiceLevels {
	out := def
	out.ByChannel = map[Channel]int{}
	for k, v := range def.ByChannel {
		out.ByChannel[k] = v
	}
	for k, v := range l.ByChannel {
		out.ByChannel[k] = v
	}
	out.ByTopic = map[string]int{}
	for k, v := range def.ByTopic {
		out.ByTopic[k] = v
	}
	for k, v := range l.ByTopic {
		out.ByTopic[k] = v
	}
	if l.Callback > 0 {
		out.Callback = l.Callback
	}
	if l.Complaints.Stage1 > 0 {
		out.Complaints.Stage1 = l.Complaints.Stage1
	}
	if l.Complaints.Stage2 > 0 {
		out.Complaints.Stage2 = l.Complaints.Stage2
	}
	if l.Complaints.Stage3 > 0 {
		out.Complaints.Stage3 = l.Complaints.Stage3
	}
	return out
}

// Validate refuses levels that cannot be meant: a channel that does not
// exist, a topic outside the taxonomy, or a level under one day.
func (l ServiceLevels) Validate(topics Taxonomy) error {
	for ch, n := range l.ByChannel {
		if _, err := ParseChannel(string(ch)); err != nil {
			return fmt.Errorf("queries.by_channel: %w", err)
		}
		if n < 1 {
			return fmt.Errorf("queries.by_channel.%s: %d working days: use 1 or more", ch, n)
		}
	}
	for t, n := range l.ByTopic {
		if !topics.Has(t) {
			return fmt.Errorf("queries.by_topic: %q is not a topic (use one of %s)", clip(t), strings.Join(topics.Slugs(), ", "))
		}
		if n < 1 {
			return fmt.Errorf("queries.by_topic.%s: %d working days: use 1 or more", t, n)
		}
	}
	for name, n := range map[string]int{"callback": l.Callback, "complaints.stage1": l.Complaints.Stage1,
		"complaints.stage2": l.Complaints.Stage2, "complaints.stage3": l.Complaints.Stage3} {
		if n < 1 {
			return fmt.Errorf("queries.%s: %d working days: use 1 or more", name, n)
		}
	}
	return nil
}

// Due is the last day to answer a query received on a day, and the level
// that set it. The received day is not counted; a query received at a
// weekend or on a bank holiday counts from the next working day, because
// only working days are counted at all. The shorter of the topic's and
// the channel's level applies.
func (l ServiceLevels) Due(cal *Calendar, ch Channel, topic string, received Date) (Date, string) {
	n, rule := l.ByChannel[ch], fmt.Sprintf("%s: %s", ch, plural(l.ByChannel[ch], "working day"))
	if n == 0 {
		n, rule = l.Callback, "callback: "+plural(l.Callback, "working day")
	}
	if t, ok := l.ByTopic[topic]; ok && t < n {
		n, rule = t, fmt.Sprintf("topic %s: %s", topic, plural(t, "working day"))
	}
	return cal.AddWorkingDays(received, n), rule
}

// CallbackDue is when a call or webchat left open must be returned.
func (l ServiceLevels) CallbackDue(cal *Calendar, received Date) Date {
	return cal.AddWorkingDays(received, l.Callback)
}

// ServiceLevelState says how a query stands against its service level on
// a day: "within", "due today", "overdue" (still open after its day), or
// for a resolved query whether it was "met" or "missed".
func ServiceLevelState(q Query, today Date) string {
	if !q.Status.Open() {
		if q.ResolvedOn.After(q.Due) {
			return "missed"
		}
		return "met"
	}
	switch {
	case today.After(q.Due):
		return "overdue"
	case today.Equal(q.Due):
		return "due today"
	}
	return "within"
}

// Topic is one entry of the knowledge base's taxonomy: what a query is
// about, so queries can be counted and articles found.
type Topic struct {
	Slug  string `json:"slug" toml:"slug"`
	Label string `json:"label" toml:"label"`
}

// Taxonomy is the list of topics, in the order a form offers them.
type Taxonomy []Topic

// DefaultTaxonomy is the topics every office starts with; knowledge-base
// articles may add their own (see KnowledgeBase.Taxonomy).
func DefaultTaxonomy() Taxonomy {
	return Taxonomy{
		{"progress", "Progress of a case"},
		{"how-to-apply", "How to appeal or apply"},
		{"late", "Late appeals and extensions of time"},
		{"documents", "Documents and evidence"},
		{"hearing", "Hearings and listing"},
		{"decision", "Decisions and what next"},
		{"withdrawal", "Withdrawing or settling"},
		{"fees", "Fees, payments and help with fees"},
		{"support", "Support needs and adjustments"},
		{"representation", "Representatives and legal help"},
		{"complaint", "Complaints about the service"},
		{"other", "Anything else"},
	}
}

// Has reports whether slug is a topic.
func (t Taxonomy) Has(slug string) bool {
	return slices.ContainsFunc(t, func(x Topic) bool { return x.Slug == slug })
}

// Slugs lists the topics' slugs.
func (t Taxonomy) Slugs() []string {
	out := make([]string, len(t))
	for i, x := range t {
		out[i] = x.Slug
	}
	return out
}

// Label is a topic's label, or the slug when it is not known.
func (t Taxonomy) Label(slug string) string {
	for _, x := range t {
		if x.Slug == slug {
			return x.Label
		}
	}
	return slug
}

// Match lists the topics whose slug or label contains what was typed, so
// a form can narrow the taxonomy as the officer types.
func (t Taxonomy) Match(typed string) Taxonomy {
	typed = strings.ToLower(strings.TrimSpace(typed))
	if typed == "" {
		return t
	}
	var out Taxonomy
	for _, x := range t {
		if strings.HasPrefix(x.Slug, typed) || strings.Contains(strings.ToLower(x.Label), typed) {
			out = append(out, x)
		}
	}
	return out
}

// WorkingDaysBetween counts the working days after from up to and
// including to: 0 for the same day, and for a query answered the working
// day after it came, 1.
func WorkingDaysBetween(cal *Calendar, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// Extend adds an office's own topics after the built-in ones. A slug is
// lower-case letters, digits and hyphens, and is not already a topic.
func (t Taxonomy) Extend(extra []Topic) (Taxonomy, error) {
	out := slices.Clone(t)
	for i, x := range extra {
		ok := x.Slug != ""
		for _, r := range x.Slug {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				ok = false
			}
		}
		if !ok {
			return t, fmt.Errorf("topics %d: slug %q: use lower-case letters, digits and hyphens", i+1, clip(x.Slug))
		}
		if out.Has(x.Slug) {
			return t, fmt.Errorf("topics %d: %q is already a topic", i+1, x.Slug)
		}
		if strings.TrimSpace(x.Label) == "" {
			x.Label = x.Slug
		}
		out = append(out, x)
	}
	return out, nil
}
