package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// Contacts are where letters and emails to a case's parties go.
type Contacts struct {
	AppellantAddress      string `json:"appellant_address,omitempty"`
	AppellantEmail        string `json:"appellant_email,omitempty"`
	RepresentativeAddress string `json:"representative_address,omitempty"`
	RepresentativeEmail   string `json:"representative_email,omitempty"`
	RespondentAddress     string `json:"respondent_address,omitempty"`
	RespondentEmail       string `json:"respondent_email,omitempty"`
}

func contactsOf(n domain.Notice) Contacts {
	return Contacts{n.AppellantAddress, n.AppellantEmail, n.RepresentativeAddress, n.RepresentativeEmail,
		n.RespondentAddress, n.RespondentEmail}
}

func (c Contacts) fields() []string {
	return []string{c.AppellantAddress, c.AppellantEmail, c.RepresentativeAddress, c.RepresentativeEmail,
		c.RespondentAddress, c.RespondentEmail}
}

func (c Contacts) empty() bool { return strings.Join(c.fields(), "") == "" }

// putContacts writes a notice's addresses for case id (a corrected notice
// replaces them). A notice giving none writes nothing, so a bulk load of
// notices without addresses costs nothing more.
func putContacts(ctx context.Context, tx *sql.Tx, id int64, n domain.Notice, replace bool) error {
	c := contactsOf(n)
	if c.empty() {
		if replace {
			_, err := tx.ExecContext(ctx, "DELETE FROM case_contacts WHERE case_id = ?", id)
			return err
		}
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_contacts(case_id, appellant_address, appellant_email,
		representative_address, representative_email, respondent_address, respondent_email) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(case_id) DO UPDATE SET appellant_address = excluded.appellant_address,
		appellant_email = excluded.appellant_email, representative_address = excluded.representative_address,
		representative_email = excluded.representative_email, respondent_address = excluded.respondent_address,
		respondent_email = excluded.respondent_email`,
		id, c.AppellantAddress, c.AppellantEmail, c.RepresentativeAddress, c.RepresentativeEmail,
		c.RespondentAddress, c.RespondentEmail)
	return err
}

// contactsHash is the part of a notice's content hash its addresses add:
// nothing when it gives none, so notices imported before addresses were
// read keep their hash.
func contactsHash(n domain.Notice) []string {
	c := contactsOf(n)
	if c.empty() {
		return nil
	}
	return c.fields()
}

func loadContacts(ctx context.Context, q querier, caseID int64) (*Contacts, error) {
	var c Contacts
	err := q.QueryRowContext(ctx, `SELECT appellant_address, appellant_email, representative_address, representative_email,
		respondent_address, respondent_email FROM case_contacts WHERE case_id = ?`, caseID).
		Scan(&c.AppellantAddress, &c.AppellantEmail, &c.RepresentativeAddress, &c.RepresentativeEmail,
			&c.RespondentAddress, &c.RespondentEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// Letter is a letter or email saved on a case.
type Letter struct {
	ID            int64       `json:"id"`
	Reference     string      `json:"reference"`
	Template      string      `json:"template"`
	Title         string      `json:"title"`
	Recipient     string      `json:"recipient"` // appellant, representative, respondent, lawyers
	RecipientName string      `json:"recipient_name"`
	Channel       string      `json:"channel"` // letter or email
	Dated         domain.Date `json:"dated"`
	Replaces      int64       `json:"replaces,omitempty"`    // the letter this one corrects
	ReplacedBy    int64       `json:"replaced_by,omitempty"` // the correction that replaced it
	Path          string      `json:"path"`                  // the Markdown text (absolute)
	PDFPath       string      `json:"pdf_path,omitempty"`
	SHA256        string      `json:"sha256"`
	Event         int64       `json:"event"` // the correspondence out it recorded
	At            time.Time   `json:"at"`
	User          string      `json:"user"`
}

// NewLetter is a drafted letter to save.
type NewLetter struct {
	Template      string
	Title         string
	Recipient     string
	RecipientName string
	Channel       string
	Replaces      int64 // a correction: the letter it replaces (0 none)
	Markdown      []byte
	PDF           []byte // optional: the letter as sent on paper
}

// SaveLetter records a letter on a case: its text (and PDF) kept beside
// the database, 0600 in 0700 folders, and "correspondence out" on the
// timeline, in one transaction. A saved letter is never rewritten; to put
// one right, save a correction with Replaces set.
func (s *Store) SaveLetter(ctx context.Context, ref string, l NewLetter, opt ActOptions) (Letter, error) {
	var out Letter
	if l.Template == "" || l.Title == "" || len(l.Markdown) == 0 {
		return out, errors.New("a letter needs its template, title and text")
	}
	if l.Channel != "letter" && l.Channel != "email" {
		return out, fmt.Errorf("channel must be letter or email, not %q", l.Channel)
	}
	if err := s.filesRefused("saving letters"); err != nil {
		return out, err
	}
	var written []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		written = nil
		id, err := caseID(ctx, tx, ref)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT reference FROM cases WHERE id = ?", id).Scan(&out.Reference); err != nil {
			return err
		}
		var replaces any
		what := ""
		if l.Replaces != 0 {
			var onCase int64
			var title, dated string
			err := tx.QueryRowContext(ctx, "SELECT case_id, title, dated FROM letters WHERE id = ?", l.Replaces).Scan(&onCase, &title, &dated)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && onCase != id) {
				return fmt.Errorf("%s has no letter %d to replace", out.Reference, l.Replaces)
			}
			if err != nil {
				return err
			}
			var by int64
			if err := tx.QueryRowContext(ctx, "SELECT id FROM letters WHERE replaces = ?", l.Replaces).Scan(&by); err == nil {
				return fmt.Errorf("%s: letter %d was already replaced by letter %d: correct that one", out.Reference, l.Replaces, by)
			}
			replaces = l.Replaces
			what = fmt.Sprintf(", replacing letter %d of %s", l.Replaces, mustDate(dated).UK())
		}
		nextLetter, err := s.dialect.nextIDs(ctx, tx, "letters", 1)
		if err != nil {
			return err
		}
		letterID, err := nextLetter()
		if err != nil {
			return err
		}
		dir := filepath.Join(s.FilesDir(), "letters", fmt.Sprint(id))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		for _, d := range []string{s.FilesDir(), filepath.Dir(dir), dir} {
			os.Chmod(d, 0o700)
		}
		base := fmt.Sprintf("%d-%s", letterID, safeFileName(strings.ReplaceAll(l.Template, "/", "-"), 1))
		mdPath := filepath.Join(dir, base+".md")
		if err := writeNew(mdPath, l.Markdown); err != nil {
			return err
		}
		written = append(written, mdPath)
		pdfRel := ""
		if len(l.PDF) > 0 {
			p := filepath.Join(dir, base+".pdf")
			if err := writeNew(p, l.PDF); err != nil {
				return err
			}
			written = append(written, p)
			pdfRel, _ = filepath.Rel(s.FilesDir(), p)
		}
		mdRel, _ := filepath.Rel(s.FilesDir(), mdPath)
		to := l.Recipient
		if l.RecipientName != "" {
			to = l.RecipientName + " (" + l.Recipient + ")"
		}
		e := domain.Event{Kind: domain.EventCorrespondence, On: opt.On, User: opt.User,
			Data: domain.EventData{Channel: l.Channel, Way: "out", Letter: letterID,
				Text: fmt.Sprintf("%s to %s (letter %d%s)", l.Title, to, letterID, what)}}
		if err := s.recordTx(ctx, tx, id, &e); err != nil {
			return err
		}
		sum := sha256.Sum256(l.Markdown)
		out = Letter{ID: letterID, Reference: out.Reference, Template: l.Template, Title: l.Title, Recipient: l.Recipient,
			RecipientName: l.RecipientName, Channel: l.Channel, Dated: opt.On, Replaces: l.Replaces, Path: mdPath,
			SHA256: hex.EncodeToString(sum[:]), Event: e.ID, At: e.At, User: opt.User}
		if pdfRel != "" {
			out.PDFPath = filepath.Join(s.FilesDir(), pdfRel)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO letters(id, case_id, event_id, template, title, recipient, recipient_name,
			channel, dated, replaces, path, pdf_path, sha256, at, user) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			letterID, id, e.ID, l.Template, l.Title, l.Recipient, l.RecipientName, l.Channel, opt.On.String(), replaces,
			mdRel, pdfRel, out.SHA256, e.At.Format(time.RFC3339Nano), opt.User)
		return err
	})
	if err != nil {
		// Nothing was recorded: the files written for it go too.
		for _, p := range written {
			os.Remove(p)
		}
		return Letter{}, err
	}
	return out, nil
}

const letterColumns = `l.id, c.reference, l.template, l.title, l.recipient, l.recipient_name, l.channel, l.dated,
	l.replaces, (SELECT r.id FROM letters r WHERE r.replaces = l.id), l.path, l.pdf_path, l.sha256, l.event_id, l.at, l.user`

func (s *Store) scanLetter(r scanner) (Letter, error) {
	var l Letter
	var dated, at, pdf string
	var replaces, by sql.NullInt64
	if err := r.Scan(&l.ID, &l.Reference, &l.Template, &l.Title, &l.Recipient, &l.RecipientName, &l.Channel, &dated,
		&replaces, &by, &l.Path, &pdf, &l.SHA256, &l.Event, &at, &l.User); err != nil {
		return l, err
	}
	l.Dated = mustDate(dated)
	l.At, _ = time.Parse(time.RFC3339Nano, at)
	l.Replaces, l.ReplacedBy = replaces.Int64, by.Int64
	l.Path = filepath.Join(s.FilesDir(), l.Path)
	if pdf != "" {
		l.PDFPath = filepath.Join(s.FilesDir(), pdf)
	}
	return l, nil
}

// caseLetters fills in a case's letters and addresses.
func (s *Store) caseLetters(ctx context.Context, c *Case) error {
	rows, err := s.db.QueryContext(ctx, "SELECT "+letterColumns+` FROM letters l JOIN cases c ON c.id = l.case_id
		WHERE l.case_id = ? ORDER BY l.id`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.Letters = []Letter{}
	for rows.Next() {
		l, err := s.scanLetter(rows)
		if err != nil {
			return err
		}
		c.Letters = append(c.Letters, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.Contacts, err = loadContacts(ctx, s.db, c.ID)
	return err
}

// LetterByID returns a saved letter on the case ref.
func (s *Store) LetterByID(ctx context.Context, ref string, id int64) (*Letter, error) {
	l, err := s.scanLetter(s.db.QueryRowContext(ctx, "SELECT "+letterColumns+` FROM letters l JOIN cases c ON c.id = l.case_id
		WHERE l.id = ? AND c.reference = ?`, id, normRef(ref)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s has no letter %d", normRef(ref), id)
	}
	return &l, err
}

// LetterText reads a saved letter's text back, refusing one whose file has
// changed since it was saved (a record is never rewritten).
func (s *Store) LetterText(l *Letter) ([]byte, error) {
	b, err := os.ReadFile(l.Path)
	if err != nil {
		return nil, fmt.Errorf("%s letter %d: %w", l.Reference, l.ID, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != l.SHA256 {
		return b, fmt.Errorf("%s letter %d: %s has changed since it was saved", l.Reference, l.ID, l.Path)
	}
	return b, nil
}

// LetterFacts is what a letter template needs to know of a case, and the
// case's rule pack.
func (s *Store) LetterFacts(ctx context.Context, ref string) (domain.LetterFacts, *domain.RulePack, error) {
	c, err := s.Case(ctx, ref)
	if err != nil {
		return domain.LetterFacts{}, nil, err
	}
	n := domain.Notice{Reference: c.Reference, Received: c.Received, DecisionDate: c.DecisionDate, Appellant: c.Appellant,
		Representative: c.Representative, Respondent: c.Respondent, Subject: c.Subject, AmountPence: c.AmountPence,
		Grounds: c.Grounds, HMRCReference: c.HMRCReference, LateReason: c.LateReason, Jurisdiction: c.Jurisdiction}
	if k := c.Contacts; k != nil {
		n.AppellantAddress, n.AppellantEmail = k.AppellantAddress, k.AppellantEmail
		n.RepresentativeAddress, n.RepresentativeEmail = k.RepresentativeAddress, k.RepresentativeEmail
		n.RespondentAddress, n.RespondentEmail = k.RespondentAddress, k.RespondentEmail
	}
	return domain.LetterFacts{Notice: n, Track: c.TrackOrNone(), Status: c.Status, AllocatedOn: c.AllocatedOn,
		Late: c.Late, DaysLate: c.DaysLate, Deadlines: c.Deadlines, Events: c.Events}, s.PackOf(c.Jurisdiction), nil
}

// AllocatedOn lists the references of the cases whose current allocation
// was made on day, in reference order, from the allocation index.
func (s *Store) AllocatedOn(ctx context.Context, day domain.Date) ([]string, error) {
	q := "SELECT reference FROM cases INDEXED BY cases_allocated_on WHERE allocated_on = ?"
	args := []any{day.String()}
	if j := scope(ctx); j != "" {
		q += " AND jurisdiction = ?"
		args = append(args, j)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY reference", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Letters lists the letters saved on a case, oldest first.
func (s *Store) Letters(ctx context.Context, ref string) ([]Letter, error) {
	id, err := caseID(ctx, s.db, ref)
	if err != nil {
		return nil, err
	}
	c := &Case{CaseRow: CaseRow{ID: id}}
	if err := s.caseLetters(ctx, c); err != nil {
		return nil, err
	}
	return c.Letters, nil
}
