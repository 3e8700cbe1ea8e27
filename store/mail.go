package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London for the day a message arrived, whatever the machine's zone files

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/mailfile"
)

// Mail is one message in the correspondence inbox.
type Mail struct {
	ID          int64            `json:"id"`
	MessageID   string           `json:"message_id,omitempty"`
	From        string           `json:"from"`
	FromAddr    string           `json:"from_address,omitempty"`
	Subject     string           `json:"subject"`
	Sent        time.Time        `json:"sent,omitzero"`
	Received    domain.Date      `json:"received"`
	Body        string           `json:"body"`
	HTML        bool             `json:"html"` // the body was converted from HTML
	Source      string           `json:"source"`
	Reference   string           `json:"reference,omitempty"` // the case it is linked to
	LinkedBy    string           `json:"linked_by,omitempty"` // "reference" (found in the text) or the user who linked it
	ReplyDue    domain.Date      `json:"reply_due"`
	Status      string           `json:"status"` // open, replied, done
	RepliedOn   domain.Date      `json:"replied_on,omitzero"`
	Summary     string           `json:"summary,omitempty"`
	DoneOn      domain.Date      `json:"done_on,omitzero"`
	Attachments []MailAttachment `json:"attachments"`
}

// MailAttachment is a file that came with a message, saved beside the
// database.
type MailAttachment struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	Path string `json:"path"` // full path of the saved copy
}

// Mail statuses.
const (
	MailOpen    = "open"
	MailReplied = "replied"
	MailDone    = "done"
)

// MailImportResult says what a mail import did.
type MailImportResult struct {
	Imported   int      `json:"imported"`
	Duplicates int      `json:"duplicates"` // already imported (same Message-ID, or same content)
	Linked     int      `json:"linked"`     // linked to a case by a reference in the subject or body
	Unlinked   int      `json:"unlinked"`
	References []string `json:"references"` // cases mail was linked to, in import order
}

// MailFilter narrows the mail list; zero values mean any.
type MailFilter struct {
	Status    string // open, replied, done; "" any
	Unlinked  bool
	Reference string
}

var london = mustLocation("Europe/London")

func mustLocation(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return l
}

// FilesDir is where attachments are kept: beside the database, in a
// directory named after it, readable by the owner only.
func (s *Store) FilesDir() string { return s.path + ".files" }

// ImportMail records messages in the correspondence inbox, all or nothing.
// A message already held (same Message-ID, or without one the same bytes)
// is skipped. A message naming a known case reference in its subject, else
// its body, is linked to that case and appears on its timeline as
// correspondence in; otherwise it waits unlinked. Its reply is due the
// service level's working days after the day it arrived (UK time; the day
// of import when the message has no usable date).
func (s *Store) ImportMail(ctx context.Context, msgs []mailfile.Message, opt ActOptions) (MailImportResult, error) {
	var res MailImportResult
	var written []string // attachment directories, removed again if the transaction fails
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = MailImportResult{}
		for _, m := range msgs {
			dup, err := s.mailHeld(ctx, tx, m)
			if err != nil {
				return err
			}
			if dup {
				res.Duplicates++
				continue
			}
			received := opt.On
			if !m.Date.IsZero() {
				if d := domain.DateOf(m.Date.In(london)); !d.After(opt.On) {
					received = d
				}
			}
			var sent any
			if !m.Date.IsZero() {
				sent = m.Date.Format(time.RFC3339)
			}
			var msgID any
			if m.MessageID != "" {
				msgID = m.MessageID
			}
			due := s.cal.AddWorkingDays(received, s.mailReplyDays)
			r, err := tx.ExecContext(ctx, `INSERT INTO mail(message_id, hash, sender, sender_addr, sent, received, subject,
				body, html, source, reply_due, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
				msgID, m.Hash, m.From, m.FromAddr, sent, received.String(), m.Subject, m.Text, m.HTML, m.Source,
				due.String(), MailOpen)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			id, _ := r.LastInsertId()
			dir, err := s.saveAttachments(ctx, tx, id, m.Attachments)
			if dir != "" {
				written = append(written, dir)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			res.Imported++
			ref, err := s.findReference(ctx, tx, m.Subject, m.Text)
			if err != nil {
				return err
			}
			if ref == "" {
				res.Unlinked++
				continue
			}
			if err := s.linkMail(ctx, tx, id, ref, "reference", opt); err != nil {
				return err
			}
			res.Linked++
			res.References = append(res.References, ref)
		}
		return nil
	})
	if err != nil {
		for _, d := range written {
			os.RemoveAll(d)
		}
	}
	return res, err
}

func (s *Store) mailHeld(ctx context.Context, tx *sql.Tx, m mailfile.Message) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail WHERE message_id = ? OR hash = ?`,
		m.MessageID, m.Hash).Scan(&n)
	return n > 0, err
}

// saveAttachments writes a message's attachments under FilesDir/mail/ID,
// 0600 in 0700 directories, and lists them. Names are reduced to a safe
// base name: a sender chooses them.
func (s *Store) saveAttachments(ctx context.Context, tx *sql.Tx, mailID int64, atts []mailfile.Attachment) (string, error) {
	if len(atts) == 0 {
		return "", nil
	}
	dir := filepath.Join(s.FilesDir(), "mail", fmt.Sprint(mailID))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	os.Chmod(s.FilesDir(), 0o700)
	os.Chmod(filepath.Dir(dir), 0o700)
	used := map[string]bool{}
	for i, a := range atts {
		name := safeFileName(a.Name, i+1)
		for n := 2; used[name]; n++ {
			ext := filepath.Ext(name)
			name = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(safeFileName(a.Name, i+1), ext), n, ext)
		}
		used[name] = true
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, a.Data, 0o600); err != nil {
			return dir, err
		}
		rel, _ := filepath.Rel(s.FilesDir(), path)
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_attachments(mail_id, name, size, path) VALUES (?,?,?,?)`,
			mailID, a.Name, len(a.Data), rel); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// safeFileName keeps a sender's file name readable but harmless: no
// directories, no control characters, no leading dot, not too long.
func safeFileName(name string, n int) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == ':' {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" {
		name = fmt.Sprintf("attachment-%d", n)
	}
	return name
}

// findReference returns the first reference of any pack in subject, then
// body, that names a case held; "" if none does.
func (s *Store) findReference(ctx context.Context, tx *sql.Tx, subject, body string) (string, error) {
	for _, text := range []string{subject, body} {
		for _, p := range s.Packs() {
			for _, ref := range p.ReferenceRegexp().FindAllString(text, 20) {
				var id int64
				err := tx.QueryRowContext(ctx, "SELECT id FROM cases WHERE reference = ?", normRef(ref)).Scan(&id)
				if err == nil {
					return normRef(ref), nil
				}
				if !errors.Is(err, sql.ErrNoRows) {
					return "", err
				}
			}
		}
	}
	return "", nil
}

// linkMail ties a message to a case and records it on the case's
// timeline as correspondence in.
func (s *Store) linkMail(ctx context.Context, tx *sql.Tx, mailID int64, ref, by string, opt ActOptions) error {
	id, err := caseID(ctx, tx, ref)
	if err != nil {
		return err
	}
	var from, subject, received string
	var linked sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT sender, subject, received, case_id FROM mail WHERE id = ?", mailID).
		Scan(&from, &subject, &received, &linked); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no message %d in the mail inbox", mailID)
		}
		return err
	}
	if linked.Valid {
		var have string
		tx.QueryRowContext(ctx, "SELECT reference FROM cases WHERE id = ?", linked.Int64).Scan(&have)
		return fmt.Errorf("message %d is already linked to %s", mailID, have)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE mail SET case_id = ?, linked_by = ? WHERE id = ?", id, by, mailID); err != nil {
		return err
	}
	if subject == "" {
		subject = "(no subject)"
	}
	e := domain.Event{Kind: domain.EventCorrespondence, On: mustDate(received), User: opt.User,
		Data: domain.EventData{Channel: "email", Way: "in", Text: subject + " — from " + from, Mail: mailID}}
	return s.recordTx(ctx, tx, id, &e)
}

// recordTx adds a casework event inside the caller's transaction.
func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, caseID int64, e *domain.Event) error {
	events, err := loadEvents(ctx, tx, caseID)
	if err != nil {
		return err
	}
	var late bool
	if err := tx.QueryRowContext(ctx, "SELECT late FROM cases WHERE id = ?", caseID).Scan(&late); err != nil {
		return err
	}
	if err := domain.PrepareCasework(domain.Replay(events), late, e); err != nil {
		return err
	}
	if err := s.insertEvent(ctx, tx, caseID, e); err != nil {
		return err
	}
	return s.refresh(ctx, tx, caseID)
}

// LinkMail links an unlinked message to a case (the caseworker's choice).
func (s *Store) LinkMail(ctx context.Context, mailID int64, ref string, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := permitMail(ctx, tx, mailID, opt.User); err != nil {
			return err
		}
		return s.linkMail(ctx, tx, mailID, ref, opt.User, opt)
	})
}

// MailReplied marks a message replied to, with a one-line summary; on a
// linked case the reply goes on the timeline as correspondence out.
func (s *Store) MailReplied(ctx context.Context, mailID int64, summary string, opt ActOptions) error {
	summary = strings.TrimSpace(summary)
	if summary == "" {
		return errors.New("give a one-line summary of the reply")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		m, err := mailRow(ctx, tx, mailID)
		if err != nil {
			return err
		}
		if err := permitMail(ctx, tx, mailID, opt.User); err != nil {
			return err
		}
		if m.Status != MailOpen {
			return fmt.Errorf("message %d is already %s", mailID, m.Status)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE mail SET status = ?, replied_on = ?, summary = ? WHERE id = ?",
			MailReplied, opt.On.String(), summary, mailID); err != nil {
			return err
		}
		if m.caseID == 0 {
			return nil
		}
		e := domain.Event{Kind: domain.EventCorrespondence, On: opt.On, User: opt.User,
			Data: domain.EventData{Channel: "email", Way: "out", Text: summary, Mail: mailID}}
		return s.recordTx(ctx, tx, m.caseID, &e)
	})
}

// MailDone marks a message as needing nothing more (no reply needed, or
// replied and filed).
func (s *Store) MailDone(ctx context.Context, mailID int64, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		m, err := mailRow(ctx, tx, mailID)
		if err != nil {
			return err
		}
		if err := permitMail(ctx, tx, mailID, opt.User); err != nil {
			return err
		}
		if m.Status == MailDone {
			return fmt.Errorf("message %d is already done", mailID)
		}
		_, err = tx.ExecContext(ctx, "UPDATE mail SET status = ?, done_on = ? WHERE id = ?", MailDone, opt.On.String(), mailID)
		return err
	})
}

const mailColumns = `m.id, coalesce(m.message_id, ''), m.sender, m.sender_addr, coalesce(m.sent, ''), m.received, m.subject,
	m.body, m.html, m.source, coalesce(c.reference, ''), m.linked_by, m.reply_due, m.status, coalesce(m.replied_on, ''),
	m.summary, coalesce(m.done_on, ''), coalesce(m.case_id, 0)`

type mailWithCase struct {
	Mail
	caseID int64
}

func scanMail(r scanner) (mailWithCase, error) {
	var m mailWithCase
	var sent, received, due, replied, done string
	err := r.Scan(&m.ID, &m.MessageID, &m.From, &m.FromAddr, &sent, &received, &m.Subject, &m.Body, &m.HTML, &m.Source,
		&m.Reference, &m.LinkedBy, &due, &m.Status, &replied, &m.Summary, &done, &m.caseID)
	if err != nil {
		return m, err
	}
	m.Sent, _ = time.Parse(time.RFC3339, sent)
	m.Received, m.ReplyDue = mustDate(received), mustDate(due)
	m.RepliedOn, m.DoneOn = mustDate(replied), mustDate(done)
	m.Attachments = []MailAttachment{}
	return m, nil
}

func mailRow(ctx context.Context, q querier, id int64) (mailWithCase, error) {
	m, err := scanMail(q.QueryRowContext(ctx, "SELECT "+mailColumns+" FROM mail m LEFT JOIN cases c ON c.id = m.case_id WHERE m.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("no message %d in the mail inbox", id)
	}
	return m, err
}

// MailItem returns one message with its attachments.
func (s *Store) MailItem(ctx context.Context, id int64) (*Mail, error) {
	m, err := mailRow(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if m.Attachments, err = s.attachments(ctx, id); err != nil {
		return nil, err
	}
	return &m.Mail, nil
}

func (s *Store) attachments(ctx context.Context, mailID int64) ([]MailAttachment, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, size, path FROM mail_attachments WHERE mail_id = ? ORDER BY rowid", mailID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MailAttachment{}
	for rows.Next() {
		var a MailAttachment
		if err := rows.Scan(&a.Name, &a.Size, &a.Path); err != nil {
			return nil, err
		}
		a.Path = filepath.Join(s.FilesDir(), a.Path)
		out = append(out, a)
	}
	return out, rows.Err()
}

// MailList lists messages, open ones by reply date (most pressing first),
// others newest first. Limited to a jurisdiction, it shows that
// jurisdiction's linked mail and all unlinked mail (which may be for it).
func (s *Store) MailList(ctx context.Context, f MailFilter, offset, limit int) ([]Mail, error) {
	var terms []string
	var args []any
	switch f.Status {
	case "":
	case MailOpen:
		terms = append(terms, "m.status = 'open'") // a literal, so the partial index mail_open serves it
	default:
		terms, args = append(terms, "m.status = ?"), append(args, f.Status)
	}
	if f.Unlinked {
		terms = append(terms, "m.case_id IS NULL")
	}
	if f.Reference != "" {
		terms, args = append(terms, "c.reference = ?"), append(args, normRef(f.Reference))
	}
	if j := scope(ctx); j != "" {
		terms, args = append(terms, "(m.case_id IS NULL OR c.jurisdiction = ?)"), append(args, j)
	}
	q := "SELECT " + mailColumns + " FROM mail m LEFT JOIN cases c ON c.id = m.case_id"
	if len(terms) > 0 {
		q += " WHERE " + strings.Join(terms, " AND ")
	}
	if f.Status == MailOpen {
		q += " ORDER BY m.reply_due, m.id"
	} else {
		q += " ORDER BY m.received DESC, m.id DESC"
	}
	rows, err := s.db.QueryContext(ctx, q+" LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Mail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m.Mail)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, s.withAttachments(ctx, out)
}

// withAttachments fills in the attachments of a page of messages in one
// query.
func (s *Store) withAttachments(ctx context.Context, ms []Mail) error {
	if len(ms) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]any, len(ms))
	for i, m := range ms {
		at[m.ID], ids[i] = i, m.ID
	}
	rows, err := s.db.QueryContext(ctx, "SELECT mail_id, name, size, path FROM mail_attachments WHERE mail_id IN (?"+
		strings.Repeat(",?", len(ids)-1)+") ORDER BY rowid", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a MailAttachment
		if err := rows.Scan(&id, &a.Name, &a.Size, &a.Path); err != nil {
			return err
		}
		a.Path = filepath.Join(s.FilesDir(), a.Path)
		ms[at[id]].Attachments = append(ms[at[id]].Attachments, a)
	}
	return rows.Err()
}

// CaseMail lists the messages linked to a case, newest first, with their
// attachments, whatever jurisdiction is shown (the case was asked for).
func (s *Store) CaseMail(ctx context.Context, ref string) ([]Mail, error) {
	return s.MailList(InJurisdiction(ctx, ""), MailFilter{Reference: ref}, 0, 200)
}
