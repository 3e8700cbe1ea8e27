package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/ssh"

	"github.com/caseload/caseload/domain"
)

// User is a member of the team: a name recorded on events, a role, and
// the SSH keys that prove who they are.
type User struct {
	Name    string        `json:"name"`
	Role    domain.Role   `json:"role"`
	Added   time.Time     `json:"added"`
	AddedBy string        `json:"added_by"`
	Keys    []UserKeyInfo `json:"keys"`
}

// UserKeyInfo is one key of a user.
type UserKeyInfo struct {
	Fingerprint string `json:"fingerprint"`
	Type        string `json:"type"`
	Comment     string `json:"comment"`
}

// ErrNotPermitted marks a change the actor's role does not allow.
var ErrNotPermitted = errors.New("not permitted")

// ErrUnknownUser is returned for a key or name no user has.
var ErrUnknownUser = errors.New("no such user")

// refusal is a role's refusal, naming the item it concerned.
type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == ErrNotPermitted }

// ParseKey reads an authorized_keys line ("ssh-ed25519 AAAA… comment").
func ParseKey(line string) (ssh.PublicKey, string, error) {
	k, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(line)))
	if err != nil {
		return nil, "", fmt.Errorf("not an SSH public key (paste the whole line of id_ed25519.pub): %w", err)
	}
	return k, comment, nil
}

// validName: a user's name is what events show, so no control characters,
// spaces or commas.
func validName(name string) error {
	if name == "" {
		return errors.New("a user needs a name")
	}
	if len(name) > 64 {
		return fmt.Errorf("user name %q is longer than 64 characters", name)
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r)) {
			return fmt.Errorf("user name %q: use letters, digits and . _ - @ only", name)
		}
	}
	return nil
}

// actor is who is acting, as the role rules see them. With no users the
// caseload is one person's: team is false and everything is allowed.
type actor struct {
	team bool
	name string
	role domain.Role
}

func lookupActor(ctx context.Context, q querier, name string) (actor, error) {
	var role sql.NullString
	var team bool
	err := q.QueryRowContext(ctx, `SELECT (SELECT role FROM users WHERE name = ? AND removed IS NULL),
		EXISTS(SELECT 1 FROM users WHERE removed IS NULL)`, name).Scan(&role, &team)
	if err != nil {
		return actor{}, err
	}
	a := actor{team: team, name: name, role: domain.Role(role.String)}
	if team && !role.Valid {
		return a, refusal{fmt.Sprintf("%q is not a user of this caseload: a team leader adds users with `caseload user add`", name)}
	}
	return a, nil
}

// permit asks the role rules about a change in the caller's transaction;
// what names the item in the refusal.
func permit(ctx context.Context, q querier, user, what string, r domain.Request) error {
	a, err := lookupActor(ctx, q, user)
	if err != nil || !a.team {
		return err
	}
	if err := a.role.Permit(user, r); err != nil {
		if what != "" {
			return refusal{what + ": " + err.Error()}
		}
		return refusal{err.Error()}
	}
	return nil
}

// Team reports whether the caseload has users (a team), rather than being
// one person's file.
func (s *Store) Team(ctx context.Context) (bool, error) {
	var team bool
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM users WHERE removed IS NULL)").Scan(&team)
	return team, err
}

// Role is a user's role ("" with no users: one person's caseload).
func (s *Store) Role(ctx context.Context, name string) (domain.Role, error) {
	a, err := lookupActor(ctx, s.db, name)
	return a.role, err
}

// manageUsers: the first user must be a team leader (someone must be able
// to add the rest); after that only a team leader changes users.
func (s *Store) manageUsers(ctx context.Context, tx *sql.Tx, by string, firstRole domain.Role) error {
	a, err := lookupActor(ctx, tx, by)
	if !a.team {
		if firstRole != "" && firstRole != domain.TeamLeader {
			return refusal{"the first user must be a team leader (--role team-leader), who then adds the others"}
		}
		return nil
	}
	if err != nil {
		return refusal{fmt.Sprintf("only a team leader may manage users: run with --user NAME of a team leader (%q is not a user)", by)}
	}
	return permit(ctx, tx, by, "", domain.Request{Act: domain.ActManageUsers})
}

// AddUser adds a user with a role and (optionally) a first key. A removed
// user of the same name comes back with the new role.
func (s *Store) AddUser(ctx context.Context, name string, role domain.Role, key string, opt ActOptions) error {
	name = strings.TrimSpace(name)
	if err := validName(name); err != nil {
		return err
	}
	if _, err := domain.ParseRole(string(role)); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.manageUsers(ctx, tx, opt.User, role); err != nil {
			return err
		}
		var removed sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT removed FROM users WHERE name = ?", name).Scan(&removed)
		switch {
		case err == nil && !removed.Valid:
			return fmt.Errorf("%s is already a user", name)
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE users SET role = ?, removed = NULL, added = ?, added_by = ? WHERE name = ?",
				role, s.now().Format(time.RFC3339), opt.User, name)
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, "INSERT INTO users(name, role, added, added_by) VALUES (?,?,?,?)",
				name, role, s.now().Format(time.RFC3339), opt.User)
		}
		if err != nil {
			return err
		}
		if strings.TrimSpace(key) == "" {
			return nil
		}
		return s.addKey(ctx, tx, name, key)
	})
}

func (s *Store) addKey(ctx context.Context, tx *sql.Tx, name, line string) error {
	k, _, err := ParseKey(line)
	if err != nil {
		return err
	}
	fp := ssh.FingerprintSHA256(k)
	var holder string
	err = tx.QueryRowContext(ctx, "SELECT user FROM user_keys WHERE fingerprint = ?", fp).Scan(&holder)
	if err == nil {
		return fmt.Errorf("that key (%s) is already %s's", fp, holder)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO user_keys(fingerprint, user, key, added) VALUES (?,?,?,?)",
		fp, name, strings.TrimSpace(line), s.now().Format(time.RFC3339))
	return err
}

// AddKey gives a user another key.
func (s *Store) AddKey(ctx context.Context, name, key string, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.manageUsers(ctx, tx, opt.User, ""); err != nil {
			return err
		}
		if err := userExists(ctx, tx, name); err != nil {
			return err
		}
		return s.addKey(ctx, tx, name, key)
	})
}

// RemoveKey takes a key (the line, or its SHA256 fingerprint) from a user.
func (s *Store) RemoveKey(ctx context.Context, name, key string, opt ActOptions) error {
	fp := strings.TrimSpace(key)
	if !strings.HasPrefix(fp, "SHA256:") {
		k, _, err := ParseKey(key)
		if err != nil {
			return err
		}
		fp = ssh.FingerprintSHA256(k)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.manageUsers(ctx, tx, opt.User, ""); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM user_keys WHERE fingerprint = ? AND user = ?", fp, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s has no key %s", name, fp)
		}
		return nil
	})
}

// RemoveUser ends a user's access: their keys go, their name stays on
// every event they recorded. Someone who still owns work is refused, so
// nothing is left owned by nobody who can act on it.
func (s *Store) RemoveUser(ctx context.Context, name string, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.manageUsers(ctx, tx, opt.User, ""); err != nil {
			return err
		}
		if err := userExists(ctx, tx, name); err != nil {
			return err
		}
		var owned int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM cases WHERE owner = ? AND status NOT IN ('closed', 'returned'))
			+ (SELECT count(*) FROM mail WHERE owner = ? AND status = 'open')`, name, name).Scan(&owned); err != nil {
			return err
		}
		if owned > 0 {
			return fmt.Errorf("%s still owns %d open items: release or reassign them first (caseload assign)", name, owned)
		}
		var leaders int
		tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = ? AND removed IS NULL AND name != ?", domain.TeamLeader, name).Scan(&leaders)
		var others int
		tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE removed IS NULL AND name != ?", name).Scan(&others)
		if leaders == 0 && others > 0 {
			return fmt.Errorf("%s is the last team leader: make another team leader first", name)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM user_keys WHERE user = ?", name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE users SET removed = ? WHERE name = ?", s.now().Format(time.RFC3339), name)
		return err
	})
}

func userExists(ctx context.Context, q querier, name string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = ? AND removed IS NULL", name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", name, ErrUnknownUser)
	}
	return nil
}

// Users lists the team, by name, with their keys.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, role, added, added_by FROM users WHERE removed IS NULL ORDER BY name")
	if err != nil {
		return nil, err
	}
	var out []User
	for rows.Next() {
		var u User
		var added string
		if err := rows.Scan(&u.Name, &u.Role, &added, &u.AddedBy); err != nil {
			rows.Close()
			return nil, err
		}
		u.Added, _ = time.Parse(time.RFC3339, added)
		u.Keys = []UserKeyInfo{}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		keys, err := s.db.QueryContext(ctx, "SELECT fingerprint, key FROM user_keys WHERE user = ? ORDER BY added", out[i].Name)
		if err != nil {
			return nil, err
		}
		for keys.Next() {
			var fp, line string
			if err := keys.Scan(&fp, &line); err != nil {
				keys.Close()
				return nil, err
			}
			info := UserKeyInfo{Fingerprint: fp}
			if k, comment, err := ParseKey(line); err == nil {
				info.Type, info.Comment = k.Type(), comment
			}
			out[i].Keys = append(out[i].Keys, info)
		}
		keys.Close()
	}
	return out, nil
}

// UserByKey finds the user holding a public key; ErrUnknownUser if none.
func (s *Store) UserByKey(ctx context.Context, k ssh.PublicKey) (User, error) {
	var u User
	err := s.db.QueryRowContext(ctx, `SELECT u.name, u.role FROM user_keys k JOIN users u ON u.name = k.user
		WHERE k.fingerprint = ? AND u.removed IS NULL`, ssh.FingerprintSHA256(k)).Scan(&u.Name, &u.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrUnknownUser
	}
	return u, err
}

// SessionStarted records a session's start (append-only).
func (s *Store) SessionStarted(ctx context.Context, id, user, remote, command string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions(session, at, kind, user, remote, command) VALUES (?,?,?,?,?,?)",
			id, s.now().Format(time.RFC3339), "start", user, remote, command)
		return err
	})
}

// SessionEnded records a session's end and how long it lasted.
func (s *Store) SessionEnded(ctx context.Context, id, user, remote, command string, lasted time.Duration) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions(session, at, kind, user, remote, command, seconds) VALUES (?,?,?,?,?,?,?)",
			id, s.now().Format(time.RFC3339), "end", user, remote, command, int(lasted.Seconds()))
		return err
	})
}

// SessionRecord is one line of the session log.
type SessionRecord struct {
	Session string    `json:"session"`
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	User    string    `json:"user"`
	Remote  string    `json:"remote"`
	Command string    `json:"command"`
	Seconds *int      `json:"seconds,omitempty"`
}

// Sessions lists the latest session records, newest first.
func (s *Store) Sessions(ctx context.Context, limit int) ([]SessionRecord, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT session, at, kind, user, remote, command, seconds FROM sessions ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionRecord
	for rows.Next() {
		var r SessionRecord
		var at string
		var secs sql.NullInt64
		if err := rows.Scan(&r.Session, &at, &r.Kind, &r.User, &r.Remote, &r.Command, &secs); err != nil {
			return nil, err
		}
		r.At, _ = time.Parse(time.RFC3339, at)
		if secs.Valid {
			n := int(secs.Int64)
			r.Seconds = &n
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
