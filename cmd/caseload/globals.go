package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London whatever the machine's zone files

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// globals are the flags every command takes, resolved against the
// environment and the config file.
type globals struct {
	db      string
	today   string
	user    string
	plain   bool
	noColor bool
	// jurisdiction limits lists to one rule pack's cases.
	jurisdiction string
	// skipRecalc opens without recomputing deadlines under changed rules
	// (caseload recalc does it itself, or shows what it would do).
	skipRecalc bool
	// create lets the command make a new database (import, demo and
	// generate); every other command refuses a missing one.
	create bool
	// shared is set when `caseload serve` runs a command for an SSH user:
	// its path and user are the server's file and the authenticated name,
	// whatever --db and --user say (serve.go).
	shared *session
}

func (g *globals) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.db, "db", "", "database file (default $CASELOAD_DB, else $XDG_DATA_HOME/caseload/caseload.db)")
	f.StringVar(&g.today, "today", "", "treat this date as today, YYYY-MM-DD or DD/MM/YYYY (default $CASELOAD_TODAY, else the system date)")
	f.StringVar(&g.user, "user", "", "name recorded on every event (default $CASELOAD_USER, else $USER)")
	f.BoolVar(&g.plain, "plain", false, "screen-reader-friendly UI: no borders or spinners, state in words")
	f.BoolVar(&g.noColor, "no-color", false, "no colour (also when NO_COLOR is set)")
	f.StringVar(&g.jurisdiction, "jurisdiction", "", "limit lists to one jurisdiction's cases: "+strings.Join(domain.PackIDs(), ", ")+" (default all)")
}

// config is config.toml in the config directory. Every field is optional.
type config struct {
	Database string `toml:"database"`
	// Files is where attachments and letters are kept; a PostgreSQL
	// database needs one (CASELOAD_FILES wins).
	Files    string `toml:"files"`
	User     string `toml:"user"`
	Plain    bool   `toml:"plain"`
	Division string `toml:"division"`
	// Keys rebinds UI keys; read by the UI itself.
	Keys map[string][]string `toml:"keys"`
	// Urgency overrides the inbox's urgency weights.
	Urgency *store.UrgencyWeights `toml:"urgency"`
	// DefaultJurisdiction is the rule pack of notices that name none
	// (default ftt-tax).
	DefaultJurisdiction string `toml:"default_jurisdiction"`
	// Jurisdiction limits lists as --jurisdiction does.
	Jurisdiction string `toml:"jurisdiction"`
	// Closures adds court closure days beyond bank holidays, by pack:
	// closures = { admin-court-jr = ["24/12/2026"] } (CPR 2.8(5)).
	Closures map[string][]string `toml:"closures"`
	// MailReplyDays is the correspondence service level in working days.
	MailReplyDays int `toml:"mail_reply_days"`
	// SnoozeOverdueMaxDays caps the snooze of a missed deadline.
	SnoozeOverdueMaxDays int `toml:"snooze_overdue_max_days"`
	// MailMaxDepth and MailMaxParts cap one message's MIME structure
	// (0: mailfile's defaults).
	MailMaxDepth int `toml:"mail_max_depth"`
	MailMaxParts int `toml:"mail_max_parts"`
	// Queries sets the service centre's service levels (query.go).
	Queries *domain.ServiceLevels `toml:"queries"`
	// Topics adds the office's own topics to the taxonomy.
	Topics []domain.Topic `toml:"topics"`
	// Office heads letters: name, address lines, email, phone, and the
	// government's lawyers' details (letter templates).
	Office domain.LetterOffice `toml:"office"`
	// Authority is the financial authority to settle, by level:
	// [authority.team-leader] limit = "£50,000", holders = ["role:team-leader"].
	Authority map[string]domain.AuthorityConfig `toml:"authority"`
	// Distribution gives new appeals to caseworkers as they arrive:
	// round-robin, least-loaded or off (team.go).
	Distribution string `toml:"distribution"`
	// LeaseMinutes is how long the appeal on a caseworker's queue card stays
	// reserved for them without a key press (serve; default 10).
	LeaseMinutes int `toml:"lease_minutes"`
}

// settingRanges are the values each number in config.toml may take: a
// value out of range is refused when the file is read, not discovered as a
// due date in the year 397459.
var settingRanges = []struct {
	key      string
	min, max float64
	get      func(*config) float64
}{
	{"mail_reply_days", 0, 250, func(c *config) float64 { return float64(c.MailReplyDays) }},
	{"snooze_overdue_max_days", 0, 366, func(c *config) float64 { return float64(c.SnoozeOverdueMaxDays) }},
	{"mail_max_depth", 0, 1000, func(c *config) float64 { return float64(c.MailMaxDepth) }},
	{"mail_max_parts", 0, 100000, func(c *config) float64 { return float64(c.MailMaxParts) }},
}

// checkSettings refuses numbers out of range, naming the file and line.
func checkSettings(c *config, text string) error {
	for _, r := range settingRanges {
		if v := r.get(c); v < r.min || v > r.max {
			return fmt.Errorf("%s:%d: %s = %v is out of range (%v to %v)", configFile(), keyLine(text, r.key), r.key, v, r.min, r.max)
		}
	}
	if u := c.Urgency; u != nil {
		rv := reflect.ValueOf(*u)
		for i := 0; i < rv.NumField(); i++ {
			k := rv.Type().Field(i).Tag.Get("toml")
			if v := rv.Field(i).Float(); v < 0 || v > 10000 || math.IsNaN(v) {
				return fmt.Errorf("%s:%d: urgency weight %s = %v is out of range (0 to 10000)", configFile(), keyLine(text, k), k, v)
			}
		}
	}
	return nil
}

// keyLine is the line of config.toml that sets key (0 if not found: the
// TOML library does not report key positions).
func keyLine(text, key string) int {
	for i, line := range strings.Split(text, "\n") {
		k, _, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return 0
}

func configDir() string { return filepath.Join(xdg.ConfigHome, "caseload") }

func configFile() string { return filepath.Join(configDir(), "config.toml") }

func loadConfig() (config, error) {
	var c config
	b, err := os.ReadFile(configFile())
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if c.Urgency == nil {
		w := store.DefaultUrgency()
		c.Urgency = &w
	}
	if _, err := toml.Decode(string(b), &c); err != nil {
		return c, fmt.Errorf("%s: %w", configFile(), err)
	}
	return c, checkSettings(&c, string(b))
}

func (g *globals) dbPath(cfg config) (string, error) {
	switch {
	case g.db != "":
		return g.db, nil
	case os.Getenv("CASELOAD_DB") != "":
		return os.Getenv("CASELOAD_DB"), nil
	case cfg.Database != "":
		return cfg.Database, nil
	}
	if os.Getenv("XDG_DATA_HOME") == "" && os.Getenv("HOME") == "" {
		// xdg would fall back to /.local/share: a database at the root of
		// the file system, where nobody would look for it.
		return "", usageError{errors.New("HOME is not set, so there is no default place for the database: give --db FILE, or set XDG_DATA_HOME (or CASELOAD_DB)")}
	}
	return filepath.Join(xdg.DataHome, "caseload", "caseload.db"), nil
}

// london is where every date caseload decides falls: a caseworker's "today"
// is the UK date whatever zone the machine is set to.
var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return l
}()

func (g *globals) todayDate() (domain.Date, error) {
	s := g.today
	if s == "" {
		s = os.Getenv("CASELOAD_TODAY")
	}
	if s == "" {
		return domain.DateOf(time.Now().In(london)), nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, usageError{fmt.Errorf("--today: %w", err)}
	}
	return d, nil
}

func (g *globals) userName(cfg config) string {
	for _, u := range []string{g.user, os.Getenv("CASELOAD_USER"), cfg.User, os.Getenv("USER")} {
		if strings.TrimSpace(u) != "" {
			return strings.TrimSpace(u)
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

// session is everything a command needs, resolved once.
type session struct {
	store *store.Store
	today domain.Date
	user  string
	cfg   config
	path  string
	// jurisdiction limits lists ("" all).
	jurisdiction string
}

func (s *session) act() store.ActOptions { return store.ActOptions{User: s.user, On: s.today} }

// loadRules reads every rule pack and the calendar, preferring the user's
// copies in the config directory over the built-in ones, and adds the
// config's court closure days. The first pack is the default.
func loadRules(cfg config) ([]*domain.RulePack, *domain.Calendar, error) {
	def := "ftt-tax"
	if cfg.DefaultJurisdiction != "" {
		def = cfg.DefaultJurisdiction
	}
	if !slices.Contains(domain.PackIDs(), def) {
		return nil, nil, fmt.Errorf("%s: default_jurisdiction %q is not a rule pack (use %s)", configFile(), def, strings.Join(domain.PackIDs(), ", "))
	}
	ids := append([]string{def}, slices.DeleteFunc(domain.PackIDs(), func(s string) bool { return s == def })...)
	// Parsing the packs is most of a command's start before its first
	// query (about 1 ms of CPU each): they are parsed side by side, on as
	// many cores as there are, and taken in order.
	type loaded struct {
		pack *domain.RulePack
		err  error
	}
	results := make([]chan loaded, len(ids))
	for i, id := range ids {
		results[i] = make(chan loaded, 1)
		go func() {
			var override []byte
			src := filepath.Join(configDir(), "rules", id+".toml")
			if b, err := os.ReadFile(src); err == nil {
				override = b
			} else if !errors.Is(err, os.ErrNotExist) {
				results[i] <- loaded{nil, err}
				return
			}
			pack, err := domain.LoadRulePack(id, override, src)
			results[i] <- loaded{pack, err}
		}()
	}
	packs := []*domain.RulePack{}
	for i, id := range ids {
		r := <-results[i]
		if r.err != nil {
			return nil, nil, r.err
		}
		pack := r.pack
		for _, d := range cfg.Closures[id] {
			day, err := domain.ParseDate(d)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: closures.%s: %w", configFile(), id, err)
			}
			pack.ClosureDays = append(pack.ClosureDays, day)
		}
		packs = append(packs, pack)
	}
	for id := range cfg.Closures {
		if !slices.Contains(domain.PackIDs(), id) {
			return nil, nil, fmt.Errorf("%s: closures: %q is not a rule pack", configFile(), id)
		}
	}
	divName := packs[0].Division
	if cfg.Division != "" {
		divName = cfg.Division
	}
	div, err := domain.ParseDivision(divName)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: division: %w", configFile(), err)
	}
	var holidays []byte
	if b, err := os.ReadFile(filepath.Join(configDir(), "bank-holidays.json")); err == nil {
		holidays = b
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	cal, err := domain.LoadCalendar(div, holidays)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(configDir(), "bank-holidays.json"), err)
	}
	return packs, cal, nil
}

// loadCalendars loads every division's calendar from the same bank-holiday
// data (the user's newer GOV.UK file when there is one): packs and cases
// count with their own division, whatever the configured default.
func loadCalendars() (map[domain.Division]*domain.Calendar, error) {
	var holidays []byte
	if b, err := os.ReadFile(filepath.Join(configDir(), "bank-holidays.json")); err == nil {
		holidays = b
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	out := map[domain.Division]*domain.Calendar{}
	for _, d := range []domain.Division{domain.EnglandAndWales, domain.Scotland, domain.NorthernIreland} {
		c, err := domain.LoadCalendar(d, holidays)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(configDir(), "bank-holidays.json"), err)
		}
		out[d] = c
	}
	return out, nil
}

// jurisdictionOf resolves --jurisdiction (or the config's) to a pack id.
func (g *globals) jurisdictionOf(cfg config) (string, error) {
	j := g.jurisdiction
	if j == "" {
		j = cfg.Jurisdiction
	}
	j = strings.ToLower(strings.TrimSpace(j))
	if j == "" || j == "all" {
		return "", nil
	}
	if !slices.Contains(domain.PackIDs(), j) {
		return "", usageError{fmt.Errorf("--jurisdiction: %q is not a jurisdiction (use %s, or all)", j, strings.Join(domain.PackIDs(), ", "))}
	}
	return j, nil
}

// open resolves the globals and opens the database.
func (g *globals) open(ctx context.Context) (*session, error) {
	return g.openAt(ctx, "")
}

func (g *globals) openAt(_ context.Context, path string) (*session, error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, err
	}
	today, err := g.todayDate()
	if err != nil {
		return nil, err
	}
	// The calendars are read while the rule packs are parsed: the two are
	// most of a command's start before its first query.
	type calendars struct {
		cals map[domain.Division]*domain.Calendar
		err  error
	}
	calsc := make(chan calendars, 1)
	go func() {
		c, err := loadCalendars()
		calsc <- calendars{c, err}
	}()
	packs, cal, err := loadRules(cfg)
	loaded := <-calsc
	if err != nil {
		return nil, err
	}
	cals, err := loaded.cals, loaded.err
	if err != nil {
		return nil, err
	}
	jur, err := g.jurisdictionOf(cfg)
	if err != nil {
		return nil, err
	}
	if path == "" {
		if path, err = g.dbPath(cfg); err != nil {
			return nil, err
		}
	}
	user := g.userName(cfg)
	if g.shared != nil {
		// An SSH user's command: the server's file, as the key's owner.
		path, user = g.shared.path, g.shared.user
	}
	auth, err := authorityOf(cfg)
	if err != nil {
		return nil, err
	}
	centre, err := serviceCentreOptions(cfg)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(path, store.Options{Pack: packs[0], Packs: packs[1:], Calendar: cal, Calendars: cals, Urgency: cfg.Urgency,
		MailReplyDays: cfg.MailReplyDays, SnoozeOverdueMaxDays: cfg.SnoozeOverdueMaxDays, NoRecalc: g.skipRecalc, MustExist: !g.create, Queries: centre, Authority: auth,
		FilesDir: filesDir(cfg)})
	if err != nil {
		return nil, err
	}
	if n := recalcNotice(st.RecalcAtOpen()); n != "" {
		fmt.Fprintf(os.Stderr, "caseload: %s\n", n)
	}
	warnPermissions(path)
	return &session{store: st, today: today, user: user, cfg: cfg, path: path, jurisdiction: jur}, nil
}

// recalcNotice says that deadlines were recomputed at open because the
// rules changed ("" if nothing was): the CLI prints it, the UI shows it in
// its status bar.
func recalcNotice(r *store.RecalcResult) string {
	if r == nil || r.Cases == 0 {
		return ""
	}
	return fmt.Sprintf("the rules changed since the deadlines were stored: %d case(s) recomputed, %d change(s); caseload recalc --last lists them",
		r.Cases, r.Moved())
}

// warnPermissions says so when others can read the caseload: it holds
// personal data.
func warnPermissions(path string) {
	if store.IsURL(path) {
		return
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(os.Stderr, "caseload: warning: %s can be read by other users (mode %o); run: chmod 600 %s\n",
			path, fi.Mode().Perm(), path)
	}
}

// withSession opens the database for a command, runs it, and closes the
// database afterwards.
func (g *globals) withSession(run func(cmd *cobra.Command, args []string, s *session) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := g.open(cmd.Context())
		if err != nil {
			return err
		}
		defer s.store.Close()
		cmd.SetContext(store.InJurisdiction(cmd.Context(), s.jurisdiction))
		return run(cmd, args, s)
	}
}

// filesDir is the folder for attachments and letters: CASELOAD_FILES, else
// config.toml's files, else "" (beside an SQLite file; none on PostgreSQL).
func filesDir(cfg config) string {
	if d := os.Getenv("CASELOAD_FILES"); d != "" {
		return d
	}
	return cfg.Files
}
