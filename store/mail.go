package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
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
	// Notes say where a message's date was not believed (before 1970,
	// after today) and what was used instead.
	Notes []string `json:"notes,omitempty"`
	// Skipped lists the messages left out by --skip-invalid, each with why.
	Skipped []string `json:"skipped,omitempty"`
}

// MailFilter narrows the mail list; zero values mean any.
type MailFilter struct {
	Status    string // open, replied, done; "" any
	Unlinked  bool
	Reference string
}

// london is read from the zone files at first use, not at every start.
var london = sync.OnceValue(func() *time.Location { return mustLocation("Europe/London") })

func mustLocation(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return l
}

// FilesDir is where attachments are kept: beside the database, in a
// directory named after it, readable by the owner only.
func (s *Store) FilesDir() string {
	if s.filesDir != "" {
		return s.filesDir
	}
	return s.path + ".files"
}

// filesRefused refuses what needs FilesDir on a PostgreSQL database that
// was given none.
func (s *Store) filesRefused(what string) error {
	if s.pg && s.filesDir == "" {
		return notSupportedError{what + " without a files folder", "set files = \"/a/shared/folder\" in config.toml (or CASELOAD_FILES): attachments and letters are files, kept there"}
	}
	return nil
}

// ImportMail records messages in the correspondence inbox (see MailImport,
// which it uses: batches of bounded transactions).
func (s *Store) ImportMail(ctx context.Context, msgs []mailfile.Message, opt ActOptions) (MailImportResult, error) {
	im := s.NewMailImport(opt)
	for _, m := range msgs {
		if err := im.Add(ctx, m); err != nil {
			return im.Result(), err
		}
	}
	return im.Finish(ctx)
}

// Batch bounds: a batch is one transaction, and while it commits other
// caseworkers' changes wait (the busy timeout), so it must stay short.
const (
	mailBatchMessages = 200
	mailBatchBytes    = 16 << 20
	// mailBatchPause lets a waiting writer in between batches.
	mailBatchPause = 20 * time.Millisecond
)

// MailImport adds messages to the correspondence inbox in batches, each
// one transaction (all or nothing). A message already held (same
// Message-ID, or without one the same bytes) is skipped, so an import that
// stopped part-way (a crash, a full disk) is finished by running it again.
// A message naming a known case reference in its subject, else its body, is
// linked to that case and appears on its timeline as correspondence in;
// otherwise it waits unlinked. Its reply is due the service level's working
// days after the day it arrived (UK time; the day of import when the
// message has no plausible date).
type MailImport struct {
	s       *Store
	opt     ActOptions
	batch   []mailfile.Message
	bytes   int
	res     MailImportResult // committed batches only
	batches int
}

// NewMailImport starts an import.
func (s *Store) NewMailImport(opt ActOptions) *MailImport { return &MailImport{s: s, opt: opt} }

// Add queues a message, committing a batch when one is full.
func (im *MailImport) Add(ctx context.Context, m mailfile.Message) error {
	im.batch = append(im.batch, m)
	im.bytes += len(m.Text)
	for _, a := range m.Attachments {
		im.bytes += len(a.Data)
	}
	if len(im.batch) >= mailBatchMessages || im.bytes >= mailBatchBytes {
		return im.flush(ctx)
	}
	return nil
}

// Finish commits the last batch and returns what the whole import did.
func (im *MailImport) Finish(ctx context.Context) (MailImportResult, error) {
	err := im.flush(ctx)
	return im.res, err
}

// Result is what the batches committed so far did.
func (im *MailImport) Result() MailImportResult { return im.res }

func (im *MailImport) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	if im.batches > 0 {
		time.Sleep(mailBatchPause)
	}
	im.batches++
	r, err := im.s.importMailBatch(ctx, im.batch, im.opt)
	im.batch, im.bytes = im.batch[:0], 0
	if err != nil {
		if im.res.Imported > 0 {
			return fmt.Errorf("%w (the %d messages imported before it are kept: run the same import again to add the rest; messages already held are skipped)",
				err, im.res.Imported)
		}
		return err
	}
	im.res.Imported += r.Imported
	im.res.Duplicates += r.Duplicates
	im.res.Linked += r.Linked
	im.res.Unlinked += r.Unlinked
	im.res.References = append(im.res.References, r.References...)
	im.res.Notes = append(im.res.Notes, r.Notes...)
	return nil
}

// earliestMailDate: a message dated before this is treated as undated.
var earliestMailDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// importMailBatch is one transaction. Attachments are written to a staging
// folder and moved into place only after the commit, under a folder named
// by the message's id and content hash, so a folder left by a killed import
// is never taken for another message's.
func (s *Store) importMailBatch(ctx context.Context, msgs []mailfile.Message, opt ActOptions) (MailImportResult, error) {
	var res MailImportResult
	var staged []stagedFiles
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, staged = MailImportResult{}, staged[:0]
		refresh := map[int64]bool{}
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
			var sent any
			switch {
			case m.Date.IsZero():
			case m.Date.Before(earliestMailDate):
				res.Notes = append(res.Notes, fmt.Sprintf("%s: dated %s, before 1970: taken as undated (received %s)",
					m.Source, m.Date.Format("2 Jan 2006"), opt.On.UK()))
			default:
				sent = m.Date.Format(time.RFC3339)
				if d := domain.DateOf(m.Date.In(london())); !d.After(opt.On) {
					received = d
				} else {
					res.Notes = append(res.Notes, fmt.Sprintf("%s: dated %s, after today: received taken as %s",
						m.Source, m.Date.In(london()).Format("2 Jan 2006"), opt.On.UK()))
				}
			}
			var msgID any
			if m.MessageID != "" {
				msgID = m.MessageID
			}
			due := s.cal.AddWorkingDays(received, s.mailReplyDays)
			newID, err := insertID(ctx, tx, `INSERT INTO mail(message_id, hash, sender, sender_addr, sent, received, subject,
				body, html, source, reply_due, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
				msgID, m.Hash, m.From, m.FromAddr, sent, received.String(), m.Subject, m.Text, m.HTML, m.Source,
				due.String(), MailOpen)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			id := newID
			sf, err := s.saveAttachments(ctx, tx, id, m.Hash, m.Attachments)
			if sf.stage != "" {
				staged = append(staged, sf)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			res.Imported++
			ref, err := s.findReference(ctx, tx, m.Subject, m.Text)
			if err != nil {
				return err
			}
			if err := s.queryFromMail(ctx, tx, id, m.From, m.FromAddr, m.Subject, received, ref, opt); err != nil {
				return err
			}
			if ref == "" {
				res.Unlinked++
				continue
			}
			if err := s.linkMailDeferred(ctx, tx, id, ref, "reference", opt, refresh); err != nil {
				return err
			}
			res.Linked++
			res.References = append(res.References, ref)
		}
		// Each case's state is replayed once per batch, not once per
		// message: many messages to one case stay linear.
		for caseID := range refresh {
			if err := s.refresh(ctx, tx, caseID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, sf := range staged {
			os.RemoveAll(sf.stage)
		}
		return MailImportResult{}, err
	}
	for _, sf := range staged {
		if err := sf.place(); err != nil {
			return res, fmt.Errorf("the messages were imported but their attachments could not be put in place (caseload check lists them): %w", err)
		}
	}
	return res, nil
}

func (s *Store) mailHeld(ctx context.Context, tx *sql.Tx, m mailfile.Message) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail WHERE hash = ?`, m.Hash).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	if m.MessageID == "" {
		return false, nil
	}
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail WHERE message_id = ?`, m.MessageID).Scan(&n)
	return n > 0, err
}

// stagedFiles is a message's attachments written to a staging folder,
// waiting for the commit to be moved to final.
type stagedFiles struct{ stage, final string }

// place moves the staged folder into place. A folder already at the final
// name is from an import of this same message that never committed (the
// name holds the content hash, and a committed message is never imported
// twice), so it is replaced.
func (sf stagedFiles) place() error {
	if err := os.Rename(sf.stage, sf.final); err != nil {
		if !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, syscall.EEXIST) {
			return err
		}
		if err := os.RemoveAll(sf.final); err != nil {
			return err
		}
		return os.Rename(sf.stage, sf.final)
	}
	return nil
}

// mailFilesDir is FilesDir/mail, created 0700 if missing, and refused if it
// or FilesDir is a link, not the user's, or writable by others: anyone who
// can write there can plant a link where an attachment is about to go.
func (s *Store) mailFilesDir() (string, error) {
	if err := s.filesRefused("mail attachments"); err != nil {
		return "", err
	}
	dir := filepath.Join(s.FilesDir(), "mail")
	for _, d := range []string{s.FilesDir(), dir} {
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		if err := privateDir(d); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// saveAttachments writes a message's attachments to a new staging folder
// under FilesDir/mail (0600 files created exclusively, never through a
// link) and records them under their final place, FilesDir/mail/ID-HASH.
// Names are reduced to a safe base name: a sender chooses them.
func (s *Store) saveAttachments(ctx context.Context, tx *sql.Tx, mailID int64, hash string, atts []mailfile.Attachment) (stagedFiles, error) {
	if len(atts) == 0 {
		return stagedFiles{}, nil
	}
	root, err := s.mailFilesDir()
	if err != nil {
		return stagedFiles{}, err
	}
	stage, err := os.MkdirTemp(root, ".incoming-")
	if err != nil {
		return stagedFiles{}, err
	}
	sf := stagedFiles{stage: stage, final: filepath.Join(root, fmt.Sprintf("%d-%.12s", mailID, hash))}
	used := map[string]bool{}
	next := map[string]int{} // per base name, the next number to try: linear however many share a name
	for i, a := range atts {
		base := safeFileName(a.Name, i+1)
		name := base
		if used[name] {
			ext := filepath.Ext(base)
			stem := strings.TrimSuffix(base, ext)
			n := max(next[base], 2)
			for ; used[name]; n++ {
				name = fmt.Sprintf("%s (%d)%s", stem, n, ext)
			}
			next[base] = n
		}
		used[name] = true
		if err := writeNew(filepath.Join(stage, name), a.Data); err != nil {
			return sf, err
		}
		rel, _ := filepath.Rel(s.FilesDir(), filepath.Join(sf.final, name))
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_attachments(mail_id, name, size, path) VALUES (?,?,?,?)`,
			mailID, a.Name, len(a.Data), rel); err != nil {
			return sf, err
		}
	}
	return sf, nil
}

// writeNew creates path (0600) and writes data, refusing to follow a link
// or reuse a file already there: an attachment or a saved letter is never
// overwritten.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// safeFileName keeps a sender's file name readable but harmless: no
// directories, no control, bidi or invisible characters, no leading dot, not
// too long.
func safeFileName(name string, n int) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == ':' || domain.UnsafeRune(r) {
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
	return s.linkMailDeferred(ctx, tx, mailID, ref, by, opt, nil)
}

// linkMailDeferred is linkMail that, given a set, leaves the case's replay
// to the caller (once for many messages) and adds the case to the set.
func (s *Store) linkMailDeferred(ctx context.Context, tx *sql.Tx, mailID int64, ref, by string, opt ActOptions, refresh map[int64]bool) error {
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
	if refresh == nil {
		return s.recordTx(ctx, tx, id, &e)
	}
	// Correspondence does not depend on the case's state, nor on its pack's
	// words: the default pack (loaded once at open) writes its line.
	if err := s.pack.PrepareCaseworkIn(nil, domain.CaseState{}, false, &e); err != nil {
		return err
	}
	if err := s.insertEvent(ctx, tx, id, &e); err != nil {
		return err
	}
	refresh[id] = true
	return nil
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
	if err := s.prepare(ctx, tx, caseID, events, late, e); err != nil {
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
