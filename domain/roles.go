package domain

import (
	"fmt"
	"strings"
)

// Role is what a member of a team may do on a shared caseload. A caseload
// with no users (one person on one file) has no roles: everything is
// allowed, as before teams existed.
type Role string

// The roles of a team, after HMCTS Work Allocation.
const (
	Caseworker Role = "caseworker"  // works cases: their own and the available (unowned) ones
	TeamLeader Role = "team-leader" // assigns and reassigns, sees everyone's work and the workload report
	Judge      Role = "judge"       // reads, answers referrals, gives directions
	Registrar  Role = "registrar"   // as a judge, for the matters delegated to registrars
	ReadOnly   Role = "read-only"   // sees, changes nothing
)

// Roles in the order help lists them.
var Roles = []Role{Caseworker, TeamLeader, Judge, Registrar, ReadOnly}

// ParseRole reads a role name (case and spaces ignored; "leader" for team-leader).
func ParseRole(s string) (Role, error) {
	r := Role(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	switch r {
	case "leader", "teamleader":
		r = TeamLeader
	case "readonly", "viewer":
		r = ReadOnly
	}
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	names := make([]string, len(Roles))
	for i, k := range Roles {
		names[i] = string(k)
	}
	return "", fmt.Errorf("role %q is not one of %s", s, strings.Join(names, ", "))
}

// Ownership event kinds: who holds a case is on its timeline like any step.
const (
	EventTaken      = "taken"      // claimed by a caseworker from the available work
	EventReleased   = "released"   // given back to the available work
	EventAssigned   = "assigned"   // given to a caseworker by a team leader (or by distribution)
	EventReassigned = "reassigned" // moved from one owner to another
)

// Act is a kind of change a role may or may not make.
type Act int

// The acts the store asks about before it writes.
const (
	ActCasework    Act = iota // an event on a case (Request.Event names its kind)
	ActImport                 // notices and mail brought in
	ActTake                   // claim an available item for oneself
	ActRelease                // give an item back
	ActAssign                 // give an item to someone (Request.To)
	ActMail                   // reply to, link or file a message
	ActInbox                  // snooze or dismiss an inbox item
	ActManageUsers            // add or remove users and keys
	ActQuery                  // record or move on a caller's query
)

// Request is one change asked of the store, as the role rules see it.
type Request struct {
	Act   Act
	Event string // ActCasework: the event kind
	Owner string // the item's owner now ("" for available work)
	To    string // ActAssign: the new owner
}

// judicialEvents are what a judge or registrar records: answers to
// referrals, directions, and notes.
var judicialEvents = map[string]bool{EventReferralAnswered: true, EventDirection: true, EventNote: true}

// Permit says whether user, holding role r, may make the change; the error
// is the sentence the caseworker reads.
func (r Role) Permit(user string, q Request) error {
	ownedByOther := q.Owner != "" && !strings.EqualFold(q.Owner, user)
	switch r {
	case TeamLeader:
		return nil
	case ReadOnly:
		return fmt.Errorf("%s is read-only: they can see the caseload but change nothing", user)
	case Judge, Registrar:
		if q.Act == ActCasework && judicialEvents[q.Event] {
			return nil
		}
		return fmt.Errorf("%s is a %s: they may answer referrals, give directions and add notes, not %s", user, r, describeAct(q))
	case Caseworker:
		switch q.Act {
		case ActManageUsers:
			return fmt.Errorf("%s is a caseworker: only a team leader may manage users", user)
		case ActAssign:
			if !strings.EqualFold(q.To, user) || ownedByOther {
				return fmt.Errorf("%s is a caseworker: only a team leader may assign work to others", user)
			}
			return nil
		case ActTake:
			if ownedByOther {
				return fmt.Errorf("already taken by %s", q.Owner)
			}
			return nil
		case ActImport:
			return nil
		}
		if ownedByOther {
			return fmt.Errorf("owned by %s: a caseworker works their own and available items (a team leader can reassign it)", q.Owner)
		}
		return nil
	}
	return fmt.Errorf("%s has no known role (%q): ask a team leader", user, r)
}

func describeAct(q Request) string {
	switch q.Act {
	case ActCasework:
		return "record " + strings.ReplaceAll(q.Event, "-", " ")
	case ActImport:
		return "import"
	case ActTake:
		return "take work"
	case ActRelease:
		return "release work"
	case ActAssign:
		return "assign work"
	case ActMail:
		return "deal with mail"
	case ActInbox:
		return "snooze or dismiss inbox items"
	case ActManageUsers:
		return "manage users"
	case ActQuery:
		return "deal with callers' queries"
	}
	return "make this change"
}
