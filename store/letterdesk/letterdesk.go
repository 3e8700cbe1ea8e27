// Package letterdesk drafts and saves letters on cases: the case read from
// the store, the template rendered by domain, the PDF laid out by
// letterfile, the record written by the store. The command line and the
// UI both draft through it, so they refuse the same things.
package letterdesk

import (
	"context"
	"fmt"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/letterfile"
)

// Store is what the desk reads and writes. *store.Store is one; a team
// server's session store is another, which saves as the session's user
// and tells the other sessions.
type Store interface {
	LetterFacts(ctx context.Context, ref string) (domain.LetterFacts, *domain.RulePack, error)
	LetterByID(ctx context.Context, ref string, id int64) (*store.Letter, error)
	SaveLetter(ctx context.Context, ref string, l store.NewLetter, opt store.ActOptions) (store.Letter, error)
	Letters(ctx context.Context, ref string) ([]store.Letter, error)
	LetterText(l *store.Letter) ([]byte, error)
}

var _ Store = (*store.Store)(nil)

// Desk drafts as one caseworker on one day.
type Desk struct {
	Store     Store
	Templates []*domain.LetterTemplate
	Office    domain.LetterOffice
	User      string
	Today     domain.Date
}

// Request is one letter to draft.
type Request struct {
	Ref      string
	Template string // NAME or PACK/NAME
	To       string // "" the template's recipient
	Replaces int64  // a correction of saved letter N
	// Direction is the direction the letter is about (0: the earliest not
	// complied with).
	Direction int64
	// Channel is how it will go ("" the template's): a PDF is a letter,
	// an .eml an email, whatever the template's usual channel.
	Channel string
}

// Draft is a drafted letter with what saving it needs.
type Draft struct {
	Request
	Template *domain.LetterTemplate
	Letter   domain.Letter
	Case     domain.LetterCase
	// NoAddress says, before anything is sent or saved, that the
	// recipient cannot be reached on the channel; nil when it can.
	NoAddress error
}

// For lists the templates for cases of a jurisdiction, in order.
func (d *Desk) For(jurisdiction string) []*domain.LetterTemplate {
	var out []*domain.LetterTemplate
	for _, t := range d.Templates {
		if t.For(jurisdiction) {
			out = append(out, t)
		}
	}
	return out
}

// Draft renders a template on a case. It records nothing.
func (d *Desk) Draft(ctx context.Context, r Request) (Draft, error) {
	facts, pack, err := d.Store.LetterFacts(ctx, r.Ref)
	if err != nil {
		return Draft{}, err
	}
	tm, err := domain.FindTemplate(d.Templates, r.Template, pack.ID)
	if err != nil {
		return Draft{}, fmt.Errorf("%s: %w", facts.Notice.Reference, err)
	}
	if r.To == "" {
		r.To = tm.To
	}
	if r.Channel == "" {
		r.Channel = tm.Channel
	}
	c, err := domain.NewLetterCase(pack, facts, r.To, d.User, d.Today, d.Office)
	if err != nil {
		return Draft{}, err
	}
	if r.Direction != 0 && !c.ChooseDirection(r.Direction) {
		return Draft{}, fmt.Errorf("%s has no direction %d", facts.Notice.Reference, r.Direction)
	}
	if err := tm.Ready(c); err != nil {
		return Draft{}, err
	}
	if r.Replaces != 0 {
		old, err := d.Store.LetterByID(ctx, r.Ref, r.Replaces)
		if err != nil {
			return Draft{}, err
		}
		c.Replaces = &domain.LetterReplaced{ID: old.ID, Title: old.Title, Dated: domain.NewLetterDate(old.Dated)}
	}
	l, err := tm.Render(c)
	if err != nil {
		return Draft{}, err
	}
	r.Ref = facts.Notice.Reference
	return Draft{Request: r, Template: tm, Letter: l, Case: c, NoAddress: domain.CheckAddress(c, r.Channel)}, nil
}

// Save records a draft (its letter as it now stands, edits included):
// correspondence out on the timeline, the text and a PDF kept beside the
// database. A draft whose recipient has no address is refused.
func (d *Desk) Save(ctx context.Context, dr Draft) (store.Letter, error) {
	if dr.NoAddress != nil {
		return store.Letter{}, dr.NoAddress
	}
	pdf, err := letterfile.PDF(dr.Letter)
	if err != nil {
		return store.Letter{}, err
	}
	return d.Store.SaveLetter(ctx, dr.Ref, store.NewLetter{Template: dr.Template.ID(), Title: dr.Template.Title,
		Recipient: dr.To, RecipientName: dr.Letter.To.Name, Channel: dr.Channel, Replaces: dr.Replaces,
		Markdown: []byte(dr.Letter.Markdown()), PDF: pdf}, store.ActOptions{User: d.User, On: d.Today})
}

// Letters lists the letters saved on a case, oldest first.
func (d *Desk) Letters(ctx context.Context, ref string) ([]store.Letter, error) {
	return d.Store.Letters(ctx, ref)
}

// Reopen reads a saved letter's text as it was saved.
func (d *Desk) Reopen(l store.Letter) (string, error) {
	b, err := d.Store.LetterText(&l)
	return string(b), err
}
