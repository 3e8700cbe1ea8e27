// Package mailfile reads email messages from disk: single message files,
// directories of .eml files, mbox files and Maildirs. Every message comes
// back decoded to UTF-8 with its text body, sender, subject, date and
// attachments, ready for case references to be found in it. It touches no
// database.
package mailfile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
	"golang.org/x/text/encoding/charmap"
)

// MaxMessageSize caps one message so that a wrongly chosen file (a disk
// image, a video) fails quickly instead of filling memory.
const MaxMessageSize = 50 << 20

// Limits cap the MIME structure of one message. A deeply nested or
// many-parted message costs the parser time and memory out of all
// proportion to its size, so it is refused before it is parsed.
type Limits struct {
	MaxDepth int // multipart levels (default DefaultMaxDepth)
	MaxParts int // parts in all (default DefaultMaxParts)
}

// Defaults for Limits: far beyond any real message (mail clients nest a few
// levels; a forwarded chain of forwards a few dozen).
const (
	DefaultMaxDepth = 50
	DefaultMaxParts = 2000
)

func (l Limits) orDefault() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	return l
}

// Attachment is a file attached to a message.
type Attachment struct {
	Name        string // file name as sent (decoded; RFC 2231 / encoded words handled by enmime); "attachment-N" if none
	ContentType string
	Data        []byte
}

// Message is one email, decoded to UTF-8.
type Message struct {
	Source      string       // where it came from, for messages: "path" for a file, "path:LINE" for the mbox message starting at that 1-based line
	MessageID   string       // Message-ID header without angle brackets or spaces; "" if missing
	Hash        string       // hex SHA-256 of the raw message bytes with CRLF normalised to LF: the dedupe key when MessageID is empty
	From        string       // display form, e.g. "Jane Smith <jane@example.com>"; decoded
	FromAddr    string       // lower-case address only, "" if unparseable
	Subject     string       // decoded (encoded words), trimmed, runs of white space as one space
	Date        time.Time    // from the Date header; zero if missing or unparseable
	Text        string       // plain-text body in UTF-8: the text/plain part, else the HTML converted to text; \r\n (and a lone \r) -> \n; trimmed
	HTML        bool         // true when Text was converted from HTML (no text/plain part)
	Attachments []Attachment // real attachments and named inline parts (not the body parts)
}

// bodyParser trusts a declared charset: enmime's detector otherwise
// overrides it on longer texts and has been seen to call UTF-8 "ISO-8859-1".
var bodyParser = enmime.NewParser(enmime.DisableCharacterDetection(true))

// rawParser gives the undecoded bytes of each part, so that text parts can
// be re-read when enmime's charset guess is wrong and text attachments keep
// the bytes that were sent.
var rawParser = enmime.NewParser(enmime.DisableCharacterDetection(true), enmime.RawContent(true))

// Parse reads one RFC 5322 message. Source is recorded in the message and
// starts every error.
func Parse(r io.Reader, source string) (Message, error) {
	return ParseLimited(r, source, Limits{})
}

// ParseLimited is Parse with caps on the MIME structure.
func ParseLimited(r io.Reader, source string, lim Limits) (Message, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxMessageSize+1))
	if err != nil {
		return Message{}, fmt.Errorf("%s: %w", label(source), err)
	}
	if len(data) > MaxMessageSize {
		return Message{}, fmt.Errorf("%s: %w", label(source), errTooLarge)
	}
	return parse(data, source, lim)
}

// label keeps errors readable when the caller gave no source.
func label(source string) string {
	if source == "" {
		return "message"
	}
	return source
}

// lineEndings also turns a lone CR (old Mac mail) into a line break, since
// a stray CR garbles terminal output.
var lineEndings = strings.NewReplacer("\r\n", "\n", "\r", "\n")

var errTooLarge = fmt.Errorf("message is larger than the %d MB limit", MaxMessageSize>>20)

func parse(data []byte, source string, lim Limits) (Message, error) {
	if err := checkHeader(data); err != nil {
		return Message{}, fmt.Errorf("%s: not an email message: %w", label(source), err)
	}
	if err := checkStructure(data, lim.orDefault()); err != nil {
		return Message{}, fmt.Errorf("%s: refused: %w", label(source), err)
	}
	env, err := readEnvelope(data)
	if err != nil {
		return Message{}, fmt.Errorf("%s: cannot parse message: %w", label(source), err)
	}
	if len(env.GetHeaderKeys()) == 0 {
		return Message{}, fmt.Errorf("%s: not an email message: no header", label(source))
	}

	sum := sha256.Sum256(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	m := Message{
		Source:    source,
		MessageID: cleanMessageID(env.Root.Header.Get("Message-Id")),
		Hash:      hex.EncodeToString(sum[:]),
		Subject:   strings.Join(strings.Fields(toUTF8(env.GetHeader("Subject"))), " "),
		Text:      strings.TrimSpace(lineEndings.Replace(toUTF8(env.Text))),
	}
	m.From, m.FromAddr = sender(env)
	if d, err := env.Date(); err == nil {
		m.Date = d
	}
	for _, e := range env.Errors {
		// enmime always records this when it fills Text from the HTML part.
		if e.Name == enmime.ErrorPlainTextFromHTML {
			m.HTML = true
		}
	}
	m.Attachments = attachments(env)
	return m, nil
}

// checkHeader rejects input whose first line is not a header field, which
// enmime would otherwise accept as a message with an empty header.
func checkHeader(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		if len(data) == 0 {
			return errors.New("empty")
		}
		return errors.New("no header (blank)")
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	name, _, found := bytes.Cut(line, []byte(":"))
	name = bytes.TrimRight(name, " \t") // obsolete "Name :" form
	ok := found && len(name) > 0
	for _, c := range name {
		if c < 33 || c > 126 {
			ok = false
		}
	}
	if ok {
		return nil
	}
	if looksBinary(data) {
		return errors.New("no header (binary data)")
	}
	return errors.New("no header")
}

// checkStructure measures the multipart nesting and part count in one pass
// over the lines, following the boundaries as they are declared: a
// boundary parameter opens a level, its delimiter starts a part of that
// level, its close delimiter ends the level and any inside it.
func checkStructure(data []byte, lim Limits) error {
	var stack []string
	level := map[string]int{}
	parts := 0
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		line = bytes.TrimRight(line, "\r \t")
		if b, ok := boundaryParam(line); ok {
			if _, dup := level[b]; !dup {
				stack = append(stack, b)
				level[b] = len(stack) - 1
				if len(stack) > lim.MaxDepth {
					return fmt.Errorf("MIME parts nested more than %d deep (mail_max_depth)", lim.MaxDepth)
				}
			}
			continue
		}
		if !bytes.HasPrefix(line, []byte("--")) || len(stack) == 0 {
			continue
		}
		d := string(line[2:])
		closing := strings.HasSuffix(d, "--")
		i, ok := level[d]
		if !ok && closing {
			d = strings.TrimSuffix(d, "--")
			i, ok = level[d]
		} else {
			closing = false
		}
		if !ok {
			continue
		}
		// Levels inside this one end here.
		keep := i + 1
		if closing {
			keep = i
		}
		for _, b := range stack[keep:] {
			delete(level, b)
		}
		stack = stack[:keep]
		if !closing {
			if parts++; parts > lim.MaxParts {
				return fmt.Errorf("more than %d MIME parts (mail_max_parts)", lim.MaxParts)
			}
		}
	}
	return nil
}

// boundaryParam finds a boundary="..." parameter on a header line.
func boundaryParam(line []byte) (string, bool) {
	i := bytes.Index(bytes.ToLower(line), []byte("boundary="))
	if i < 0 {
		return "", false
	}
	v := line[i+len("boundary="):]
	if len(v) > 0 && v[0] == '"' {
		v = v[1:]
		if j := bytes.IndexByte(v, '"'); j >= 0 {
			v = v[:j]
		}
	} else if j := bytes.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	if len(v) == 0 {
		return "", false
	}
	return string(v), true
}

// looksBinary reports NUL bytes or many control characters near the start,
// only to make the error message more helpful.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 1024)]
	controls := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 32 && c != '\t' && c != '\n' && c != '\r', c == 127:
			controls++
		}
	}
	return controls*10 > len(head)
}

// readEnvelope parses with enmime, repairs text charsets, then builds the
// envelope. enmime is third-party code fed untrusted input, so a panic in
// it becomes an error rather than taking the caller down.
func readEnvelope(data []byte) (env *enmime.Envelope, err error) {
	defer func() {
		if r := recover(); r != nil {
			env, err = nil, fmt.Errorf("MIME parser failed: %v", r)
		}
	}()
	root, err := bodyParser.ReadParts(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	rawText := repairText(root, data)
	env, err = bodyParser.EnvelopeFromPart(root)
	if err != nil {
		return nil, err
	}
	// Text attachments keep the bytes that were sent, not enmime's UTF-8
	// copy; the body text has already been taken from that copy.
	for _, ps := range [][]*enmime.Part{env.Attachments, env.Inlines, env.OtherParts} {
		for _, p := range ps {
			if raw, ok := rawText[p.PartID]; ok {
				p.Content = raw
			}
		}
	}
	return env, nil
}

// repairText fixes text parts that enmime decoded from the wrong charset and
// returns the sent bytes of text parts that look like attachments, by
// PartID. Mail that declares US-ASCII or no charset is very often UTF-8 in
// practice, and enmime reads US-ASCII as windows-1252, giving "Â£" for "£".
func repairText(root *enmime.Part, data []byte) map[string][]byte {
	var body, files []*enmime.Part
	for _, p := range leaves(root) {
		if !strings.HasPrefix(p.ContentType, "text/") {
			continue
		}
		if p.Disposition == "attachment" || p.FileName != "" {
			files = append(files, p)
		}
		if p.Disposition == "attachment" || p.ContentType != "text/plain" && p.ContentType != "text/html" {
			continue
		}
		switch declaredCharset(p) {
		case "", "us-ascii", "ascii":
			if !isASCII(p.Content) {
				body = append(body, p)
			}
		default:
			// An unknown or mislabelled charset leaves the bytes as sent.
			if !utf8.Valid(p.Content) {
				p.Content = []byte(toUTF8(string(p.Content)))
			}
		}
	}
	if len(body) == 0 && len(files) == 0 {
		return nil
	}
	raw := map[string]*enmime.Part{}
	if rawRoot, err := rawParser.ReadParts(bytes.NewReader(data)); err == nil {
		for _, p := range leaves(rawRoot) {
			raw[p.PartID] = p
		}
	}
	sent := func(p *enmime.Part) ([]byte, bool) {
		r := raw[p.PartID]
		if r == nil || r.ContentType != p.ContentType {
			return nil, false
		}
		return decodeTransfer(r.Content, r.Header.Get("Content-Transfer-Encoding"))
	}
	for _, p := range body {
		b, ok := sent(p)
		switch {
		case ok && utf8.Valid(b):
			p.Content = b
		case !utf8.Valid(p.Content):
			p.Content = []byte(toUTF8(string(p.Content)))
		}
	}
	out := map[string][]byte{}
	for _, p := range files {
		if b, ok := sent(p); ok {
			out[p.PartID] = b
		}
	}
	return out
}

// leaves lists the parts that hold content, in message order.
func leaves(root *enmime.Part) []*enmime.Part {
	return root.DepthMatchAll(func(p *enmime.Part) bool { return p.FirstChild == nil })
}

// decodeTransfer undoes base64 or quoted-printable. It reports false when
// the data is malformed, so the caller can keep enmime's more forgiving
// result.
func decodeTransfer(data []byte, cte string) ([]byte, bool) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, data)
		out, err := base64.RawStdEncoding.DecodeString(string(bytes.TrimRight(clean, "=")))
		return out, err == nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data)))
		return out, err == nil
	default:
		return data, true
	}
}

func declaredCharset(p *enmime.Part) string {
	ct := p.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	_, params, _, err := mediatype.Parse(ct)
	if err != nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(params["charset"]))
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// toUTF8 reads invalid UTF-8 as windows-1252, the likeliest charset for
// undeclared 8-bit text in UK mail (and a superset of ISO-8859-1's letters).
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

// cleanMessageID keeps the first bracketed id, as some clients append
// comments or a second id, and drops stray brackets and folding space.
func cleanMessageID(h string) string {
	h = toUTF8(h)
	if i := strings.IndexByte(h, '<'); i >= 0 {
		if j := strings.IndexByte(h[i:], '>'); j > 0 {
			h = h[i+1 : i+j]
		}
	}
	return strings.Map(func(r rune) rune {
		if r == '<' || r == '>' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, h)
}

// sender gives the display form and lower-case address of the first From
// address, falling back to the decoded header when it will not parse.
func sender(env *enmime.Envelope) (display, addr string) {
	list, err := env.AddressList("From")
	if err != nil || len(list) == 0 || list[0].Address == "" {
		return strings.Join(strings.Fields(toUTF8(env.GetHeader("From"))), " "), ""
	}
	a := list[0]
	addr = strings.ToLower(toUTF8(a.Address))
	if strings.ContainsAny(addr, " \t\r\n<>") {
		// A decoded encoded word can smuggle these in; such an address is
		// no use as a key.
		return strings.Join(strings.Fields(toUTF8(env.GetHeader("From"))), " "), ""
	}
	name := strings.Join(strings.Fields(toUTF8(a.Name)), " ")
	if name == "" {
		return toUTF8(a.Address), addr
	}
	return name + " <" + toUTF8(a.Address) + ">", addr
}

// attachments collects attached files and named inline parts in message
// order. Unnamed inline parts are bodies (many clients mark the text part
// "inline"), and unnamed related parts are usually signature images.
func attachments(env *enmime.Envelope) []Attachment {
	want := map[*enmime.Part]bool{}
	for _, p := range env.Attachments {
		want[p] = true
	}
	for _, ps := range [][]*enmime.Part{env.Inlines, env.OtherParts} {
		for _, p := range ps {
			if p.FileName != "" {
				want[p] = true
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	parts := env.Root.DepthMatchAll(func(p *enmime.Part) bool { return want[p] })
	out := make([]Attachment, 0, len(parts))
	for i, p := range parts {
		name := strings.TrimSpace(toUTF8(p.FileName))
		if name == "" {
			name = fmt.Sprintf("attachment-%d", i+1)
		}
		ct := p.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		out = append(out, Attachment{Name: name, ContentType: ct, Data: p.Content})
	}
	return out
}

// Read reads every message under the given paths. Paths are taken in the
// order given; the files found in a directory are read in sorted order and
// mbox messages in file order. Each path may be:
//   - a single message file (any name, usually .eml);
//   - a Maildir: a directory containing cur/ and/or new/ subdirectories
//     (every regular file in cur/ and new/ is read; tmp/ and dotfiles are
//     ignored);
//   - a directory of message files: every regular file whose name ends in
//     .eml (case-insensitive), not recursive;
//   - an mbox file: a file whose first line starts with "From ". Messages
//     are split on "From " lines at the start of the file or after an empty
//     line; the separator and that empty line are dropped, lines matching
//     ^>+From  lose one '>' (mboxrd), and Source is "path:LINE" of the
//     separator. Any file read, in a directory or not, that starts with
//     "From " is read this way.
//
// An empty directory, or a Maildir with nothing in cur/ and new/, is an
// error ("no messages found in DIR"), as is a missing path.
//
// Read carries on past a bad file so that one error lists every problem;
// the messages it could read are returned alongside that error. Each
// problem names its file (and mbox line).
func Read(paths ...string) ([]Message, error) {
	var msgs []Message
	err := Scan(Options{}, paths, func(m Message) error {
		msgs = append(msgs, m)
		return nil
	})
	return msgs, err
}

// Options qualify Scan.
type Options struct {
	Limits
	// Problem, when set, receives each bad message or file instead of Scan
	// collecting them into its error (mail import --skip-invalid).
	Problem func(error)
}

// Scan is Read one message at a time: each is handed to fn as soon as it is
// parsed and then dropped, so a large mbox never sits in memory. An error
// from fn stops the scan and is returned as it is.
func Scan(opt Options, paths []string, fn func(Message) error) error {
	if len(paths) == 0 {
		return errors.New("mailfile: no paths given")
	}
	var errs []error
	problem := opt.Problem
	if problem == nil {
		problem = func(err error) { errs = append(errs, err) }
	}
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			problem(err)
			continue
		}
		for _, f := range files {
			if err := readFile(f, opt.Limits, fn, problem); err != nil {
				return err
			}
		}
	}
	return errors.Join(errs...)
}

// expand turns one path into the sorted list of files to read.
func expand(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if info.Mode().IsRegular() {
		// A file named on the command line is the caseworker's choice, link
		// or not; links are only refused inside folders.
		if real, err := filepath.EvalSymlinks(path); err == nil {
			return []string{real}, nil
		}
		return []string{path}, nil
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s: not a regular file or directory", path)
	}
	var files []string
	if isDir(filepath.Join(path, "cur")) || isDir(filepath.Join(path, "new")) {
		for _, sub := range []string{"cur", "new"} {
			found, err := listFiles(filepath.Join(path, sub), func(string) bool { return true })
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			files = append(files, found...)
		}
	} else {
		files, err = listFiles(path, func(name string) bool {
			return strings.HasSuffix(strings.ToLower(name), ".eml")
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no messages found in %s", path)
	}
	sort.Strings(files)
	return files, nil
}

// listFiles lists the regular files in dir whose names pass keep, leaving
// out dotfiles such as macOS "._" resource forks. A symbolic link is not
// followed: in a shared Maildir it can point at anyone's file. It is listed
// all the same, so that reading it reports it.
func listFiles(dir string, keep func(string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, pathError(dir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !keep(name) {
			continue
		}
		full := filepath.Join(dir, name)
		if e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0 {
			out = append(out, full)
		}
	}
	return out, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// pathError words an os error as "PATH: problem" while keeping errors.Is
// working (fs.ErrNotExist and friends).
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// readFile reads one file as an mbox when it starts with a "From " line,
// otherwise as a single message. It opens without following a final
// symbolic link and without waiting on a FIFO, and reads only regular files.
func readFile(path string, lim Limits, fn func(Message) error, problem func(error)) error {
	f, err := openRegular(path)
	if err != nil {
		problem(err)
		return nil
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if head, _ := br.Peek(5); string(head) == "From " {
		return readMbox(path, br, lim, fn, problem)
	}
	m, err := ParseLimited(br, path, lim)
	if err != nil {
		problem(err)
		return nil
	}
	return fn(m)
}

// readMbox splits an mbox on "From " lines at the start of the file or after
// an empty line. The separator and the empty line before it belong to the
// mbox, not the message, and mboxrd's ">From " quoting is undone. One
// message is held at a time.
func readMbox(path string, br *bufio.Reader, lim Limits, fn func(Message) error, problem func(error)) error {
	var (
		cur       bytes.Buffer
		start     int // line of the current separator; 0 before the first
		lineNo    int // lines read so far
		prevEmpty = true
		lastLen   int  // length of the last line written to cur
		tooBig    bool // current message passed the limit; skip to the next
	)
	flush := func() error {
		if start == 0 {
			return nil
		}
		src := fmt.Sprintf("%s:%d", path, start)
		if tooBig {
			problem(fmt.Errorf("%s: %w", src, errTooLarge))
			return nil
		}
		data := cur.Bytes()
		if prevEmpty {
			data = data[:len(data)-lastLen]
		}
		m, err := parse(data, src, lim)
		if err != nil {
			problem(err)
			return nil
		}
		return fn(m)
	}
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			lineNo++
			if prevEmpty && bytes.HasPrefix(line, []byte("From ")) {
				if err := flush(); err != nil {
					return err
				}
				cur.Reset()
				if cur.Cap() > 4<<20 {
					// Let a huge message's buffer go rather than keep it
					// for the rest of the file.
					cur = bytes.Buffer{}
				}
				start, prevEmpty, lastLen, tooBig = lineNo, false, 0, false
			} else {
				prevEmpty = len(bytes.TrimRight(line, "\r\n")) == 0
				if !tooBig {
					if isQuotedFrom(line) {
						line = line[1:]
					}
					cur.Write(line)
					lastLen = len(line)
					if cur.Len() > MaxMessageSize {
						tooBig = true
						cur = bytes.Buffer{}
					}
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			problem(fmt.Errorf("%s:%d: %w", path, lineNo+1, err))
			return nil
		}
	}
	// A message cut short at the limit must not have its tail trimmed.
	if tooBig {
		prevEmpty = false
	}
	return flush()
}

// readLine returns the next line with its ending, refusing lines longer than
// the message limit so a file with no newlines cannot fill memory.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if err != bufio.ErrBufferFull {
			return line, err
		}
		if len(line) > MaxMessageSize {
			return nil, errors.New("line is longer than the message size limit")
		}
	}
}

// isQuotedFrom reports whether line matches ^>+From , mboxrd's quoting.
func isQuotedFrom(line []byte) bool {
	rest := bytes.TrimLeft(line, ">")
	return len(rest) < len(line) && bytes.HasPrefix(rest, []byte("From "))
}
