package mailfile

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type wantAttachment struct {
	name, contentType string
	size              int
	prefix            string // expected start of Data
}

var morning = []struct {
	file        string
	id          string
	from, addr  string
	subject     string
	date        time.Time
	html        bool
	contains    []string
	absent      []string
	attachments []wantAttachment
}{
	{
		file:     "01-plain.eml",
		id:       "20261123081200.4f2a91c@shahtax.co.uk",
		from:     "Priya Shah <p.shah@shahtax.co.uk>",
		addr:     "p.shah@shahtax.co.uk",
		subject:  "TC/2026/00012 - request for extension",
		date:     time.Date(2026, 11, 23, 8, 12, 0, 0, time.UTC),
		contains: []string{"£1,250.00", "TC/2026/00012", "Dear Sir or Madam,\n\nAppeal reference"},
	},
	{
		file:     "02-alternative.eml",
		id:       "AM0PR01MB5521C0FFEE0001@AM0PR01MB5521.eurprd01.prod.example.com",
		from:     "HMRC Solicitor's Office <sols.litigation@hmrc.example.gov.uk>",
		addr:     "sols.litigation@hmrc.example.gov.uk",
		subject:  "Statement of case - Greenway Haulage Ltd",
		date:     time.Date(2026, 11, 23, 9, 30, 17, 0, time.UTC),
		contains: []string{"Greenway Haulage Ltd, tribunal reference TC/2026/00031."},
		// The text part wins over the HTML one, so no markup or bold stars.
		absent: []string{"<p>", "*TC/2026/00031*", "=\n"},
	},
	{
		file:    "03-html-only.eml",
		id:      "notice.000123.20261123@justice.example.gov.uk",
		from:    "London Central Employment Tribunal <londoncentralet@justice.example.gov.uk>",
		addr:    "londoncentralet@justice.example.gov.uk",
		subject: "Notice of preliminary hearing AC-2026-LON-000123",
		date:    time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC),
		html:    true,
		contains: []string{
			"Case number: AC-2026-LON-000123",
			"£4,800 in unpaid wages & holiday pay",
			"10am.\nVictory House", // <br>
			"30–34 Kingsway",
			"https://www.gov.uk/employment-tribunals",
		},
		absent: []string{"<p>", "<br", "&pound;", "&amp;", "font-family", "hidden-style-marker", "trackingMarker", "do-not-show-this", "Notice of hearing"},
	},
	{
		file:     "04-attachments.eml",
		id:       "CAK7d2Fq-00042@mail.haddadlegal.co.uk",
		from:     "Amir Haddad <A.Haddad@HaddadLegal.co.uk>",
		addr:     "a.haddad@haddadlegal.co.uk",
		subject:  "JR/00042/2026 - grounds and decision letter",
		date:     time.Date(2026, 11, 23, 11, 47, 30, 0, time.UTC),
		contains: []string{"Re: JR/00042/2026", "Haddad Legal"},
		absent:   []string{"%PDF", "Secretary of State", "multi-part message"},
		attachments: []wantAttachment{
			{"Grounds of appeal.pdf", "application/pdf", 148, "%PDF-1.4\n"},
			// The bytes as sent (ISO-8859-1), not a UTF-8 copy.
			{"Décision letter.txt", "text/plain", 87, "D\xe9cision of the Secretary of State\nReference JR/00042/2026\n"},
		},
	},
	{
		file:     "05-latin1.eml",
		id:       "5f1e.renee@example.org",
		from:     "Renée Dubois <renee.dubois@example.org>",
		addr:     "renee.dubois@example.org",
		subject:  "Expenses claim for the Café Rouge meeting",
		date:     time.Date(2026, 11, 23, 11, 20, 45, 0, time.UTC),
		contains: []string{"the Café Rouge", "came to £42.50.", "Renée"},
		absent:   []string{"=E9", "=A3", "Ã"},
	},
	{
		file:     "06-windows1252.eml",
		id:       "000001db3d2a$5e6f7a80$1b4e6f80$@oneill-accountants.ie",
		from:     "O'Neill, Siobhan <Siobhan.ONeill@oneill-accountants.ie>",
		addr:     "siobhan.oneill@oneill-accountants.ie",
		subject:  "TC/2026/00012 - invoice in euro",
		date:     time.Date(2026, 11, 23, 13, 2, 11, 0, time.UTC),
		contains: []string{"“a fair price”", "€310.00", "supplier’s invoice"},
		absent:   []string{"\u0080", "\u0093", "\u0094", "=93"},
	},
	{
		file:     "07-no-message-id.eml",
		id:       "",
		from:     "tribunal.clerk@justice.example.gov.uk",
		addr:     "tribunal.clerk@justice.example.gov.uk",
		subject:  "Hearing bundle for AC-2026-LON-000123",
		date:     time.Date(2026, 11, 23, 16, 45, 0, 0, time.UTC),
		contains: []string{"AC-2026-LON-000123 has been uploaded."},
	},
}

func parseFile(t *testing.T, path string) Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, path)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return m
}

func TestParseMorning(t *testing.T) {
	hashes := map[string]string{}
	for _, tc := range morning {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "morning", tc.file)
			m := parseFile(t, path)
			if m.Source != path {
				t.Errorf("Source = %q, want %q", m.Source, path)
			}
			if m.MessageID != tc.id {
				t.Errorf("MessageID = %q, want %q", m.MessageID, tc.id)
			}
			if m.From != tc.from || m.FromAddr != tc.addr {
				t.Errorf("From = %q, %q; want %q, %q", m.From, m.FromAddr, tc.from, tc.addr)
			}
			if m.Subject != tc.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tc.subject)
			}
			if !m.Date.Equal(tc.date) {
				t.Errorf("Date = %v, want %v", m.Date, tc.date)
			}
			if m.HTML != tc.html {
				t.Errorf("HTML = %v, want %v", m.HTML, tc.html)
			}
			checkText(t, m.Text)
			for _, s := range tc.contains {
				if !strings.Contains(m.Text, s) {
					t.Errorf("Text lacks %q:\n%s", s, m.Text)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(m.Text, s) {
					t.Errorf("Text contains %q:\n%s", s, m.Text)
				}
			}
			if len(m.Attachments) != len(tc.attachments) {
				t.Fatalf("got %d attachments, want %d: %+v", len(m.Attachments), len(tc.attachments), m.Attachments)
			}
			for i, w := range tc.attachments {
				a := m.Attachments[i]
				if a.Name != w.name || a.ContentType != w.contentType || len(a.Data) != w.size {
					t.Errorf("attachment %d = %q %q %d bytes, want %q %q %d bytes", i, a.Name, a.ContentType, len(a.Data), w.name, w.contentType, w.size)
				}
				if !bytes.HasPrefix(a.Data, []byte(w.prefix)) {
					t.Errorf("attachment %d data starts %q, want %q", i, a.Data[:min(len(a.Data), len(w.prefix))], w.prefix)
				}
			}

			if len(m.Hash) != 64 || strings.Trim(m.Hash, "0123456789abcdef") != "" {
				t.Errorf("Hash = %q, want 64 lower-case hex digits", m.Hash)
			}
			if again := parseFile(t, path); again.Hash != m.Hash {
				t.Errorf("Hash changed between parses: %s, %s", m.Hash, again.Hash)
			}
			if other, ok := hashes[m.Hash]; ok {
				t.Errorf("Hash same as %s", other)
			}
			hashes[m.Hash] = tc.file
		})
	}
}

// checkText holds the promises every Text keeps.
func checkText(t *testing.T, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("Text is not valid UTF-8: %q", text)
	}
	if strings.Contains(text, "\r") {
		t.Errorf("Text contains CR: %q", text)
	}
	if strings.TrimSpace(text) != text {
		t.Errorf("Text not trimmed: %q", text)
	}
}

// The same message saved with either line ending must dedupe as one.
func TestHashIgnoresLineEndings(t *testing.T) {
	for _, name := range []string{"01-plain.eml", "02-alternative.eml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "morning", name))
		if err != nil {
			t.Fatal(err)
		}
		lf := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
		a, err := Parse(bytes.NewReader(lf), "lf")
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(bytes.NewReader(crlf), "crlf")
		if err != nil {
			t.Fatal(err)
		}
		if a.Hash != b.Hash {
			t.Errorf("%s: LF hash %s, CRLF hash %s", name, a.Hash, b.Hash)
		}
		if a.Text != b.Text {
			t.Errorf("%s: Text differs between LF and CRLF:\n%q\n%q", name, a.Text, b.Text)
		}
		changed, err := Parse(bytes.NewReader(append(lf, "x"...)), "changed")
		if err != nil {
			t.Fatal(err)
		}
		if changed.Hash == a.Hash {
			t.Errorf("%s: Hash did not change with the content", name)
		}
	}
}

func TestReadMorning(t *testing.T) {
	msgs, err := Read(filepath.Join("testdata", "morning"))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(morning) {
		t.Fatalf("got %d messages, want %d", len(msgs), len(morning))
	}
	for i, tc := range morning {
		if want := filepath.Join("testdata", "morning", tc.file); msgs[i].Source != want {
			t.Errorf("message %d Source = %q, want %q", i, msgs[i].Source, want)
		}
		if msgs[i].MessageID != tc.id {
			t.Errorf("message %d MessageID = %q, want %q", i, msgs[i].MessageID, tc.id)
		}
	}
}

func TestReadMbox(t *testing.T) {
	path := filepath.Join("testdata", "mbox", "inbox.mbox")
	msgs, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, id string
	}{
		{"1", "20261124090000.1a@shahtax.co.uk"},
		{"11", "reply.00031@hmrc.example.gov.uk"},
		{"28", "ack.00042@justice.example.gov.uk"},
	}
	if len(msgs) != len(want) {
		t.Fatalf("got %d messages, want %d", len(msgs), len(want))
	}
	for i, w := range want {
		if msgs[i].Source != path+":"+w.line || msgs[i].MessageID != w.id {
			t.Errorf("message %d = %s %s, want %s:%s %s", i, msgs[i].Source, msgs[i].MessageID, path, w.line, w.id)
		}
		checkText(t, msgs[i].Text)
	}
	text := msgs[1].Text
	for _, s := range []string{
		"\nFrom the appellant's point of view", // un-quoted
		"\nFrom here on we set out",            // not a separator
		"\n>From the quoted letter",            // one '>' removed of two
		"Ground 1 is not made out.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("second message lacks %q:\n%s", s, text)
		}
	}
	for _, s := range []string{">From the appellant", ">>From", "acknowledge"} {
		if strings.Contains(text, s) {
			t.Errorf("second message contains %q:\n%s", s, text)
		}
	}
	if msgs[0].From != "Priya Shah <p.shah@shahtax.co.uk>" || msgs[2].Subject != "JR/00042/2026 - acknowledgement" {
		t.Errorf("headers misread: %q, %q", msgs[0].From, msgs[2].Subject)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMboxSplitting(t *testing.T) {
	const a = "From: a@example.com\nSubject: one\nMessage-ID: <one@x>\n\nFirst body.\n"
	const b = "From: b@example.com\nSubject: two\nMessage-ID: <two@x>\n\nSecond body.\n"
	tests := []struct {
		name    string
		mbox    string
		sources []string // line numbers of the messages read
		errs    []string // substrings, each in the error
	}{
		{"two", "From a Mon Nov 23 08:00:00 2026\n" + a + "\nFrom b Mon Nov 23 09:00:00 2026\n" + b, []string{"1", "8"}, nil},
		{"crlf", strings.ReplaceAll("From a Mon Nov 23 08:00:00 2026\n"+a+"\nFrom b Mon Nov 23 09:00:00 2026\n"+b, "\n", "\r\n"), []string{"1", "8"}, nil},
		{"no blank line before From", "From a Mon Nov 23 08:00:00 2026\n" + a + "From b Mon Nov 23 09:00:00 2026\n" + b, []string{"1"}, nil},
		{"empty message", "From a Mon Nov 23 08:00:00 2026\n\nFrom b Mon Nov 23 09:00:00 2026\n" + b, []string{"3"}, []string{"x.mbox:1: not an email message"}},
		{"garbage message", "From a Mon Nov 23 08:00:00 2026\nnot a header line\n\nFrom b Mon Nov 23 09:00:00 2026\n" + b, []string{"4"}, []string{"x.mbox:1: not an email message: no header"}},
		{"separator only", "From a Mon Nov 23 08:00:00 2026\n", nil, []string{"x.mbox:1: not an email message: empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.mbox")
			writeFile(t, path, tc.mbox)
			msgs, err := Read(path)
			var got []string
			for _, m := range msgs {
				got = append(got, strings.TrimPrefix(m.Source, path+":"))
			}
			if strings.Join(got, ",") != strings.Join(tc.sources, ",") {
				t.Errorf("sources %v, want %v", got, tc.sources)
			}
			if (err != nil) != (len(tc.errs) > 0) {
				t.Fatalf("err = %v, want errors %v", err, tc.errs)
			}
			for _, s := range tc.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

// A message keeps the same Hash whether it was saved alone or in an mbox.
func TestMboxHashMatchesFile(t *testing.T) {
	const msg = "From: a@example.com\nSubject: quoted\n\nSee below.\n\nFrom the start it was late.\nEnd.\n"
	quoted := strings.Replace(msg, "\nFrom the", "\n>From the", 1)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.mbox"), "From a Mon Nov 23 08:00:00 2026\n"+quoted+"\nFrom a Mon Nov 23 08:00:00 2026\n"+quoted)
	alone, err := Parse(strings.NewReader(msg), "alone")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := Read(filepath.Join(dir, "x.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		if m.Hash != alone.Hash || m.Text != alone.Text {
			t.Errorf("%s: hash %s text %q; alone: %s %q", m.Source, m.Hash, m.Text, alone.Hash, alone.Text)
		}
	}
}

// An oversized mbox message is reported and skipped; the next one is read.
func TestMboxOversizedMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB file")
	}
	path := filepath.Join(t.TempDir(), "big.mbox")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("From a Mon Nov 23 08:00:00 2026\nSubject: big\n\n")
	line := strings.Repeat("x", 1023) + "\n"
	n := MaxMessageSize/len(line) + 1
	for range n {
		w.WriteString(line)
	}
	w.WriteString("\nFrom b Mon Nov 23 09:00:00 2026\nSubject: small\n\nhello\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	msgs, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), path+":1: message is larger than") {
		t.Errorf("err = %v, want a size error at line 1", err)
	}
	wantLine := 3 + n + 2
	if len(msgs) != 1 || msgs[0].Source != path+":"+itoa(wantLine) || msgs[0].Text != "hello" {
		t.Errorf("got %+v, want only the small message at line %d", msgs, wantLine)
	}
}

func itoa(n int) string {
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestParseSizeLimit(t *testing.T) {
	big := bytes.Repeat([]byte("Subject: x\n"), MaxMessageSize/11+1)
	_, err := Parse(bytes.NewReader(big), "big.eml")
	if err == nil || !strings.Contains(err.Error(), "big.eml: message is larger than the 50 MB limit") {
		t.Errorf("err = %v", err)
	}
}

func TestReadMaildir(t *testing.T) {
	dir := filepath.Join("testdata", "maildir")
	msgs, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "cur", "1700000000.M1P1.host!2,S"),
		filepath.Join(dir, "cur", "1700000100.M2P1.host!2,RS"),
		filepath.Join(dir, "new", "1700000200.M3P1.host"),
	}
	if len(msgs) != len(want) {
		t.Fatalf("got %d messages, want %d (tmp/ must be ignored)", len(msgs), len(want))
	}
	for i, w := range want {
		if msgs[i].Source != w {
			t.Errorf("message %d Source = %q, want %q", i, msgs[i].Source, w)
		}
		if strings.Contains(msgs[i].Text, "TC/2026/00031") {
			t.Errorf("message %d came from tmp/", i)
		}
	}
	if msgs[2].Subject != "AC-2026-LON-000123 adjourned" {
		t.Errorf("Subject = %q", msgs[2].Subject)
	}
}

func TestReadDirectories(t *testing.T) {
	const msg = "From: a@example.com\nSubject: %s\n\nbody\n"
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.eml"), strings.Replace(msg, "%s", "a", 1))
	writeFile(t, filepath.Join(dir, "B.EML"), strings.Replace(msg, "%s", "B", 1))
	writeFile(t, filepath.Join(dir, "notes.txt"), strings.Replace(msg, "%s", "notes", 1))
	writeFile(t, filepath.Join(dir, "._a.eml"), "\x00\x05\x16\x07 AppleDouble")
	writeFile(t, filepath.Join(dir, "sub", "c.eml"), strings.Replace(msg, "%s", "c", 1))

	// Only new/ present, with a dotfile to skip.
	md := t.TempDir()
	writeFile(t, filepath.Join(md, "new", "1.host"), strings.Replace(msg, "%s", "new", 1))
	writeFile(t, filepath.Join(md, "new", ".lock"), "junk")
	writeFile(t, filepath.Join(md, "x.eml"), strings.Replace(msg, "%s", "beside", 1))

	tests := []struct {
		name     string
		paths    []string
		subjects string
	}{
		{"eml dir", []string{dir}, "B,a"},
		{"maildir with only new", []string{md}, "new"},
		{"paths in given order", []string{md, filepath.Join(dir, "notes.txt"), dir}, "new,notes,B,a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := Read(tc.paths...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range msgs {
				got = append(got, m.Subject)
			}
			if strings.Join(got, ",") != tc.subjects {
				t.Errorf("subjects %v, want %s", got, tc.subjects)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	empty := t.TempDir()
	emptyMaildir := t.TempDir()
	if err := os.Mkdir(filepath.Join(emptyMaildir, "cur"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join("testdata", "no-such-dir", "x.eml")
	tests := []struct {
		name  string
		paths []string
		want  []string
		count int // messages still read
	}{
		{"empty file", []string{"testdata/bad/empty.eml"}, []string{"testdata/bad/empty.eml: not an email message"}, 0},
		{"binary file", []string{"testdata/bad/binary.eml"}, []string{"testdata/bad/binary.eml: not an email message: no header"}, 0},
		{"bad dir lists both", []string{"testdata/bad"}, []string{"testdata/bad/binary.eml: ", "testdata/bad/empty.eml: "}, 0},
		{"missing path", []string{missing}, []string{missing + ": no such file or directory"}, 0},
		{"empty dir", []string{empty}, []string{"no messages found in " + empty}, 0},
		{"empty maildir", []string{emptyMaildir}, []string{"no messages found in " + emptyMaildir}, 0},
		{"good messages still returned", []string{"testdata/bad/empty.eml", "testdata/morning/01-plain.eml"}, []string{"empty.eml"}, 1},
		{"no paths", nil, []string{"no paths given"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := Read(tc.paths...)
			if err == nil {
				t.Fatalf("no error; got %d messages", len(msgs))
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), filepath.FromSlash(s)) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if len(msgs) != tc.count {
				t.Errorf("got %d messages, want %d", len(msgs), tc.count)
			}
		})
	}
	if _, err := Read(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing path: %v is not fs.ErrNotExist", err)
	}
}

func TestParseEdgeCases(t *testing.T) {
	tests := []struct {
		name, src string
		err       string // "" for success
		check     func(t *testing.T, m Message)
	}{
		{name: "empty", src: "", err: "x.eml: not an email message: empty"},
		{name: "blank", src: " \r\n\n", err: "x.eml: not an email message: no header"},
		{name: "body only", src: "\nJust a body.\n", err: "x.eml: not an email message: no header"},
		{name: "prose with a colon", src: "Dear Sir: please see below\n\ntext\n", err: "x.eml: not an email message: no header"},
		{name: "mbox separator", src: "From a@b Mon Nov 23 08:00:00 2026\nSubject: x\n\ny\n", err: "no header"},
		{name: "nul bytes", src: "\x00\x01\x02PK\x03\x04", err: "binary data"},
		{
			name: "bare headers", src: "Subject: just this",
			check: func(t *testing.T, m Message) {
				if m.Subject != "just this" || m.MessageID != "" || m.From != "" || m.FromAddr != "" || !m.Date.IsZero() || m.Text != "" || m.HTML {
					t.Errorf("got %+v", m)
				}
			},
		},
		{
			name: "unparseable date and odd id", src: "Date: sometime next week\nMessage-ID:  < abc@x >  \nFrom: Jane Smith <Jane@Example.COM>, bob@example.com\n\nhi\n",
			check: func(t *testing.T, m Message) {
				if !m.Date.IsZero() || m.MessageID != "abc@x" || m.From != "Jane Smith <Jane@Example.COM>" || m.FromAddr != "jane@example.com" {
					t.Errorf("got %+v", m)
				}
			},
		},
		{
			name: "unparseable from", src: "From: Jane Smith (no address\nSubject: x\n\nhi\n",
			check: func(t *testing.T, m Message) {
				if m.From != "Jane Smith (no address" || m.FromAddr != "" {
					t.Errorf("From = %q, FromAddr = %q", m.From, m.FromAddr)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(tc.src), "x.eml")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkText(t, m.Text)
			tc.check(t, m)
		})
	}
}

// Real mail often declares US-ASCII, or nothing, and carries UTF-8 or
// Latin-1 anyway; the text must still come out as the sender meant it.
func TestCharsetRepair(t *testing.T) {
	long := strings.Repeat(" The appellant paid the invoice in full.", 4) // enough for enmime's detector
	tests := []struct {
		name, src, subject, text string
	}{
		{"no content-type, UTF-8", "Subject: x\n\nPaid £1,250.00 to the café.\n", "x", "Paid £1,250.00 to the café."},
		{"no content-type, long UTF-8", "Subject: x\n\nPaid £1,250.00 to the café." + long + "\n", "x", "Paid £1,250.00 to the café." + long},
		{"us-ascii, UTF-8", "Content-Type: text/plain; charset=us-ascii\n\nPaid £5\n", "", "Paid £5"},
		{"no charset, Latin-1", "Content-Type: text/plain\n\nPaid \xa35 caf\xe9\n", "", "Paid £5 café"},
		{"utf-8, really Latin-1", "Content-Type: text/plain; charset=utf-8\n\nPaid \xa35 caf\xe9\n", "", "Paid £5 café"},
		{"unknown charset", "Content-Type: text/plain; charset=x-unknown\n\nPaid \x80" + "5\n", "", "Paid €5"},
		{"raw 8-bit subject", "Subject: Caf\xe9 \x93bill\x94\n\nx\n", "Café “bill”", "x"},
		{"html, no charset, UTF-8", "Content-Type: text/html\n\n<p>Paid £5 caf\xc3\xa9</p>\n", "", "Paid £5 café"},
		{"base64 UTF-8 declared ascii", "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: base64\n\nUGFpZCDCozU=\n", "", "Paid £5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(tc.src), "x.eml")
			if err != nil {
				t.Fatal(err)
			}
			checkText(t, m.Text)
			if m.Subject != tc.subject || m.Text != tc.text {
				t.Errorf("got %q / %q, want %q / %q", m.Subject, m.Text, tc.subject, tc.text)
			}
		})
	}
}

func TestAttachmentKinds(t *testing.T) {
	const src = `From: a@example.com
Subject: kinds
Content-Type: multipart/mixed; boundary="B1"

--B1
Content-Type: multipart/related; boundary="B2"

--B2
Content-Type: text/html; charset=utf-8
Content-Disposition: inline

<p>See the plan <img src="cid:plan"></p>
--B2
Content-Type: image/png; name="=?UTF-8?Q?Site_plan_=C2=A31.png?="
Content-ID: <plan>

PNGDATA
--B2
Content-Type: image/gif
Content-ID: <logo>

GIF
--B2--
--B1
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAEC
--B1
Content-Type: text/csv; charset=iso-8859-1; name="costs.csv"
Content-Disposition: inline; filename="costs.csv"

item,cost
caf` + "\xe9" + `,3
--B1--
`
	m, err := Parse(strings.NewReader(src), "kinds.eml")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, ct, data string
	}{
		{"Site plan £1.png", "image/png", "PNGDATA"},
		{"attachment-2", "application/octet-stream", "\x00\x01\x02"},
		{"costs.csv", "text/csv", "item,cost\ncaf\xe9,3"},
	}
	if len(m.Attachments) != len(want) {
		t.Fatalf("got %d attachments, want %d: %+v", len(m.Attachments), len(want), m.Attachments)
	}
	for i, w := range want {
		a := m.Attachments[i]
		if a.Name != w.name || a.ContentType != w.ct || string(a.Data) != w.data {
			t.Errorf("attachment %d = %q %q %q, want %q %q %q", i, a.Name, a.ContentType, a.Data, w.name, w.ct, w.data)
		}
	}
	if !m.HTML || m.Text != "See the plan" {
		t.Errorf("HTML = %v, Text = %q", m.HTML, m.Text)
	}
}

func fuzzSeeds(f *testing.F) {
	for _, dir := range []string{"morning", "mbox", "bad", "maildir/cur", "maildir/new"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: base64\n\nwqM=\n--x"))
	f.Add([]byte("From a Mon Nov 23 08:00:00 2026\n\n>From x\nFrom y\n\nFrom z\r\nSubject: q\r\n\r\n"))
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(bytes.NewReader(data), "fuzz.eml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.eml: ") {
				t.Fatalf("error does not name the source: %v", err)
			}
			return
		}
		if m.Source != "fuzz.eml" || len(m.Hash) != 64 {
			t.Fatalf("Source %q, Hash %q", m.Source, m.Hash)
		}
		checkText(t, m.Text)
		for _, s := range []string{m.Subject, m.From, m.FromAddr, m.MessageID} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in header field %q", s)
			}
		}
		if strings.ContainsAny(m.Subject+m.From+m.FromAddr, "\r\n") {
			t.Fatalf("line break in Subject %q or From %q", m.Subject, m.From)
		}
		if m.FromAddr != strings.ToLower(m.FromAddr) {
			t.Fatalf("FromAddr %q not lower-case", m.FromAddr)
		}
		if strings.ContainsAny(m.MessageID, " \t\r\n<>") {
			t.Fatalf("MessageID %q not cleaned", m.MessageID)
		}
	})
}

// FuzzMbox checks the splitter: every separator gives exactly one message
// or one error, and every error names the file.
func FuzzMbox(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte("From ")) {
			return
		}
		var msgs []Message
		var errs []error
		readMbox("f.mbox", bufio.NewReader(bytes.NewReader(data)), Limits{},
			func(m Message) error { msgs = append(msgs, m); return nil },
			func(err error) { errs = append(errs, err) })
		seps, prevEmpty := 0, true
		for line := range bytes.Lines(data) {
			if prevEmpty && bytes.HasPrefix(line, []byte("From ")) {
				seps++
				prevEmpty = false
				continue
			}
			prevEmpty = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if len(msgs)+len(errs) != seps {
			t.Fatalf("%d separators but %d messages and %d errors", seps, len(msgs), len(errs))
		}
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), "f.mbox:") {
				t.Fatalf("error does not name the file: %v", err)
			}
		}
	})
}
