package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	// Distribution gives new appeals to caseworkers as they arrive:
	// round-robin, least-loaded or off (team.go).
	Distribution string `toml:"distribution"`
	// LeaseMinutes is how long the appeal on a caseworker's queue card stays
	// reserved for them without a key press (serve; default 10).
	LeaseMinutes int `toml:"lease_minutes"`
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
	return c, nil
}

func (g *globals) dbPath(cfg config) string {
	switch {
	case g.db != "":
		return g.db
	case os.Getenv("CASELOAD_DB") != "":
		return os.Getenv("CASELOAD_DB")
	case cfg.Database != "":
		return cfg.Database
	}
	return filepath.Join(xdg.DataHome, "caseload", "caseload.db")
}

func (g *globals) todayDate() (domain.Date, error) {
	s := g.today
	if s == "" {
		s = os.Getenv("CASELOAD_TODAY")
	}
	if s == "" {
		return domain.DateOf(time.Now()), nil
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
	packs := []*domain.RulePack{}
	for _, id := range append([]string{def}, slices.DeleteFunc(domain.PackIDs(), func(s string) bool { return s == def })...) {
		var override []byte
		src := filepath.Join(configDir(), "rules", id+".toml")
		if b, err := os.ReadFile(src); err == nil {
			override = b
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
		pack, err := domain.LoadRulePack(id, override, src)
		if err != nil {
			return nil, nil, err
		}
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
	packs, cal, err := loadRules(cfg)
	if err != nil {
		return nil, err
	}
	jur, err := g.jurisdictionOf(cfg)
	if err != nil {
		return nil, err
	}
	if path == "" {
		path = g.dbPath(cfg)
	}
	user := g.userName(cfg)
	if g.shared != nil {
		// An SSH user's command: the server's file, as the key's owner.
		path, user = g.shared.path, g.shared.user
	}
	st, err := store.Open(path, store.Options{Pack: packs[0], Packs: packs[1:], Calendar: cal, Urgency: cfg.Urgency,
		MailReplyDays: cfg.MailReplyDays})
	if err != nil {
		return nil, err
	}
	warnPermissions(path)
	return &session{store: st, today: today, user: user, cfg: cfg, path: path, jurisdiction: jur}, nil
}

// warnPermissions says so when others can read the caseload: it holds
// personal data.
func warnPermissions(path string) {
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
