package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/letterdesk"
	"github.com/caseload/caseload/store/letterfile"
	"github.com/caseload/caseload/store/synthetic"
)

// loadTemplates reads the built-in letter templates and the user's
// copies, $XDG_CONFIG_HOME/caseload/templates/PACK/NAME.md, which win.
func loadTemplates() ([]*domain.LetterTemplate, error) {
	dir := filepath.Join(configDir(), "templates")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.md"))
	if err != nil {
		return nil, err
	}
	var overrides []domain.TemplateOverride
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		pack := filepath.Base(filepath.Dir(f))
		overrides = append(overrides, domain.TemplateOverride{ID: pack + "/" + strings.TrimSuffix(filepath.Base(f), ".md"),
			Text: b, Source: f})
	}
	return domain.LoadTemplates(overrides)
}

// desk drafts and saves letters as this session's caseworker.
func (s *session) desk(all []*domain.LetterTemplate) *letterdesk.Desk {
	return &letterdesk.Desk{Store: s.store, Templates: all, Office: s.cfg.Office, User: s.user, Today: s.today}
}

// writeOutput writes a file 0600 (a letter holds personal data), or to w
// when path is "-".
func writeOutput(w io.Writer, path string, b []byte) error {
	if path == "-" {
		_, err := w.Write(b)
		return err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b, 0o600)
}

// render turns a drafted letter into the bytes of a format.
func render(l domain.Letter, format string, now time.Time) ([]byte, error) {
	switch format {
	case "md":
		return []byte(l.Markdown()), nil
	case "txt":
		return []byte(l.Text()), nil
	case "pdf":
		return letterfile.PDF(l)
	case "eml":
		pdf, err := letterfile.PDF(l)
		if err != nil {
			return nil, err
		}
		return letterfile.EML(l, pdf, now)
	}
	return nil, usageError{fmt.Errorf("--format: %q is not md, txt, pdf or eml", format)}
}

// editBody opens the letter's body in $EDITOR (then $VISUAL, then vi) and
// returns it as edited.
func editBody(body string) (string, error) {
	f, err := os.CreateTemp("", "caseload-letter-*.md")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return "", err
	}
	f.Close()
	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = os.Getenv("VISUAL")
	}
	if editor == "" {
		editor = "vi"
	}
	// Through the shell, as the UI does: $EDITOR may carry arguments.
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "editor", f.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %w", editor, err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", errors.New("the letter was left empty: nothing saved")
	}
	return string(b), nil
}

func letterCmd(g *globals) *cobra.Command {
	var to, format, out string
	var save, edit bool
	var replaces int64
	c := &cobra.Command{
		Use:   "letter REF TEMPLATE",
		Short: "Draft a letter or email on a case from a template (only --save records it)",
		Long: `Draft a letter or email from a template, filled in from the case: the parties and addresses, the
track, every open deadline with its date and rule, what is missing, the direction, the hearing.

Drafting writes the letter (to standard output, or -o FILE) and changes nothing. --save records it:
"correspondence out" on the case's timeline, the text and a PDF kept beside the database (0600), listed by
show and reopened with letter show. A saved letter is never rewritten: a correction is a new letter,
--replaces N, that says which letter it replaces.

A letter to a party without a postal address (an email without an email address) says so before it is
drafted: give the address on import (appellant_address, appellant_email, representative_address,
representative_email, respondent_email) or choose another party with --to. Markdown and text drafts are
still shown, with the warning; PDF, .eml and --save are refused. A template that does not fit the case yet
(the notice of allocation before an allocation, a chaser with no overdue direction) is refused, saying
what is lacking.

Formats: md (default), txt, pdf (A4, the office's letterhead from config.toml [office]), eml (an RFC 5322
message with the PDF attached, for your mail program to send: caseload never sends mail).

Templates: caseload letter list. Your own copies in $XDG_CONFIG_HOME/caseload/templates/PACK/NAME.md win.`,
		Example: `  caseload letter TC/2026/04101 allocation
  caseload letter TC/2026/04101 allocation --format pdf -o allocation.pdf
  caseload letter TC/2026/04101 chaser --to respondent --format eml --save
  caseload letter TC/2026/04101 allocation --save --replaces 3`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageError{fmt.Errorf("give a case reference and a template (caseload letter list shows them), got %d argument(s)", len(args))}
			}
			return nil
		},
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			ctx := cmd.Context()
			if !slices.Contains([]string{"md", "txt", "pdf", "eml"}, format) {
				return usageError{fmt.Errorf("--format: %q is not md, txt, pdf or eml", format)}
			}
			if to != "" && !slices.Contains(domain.LetterParties, to) {
				return usageError{fmt.Errorf("--to: %q is not a party (use %s)", to, strings.Join(domain.LetterParties, ", "))}
			}
			all, err := loadTemplates()
			if err != nil {
				return err
			}
			// How it goes: an .eml is an email and a PDF a letter, whatever
			// the template's usual channel.
			channel := map[string]string{"eml": "email", "pdf": "letter"}[format]
			desk := s.desk(all)
			d, err := desk.Draft(ctx, letterdesk.Request{Ref: args[0], Template: args[1], To: to, Replaces: replaces, Channel: channel})
			if err != nil {
				return err
			}
			l, tm := d.Letter, d.Template
			if err := d.NoAddress; err != nil {
				if save || format == "pdf" || format == "eml" {
					return err
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "caseload: warning:", safe(err.Error()))
			}
			if edit {
				if l.Body, err = editBody(l.Body); err != nil {
					return err
				}
				d.Letter = l
			}
			b, err := render(l, format, time.Now())
			if err != nil {
				return err
			}
			dest := out
			if dest == "" {
				dest = "-"
				if format == "pdf" || format == "eml" {
					dest = letterfile.FileName(l, format)
				}
			}
			if err := writeOutput(cmd.OutOrStdout(), dest, b); err != nil {
				return err
			}
			if dest != "-" {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s drafted to %s: %s\n", l.Reference, tm.Title, safe(l.To.Name), dest)
			}
			if save {
				saved, err := desk.Save(ctx, d)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: saved letter %d (%s to %s), on the timeline as correspondence out: %s\n",
					saved.Reference, saved.ID, saved.Title, safe(saved.RecipientName), saved.Path)
			}
			return nil
		}),
	}
	f := c.Flags()
	f.StringVar(&to, "to", "", "address it to this party: "+strings.Join(domain.LetterParties, ", ")+" (default: the template's)")
	f.StringVar(&format, "format", "md", "md, txt, pdf or eml")
	f.StringVarP(&out, "output", "o", "", "write to FILE (- for standard output; default: standard output for md and txt, REF-TEMPLATE.pdf or .eml)")
	f.BoolVar(&save, "save", false, "record the letter on the case (correspondence out, the document kept beside the database)")
	f.BoolVar(&edit, "edit", false, "edit the letter's text in $EDITOR before it is written or saved")
	f.Int64Var(&replaces, "replaces", 0, "with --save: this letter corrects saved letter N on the case, and says so")
	c.AddCommand(letterListCmd(g), letterCheckCmd(g), letterBatchCmd(g), letterShowCmd(g))
	return c
}

func letterListCmd(g *globals) *cobra.Command {
	var pack string
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the letter templates: pack, name, who they go to, and where each is read from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := loadTemplates()
			if err != nil {
				return err
			}
			type row struct {
				ID            string   `json:"id"`
				Pack          string   `json:"pack"`
				Name          string   `json:"name"`
				Title         string   `json:"title"`
				To            string   `json:"to"`
				Channel       string   `json:"channel"`
				Jurisdictions []string `json:"jurisdictions"`
				Needs         []string `json:"needs"`
				Description   string   `json:"description"`
				Source        string   `json:"source"`
			}
			rows := []row{}
			for _, t := range all {
				if pack != "" && t.Pack != pack && !t.For(pack) {
					continue
				}
				needs := t.Needs
				if needs == nil {
					needs = []string{}
				}
				rows = append(rows, row{t.ID(), t.Pack, t.Name, t.Title, t.To, t.Channel, t.Jurisdictions, needs, t.Description, t.Source})
			}
			if pack != "" && len(rows) == 0 {
				return usageError{fmt.Errorf("--pack: no templates in %q (packs: ftt-tax, admin-court-jr, government; or a rule pack id)", pack)}
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rows)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "TEMPLATE\tTITLE\tTO\tCHANNEL\tNEEDS\tSOURCE")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, safe(r.Title), r.To, r.Channel, strings.Join(r.Needs, ","), safe(r.Source))
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&pack, "pack", "", "only this template pack, or the templates for this rule pack's cases")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func letterShowCmd(g *globals) *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "show REF N",
		Short: "Reopen saved letter N of a case: its text as saved (or --format pdf, the PDF kept with it)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			var id int64
			if _, err := fmt.Sscan(args[1], &id); err != nil || id <= 0 {
				return usageError{fmt.Errorf("%q is not a letter number (show REF lists them)", args[1])}
			}
			l, err := s.store.LetterByID(cmd.Context(), args[0], id)
			if err != nil {
				return err
			}
			text, err := s.store.LetterText(l)
			if err != nil {
				return err
			}
			switch format {
			case "md":
				if out == "" || out == "-" {
					_, err := io.WriteString(cmd.OutOrStdout(), safeBlock(string(text)))
					return err
				}
				return writeOutput(cmd.OutOrStdout(), out, text)
			case "pdf":
				if l.PDFPath == "" {
					return fmt.Errorf("%s letter %d was saved without a PDF", l.Reference, l.ID)
				}
				b, err := os.ReadFile(l.PDFPath)
				if err != nil {
					return err
				}
				if out == "" {
					out = filepath.Base(l.PDFPath)
				}
				if err := writeOutput(cmd.OutOrStdout(), out, b); err != nil {
					return err
				}
				if out != "-" {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s letter %d: %s\n", l.Reference, l.ID, out)
				}
				return nil
			}
			return usageError{fmt.Errorf("--format: %q is not md or pdf", format)}
		}),
	}
	c.Flags().StringVar(&format, "format", "md", "md (the saved text) or pdf")
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE (- for standard output)")
	return c
}

func letterBatchCmd(g *globals) *cobra.Command {
	var on, dir, to string
	var save bool
	c := &cobra.Command{
		Use:   "batch TEMPLATE --allocated-on DATE",
		Short: "Draft one letter for every case allocated on a day: a PDF each and one combined PDF to print",
		Long: `Draft TEMPLATE (usually allocation) for every case whose current allocation was made on DATE, in
reference order: one PDF per case in --dir, and all of them in one PDF for printing (TEMPLATE-all.pdf).
Cases the letter cannot go to (no postal address for the recipient) are listed and left out; the command
then exits with status 1 so that nothing is missed. --save records each letter on its case.`,
		Example: `  caseload letter batch allocation --allocated-on today
  caseload letter batch allocation --allocated-on 23/11/2026 --dir ~/print --save`,
		Args: cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			ctx := cmd.Context()
			day := s.today
			if on == "" {
				return usageError{errors.New("--allocated-on DATE is required (YYYY-MM-DD, DD/MM/YYYY or today)")}
			}
			if on != "today" {
				d, err := domain.ParseDate(on)
				if err != nil {
					return usageError{fmt.Errorf("--allocated-on: %w", err)}
				}
				day = d
			}
			all, err := loadTemplates()
			if err != nil {
				return err
			}
			refs, err := s.store.AllocatedOn(ctx, day)
			if err != nil {
				return err
			}
			if len(refs) == 0 {
				return fmt.Errorf("no case was allocated on %s", day.Long())
			}
			if dir == "" {
				dir = "letters-" + day.String()
			}
			var letters []domain.Letter
			var skipped []string
			w := cmd.OutOrStdout()
			desk := s.desk(all)
			for _, ref := range refs {
				d, err := desk.Draft(ctx, letterdesk.Request{Ref: ref, Template: args[0], To: to, Channel: "letter"})
				if err == nil {
					err = d.NoAddress
				}
				l, tm := d.Letter, d.Template
				if err != nil {
					skipped = append(skipped, err.Error())
					continue
				}
				b, err := letterfile.PDF(l)
				if err != nil {
					return err
				}
				path := filepath.Join(dir, letterfile.FileName(l, "pdf"))
				if err := writeOutput(w, path, b); err != nil {
					return err
				}
				letters = append(letters, l)
				line := fmt.Sprintf("%s: %s to %s: %s", l.Reference, tm.Title, safe(l.To.Name), path)
				if save {
					saved, err := desk.Save(ctx, d)
					if err != nil {
						return err
					}
					line += fmt.Sprintf(" (saved as letter %d)", saved.ID)
				}
				fmt.Fprintln(w, line)
			}
			if len(letters) > 0 {
				b, err := letterfile.PDF(letters...)
				if err != nil {
					return err
				}
				name := args[0]
				if i := strings.LastIndexByte(name, '/'); i >= 0 {
					name = name[i+1:]
				}
				path := filepath.Join(dir, name+"-all.pdf")
				if err := writeOutput(w, path, b); err != nil {
					return err
				}
				fmt.Fprintf(w, "%d letters for the %d cases allocated on %s, to print in one: %s\n", len(letters), len(refs), day.Long(), path)
			}
			if len(skipped) > 0 {
				for _, s := range skipped {
					fmt.Fprintln(cmd.ErrOrStderr(), "caseload: not drafted:", safe(s))
				}
				return exitError{code: 1}
			}
			return nil
		}),
	}
	c.Flags().StringVar(&on, "allocated-on", "", "the day the cases were allocated (YYYY-MM-DD, DD/MM/YYYY, or today)")
	c.Flags().StringVar(&dir, "dir", "", "folder for the PDFs (default letters-DATE)")
	c.Flags().StringVar(&to, "to", "", "address them to this party (default: the template's)")
	c.Flags().BoolVar(&save, "save", false, "record each letter on its case")
	return c
}

func letterCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check every letter template (yours too) against the demo caseload: unknown fields, failures",
		Long: `Load every template, built in and in $XDG_CONFIG_HOME/caseload/templates, checking each field against the
letter's view of a case (an unknown field is reported with its file and line), then draft every template on
every case of its jurisdictions in a fresh demo caseload, and lay one of each out as a PDF. CI runs it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			all, err := loadTemplates()
			if err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "caseload-letter-check-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			// The check makes its own demo caseload: one of the commands
			// that may create a database.
			g.create = true
			s, err := g.openAt(cmd.Context(), filepath.Join(tmp, "demo.db"))
			if err != nil {
				return err
			}
			defer s.store.Close()
			ctx := cmd.Context()
			if _, err := synthetic.Demo(ctx, s.store, s.today, s.user); err != nil {
				return err
			}
			drafts, cases, failed, unfit := 0, 0, 0, 0
			laidOut := map[string]bool{}
			w := cmd.OutOrStdout()
			for offset := 0; ; offset += 500 {
				rows, err := s.store.Cases(ctx, store.CaseFilter{Sort: "reference"}, offset, 500)
				if err != nil {
					return err
				}
				for _, row := range rows {
					cases++
					facts, pack, err := s.store.LetterFacts(ctx, row.Reference)
					if err != nil {
						return err
					}
					for _, tm := range all {
						if !tm.For(pack.ID) {
							continue
						}
						to := tm.To
						if to == "representative" && facts.Notice.Representative == "" {
							to = "appellant"
						}
						c, err := domain.NewLetterCase(pack, facts, to, s.user, s.today, s.cfg.Office)
						if err == nil && tm.Ready(c) != nil {
							unfit++
							continue
						}
						if err == nil {
							var l domain.Letter
							if l, err = tm.Render(c); err == nil && !laidOut[tm.ID()] {
								laidOut[tm.ID()] = true
								_, err = letterfile.PDF(l)
							}
							if err == nil && strings.Contains(l.Body, "<no value>") {
								err = errors.New("a field printed <no value>")
							}
						}
						drafts++
						if err != nil {
							failed++
							if failed <= 20 {
								fmt.Fprintf(w, "%s on %s: %s\n", tm.ID(), row.Reference, safe(err.Error()))
							}
						}
					}
				}
				if len(rows) < 500 {
					break
				}
			}
			for _, tm := range all {
				if !laidOut[tm.ID()] {
					failed++
					fmt.Fprintf(w, "%s: no case of %s in the demo caseload to draft it on\n", tm.ID(), strings.Join(tm.Jurisdictions, ", "))
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d drafts failed", failed, drafts)
			}
			fmt.Fprintf(w, "%d templates checked on %d demo cases: %d drafts, no errors (%d pairs left out: the case does not fit the letter yet) in %s\n",
				len(all), cases, drafts, unfit, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}
