package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
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
}

func (g *globals) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.db, "db", "", "database file (default $CASELOAD_DB, else $XDG_DATA_HOME/caseload/caseload.db)")
	f.StringVar(&g.today, "today", "", "treat this date as today, YYYY-MM-DD or DD/MM/YYYY (default $CASELOAD_TODAY, else the system date)")
	f.StringVar(&g.user, "user", "", "name recorded on every event (default $CASELOAD_USER, else $USER)")
	f.BoolVar(&g.plain, "plain", false, "screen-reader-friendly UI: no borders or spinners, state in words")
	f.BoolVar(&g.noColor, "no-color", false, "no colour (also when NO_COLOR is set)")
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
}

func (s *session) act() store.ActOptions { return store.ActOptions{User: s.user, On: s.today} }

// loadRules reads the rule pack and calendar, preferring the user's copies
// in the config directory over the built-in ones.
func loadRules(cfg config) (*domain.RulePack, *domain.Calendar, error) {
	id := "ftt-tax"
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
	divName := pack.Division
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
	return pack, cal, nil
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
	pack, cal, err := loadRules(cfg)
	if err != nil {
		return nil, err
	}
	if path == "" {
		path = g.dbPath(cfg)
	}
	st, err := store.Open(path, store.Options{Pack: pack, Calendar: cal, Urgency: cfg.Urgency})
	if err != nil {
		return nil, err
	}
	warnPermissions(path)
	return &session{store: st, today: today, user: g.userName(cfg), cfg: cfg, path: path}, nil
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
		return run(cmd, args, s)
	}
}
