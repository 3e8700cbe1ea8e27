// Package letterfile writes drafted letters as files a caseworker sends:
// an A4 PDF for post or printing, and an RFC 5322 message (.eml) that the
// caseworker's mail program opens, to check and send. caseload never sends
// mail itself.
package letterfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/jhillyerd/enmime/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/caseload/caseload/domain"
)

// The Go fonts (BSD licence, embedding permitted) cover Latin-1 and Latin
// Extended-A, so Siobhán Ó Súilleabháin and Zoë print as written.
const font = "go"

// A4 in millimetres, and the margins.
const (
	pageW, left, right, top, bottom = 210.0, 22.0, 22.0, 16.0, 20.0
	textW                           = pageW - left - right
)

// FileName is a safe file name for a letter: reference and template, the
// slashes made hyphens (TC-2026-04101-allocation.pdf).
func FileName(l domain.Letter, ext string) string {
	name := l.Template
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, l.Reference+"-"+name)
	return s + "." + ext
}

// PDF lays out one or more letters in one A4 document, each starting on a
// new page with the office's letterhead; pages are numbered within each
// letter ("Page 2 of 3" for a single letter; in a combined document, for
// printing a batch, "TC/2026/04101, page 2").
func PDF(letters ...domain.Letter) ([]byte, error) {
	if len(letters) == 0 {
		return nil, errors.New("no letters to print")
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(font, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(font, "B", gobold.TTF)
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(true, bottom+6)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true) // the same letters give the same bytes
	created := letters[0].Dated.Time()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCreator("caseload", false)
	if len(letters) == 1 {
		pdf.SetTitle(letters[0].Subject, true)
		pdf.AliasNbPages("{nb}")
	} else {
		pdf.SetTitle(fmt.Sprintf("%d letters: %s", len(letters), letters[0].Title), true)
	}
	var current *domain.Letter
	start := 1
	pdf.SetFooterFunc(func() {
		pdf.SetY(-bottom)
		pdf.SetFont(font, "", 8)
		pdf.SetTextColor(90, 90, 90)
		n := pdf.PageNo() - start + 1
		text := fmt.Sprintf("%s, page %d", current.Reference, n)
		if len(letters) == 1 {
			text = fmt.Sprintf("%s · Page %d of {nb}", current.Reference, n)
		}
		pdf.CellFormat(textW, 5, text, "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	for i := range letters {
		// AddPage draws the footer of the page before it, which belongs to
		// the letter before: only then does the next letter begin.
		pdf.AddPage()
		current, start = &letters[i], pdf.PageNo()
		writeLetter(pdf, letters[i])
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("writing the PDF: %w", err)
	}
	return b.Bytes(), nil
}

func writeLetter(pdf *fpdf.Fpdf, l domain.Letter) {
	line := func(size float64, style, text string, h float64) {
		pdf.SetFont(font, style, size)
		pdf.MultiCell(textW, h, text, "", "L", false)
	}
	// Letterhead: the office, from config.toml [office].
	line(13, "B", l.Office.Name, 6)
	pdf.SetFont(font, "", 9)
	for _, a := range l.Office.Address {
		pdf.MultiCell(textW, 4.2, a, "", "L", false)
	}
	var contact []string
	if l.Office.Phone != "" {
		contact = append(contact, "Telephone "+l.Office.Phone)
	}
	if l.Office.Email != "" {
		contact = append(contact, l.Office.Email)
	}
	if len(contact) > 0 {
		pdf.MultiCell(textW, 4.2, strings.Join(contact, " · "), "", "L", false)
	}
	y := pdf.GetY() + 3
	pdf.SetDrawColor(150, 150, 150)
	pdf.Line(left, y, pageW-right, y)
	pdf.SetY(y + 8)

	// The recipient on the left, where a window envelope shows it; the date
	// and references on the right.
	head := l.Heading()
	sep := len(head)
	for i, h := range head {
		if h == "" {
			sep = i
			break
		}
	}
	y = pdf.GetY()
	pdf.SetFont(font, "", 10.5)
	for _, h := range head[:sep] {
		pdf.MultiCell(textW*0.6, 5, h, "", "L", false)
	}
	yAfter := pdf.GetY()
	pdf.SetXY(left+textW*0.6, y)
	for _, h := range head[sep:] {
		if h == "" {
			continue
		}
		pdf.SetX(left + textW*0.6)
		pdf.MultiCell(textW*0.4, 5, h, "", "R", false)
	}
	pdf.SetXY(left, max(yAfter, pdf.GetY())+8)

	line(12, "B", l.Subject, 6)
	pdf.Ln(3)
	prev := ""
	for _, blk := range domain.MarkdownBlocks(l.Body) {
		if prev == "item" && blk.Kind != "item" {
			pdf.Ln(2)
		}
		prev = blk.Kind
		style := ""
		if blk.Bold {
			style = "B"
		}
		switch blk.Kind {
		case "heading":
			pdf.Ln(1)
			line(11, "B", blk.Text, 5.5)
			pdf.Ln(1.5)
		case "item":
			pdf.SetFont(font, style, 10.5)
			y := pdf.GetY()
			pdf.SetX(left + 3)
			pdf.CellFormat(4, 5.2, "•", "", 0, "L", false, 0, "")
			pdf.SetXY(left+8, y)
			pdf.MultiCell(textW-8, 5.2, blk.Text, "", "L", false)
			pdf.Ln(0.8)
		case "quote":
			pdf.SetFont(font, style, 10.5)
			pdf.SetX(left + 8)
			pdf.MultiCell(textW-16, 5.2, blk.Text, "", "L", false)
			pdf.Ln(3)
		default:
			line(10.5, style, blk.Text, 5.2)
			pdf.Ln(3)
		}
	}
}

// EML builds the letter as an email for the caseworker's mail program: To
// the recipient, From the office, Subject with the reference, the letter
// as text and the PDF attached. X-Unsent marks it a draft to send, so mail
// programs that know the header open it ready to send.
func EML(l domain.Letter, pdf []byte, at time.Time) ([]byte, error) {
	if l.To.Email == "" {
		return nil, fmt.Errorf("%s: %w: the %s has no email address", l.Reference, domain.ErrNoAddress, l.To.Role)
	}
	if l.Office.Email == "" {
		return nil, errors.New("config.toml [office] has no email: set email = \"...\" (the address the message is from)")
	}
	sum := sha256.Sum256(append([]byte(l.Subject+"\x00"+l.To.Email+"\x00"), pdf...))
	domainPart := l.Office.Email[strings.LastIndexByte(l.Office.Email, '@')+1:]
	b := enmime.Builder().
		From(l.Office.Name, l.Office.Email).
		To(l.To.Name, l.To.Email).
		Subject(l.Subject).
		Date(at).
		Header("Message-ID", fmt.Sprintf("<%s.%s@%s>", strings.NewReplacer("/", "-").Replace(l.Reference),
			hex.EncodeToString(sum[:8]), domainPart)).
		Header("X-Unsent", "1").
		Text([]byte(l.Text()))
	if len(pdf) > 0 {
		b = b.AddAttachment(pdf, "application/pdf", FileName(l, "pdf"))
	}
	part, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("building the message: %w", err)
	}
	var out bytes.Buffer
	if err := part.Encode(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
