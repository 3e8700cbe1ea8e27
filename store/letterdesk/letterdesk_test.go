package letterdesk

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

var today = domain.MustDate("2026-11-16")

// savesAs is a store that saves as someone else, as a team server's
// session store does: the desk must save through its Store, not around it.
type savesAs struct {
	*store.Store
	user  string
	saves int
}

func (s *savesAs) SaveLetter(ctx context.Context, ref string, l store.NewLetter, opt store.ActOptions) (store.Letter, error) {
	s.saves++
	opt.User = s.user
	return s.Store.SaveLetter(ctx, ref, l, opt)
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := filepath.Join(dir, "n.csv")
	os.WriteFile(f, []byte("reference,received,decision_date,appellant,subject,amount,appellant_address\n"+
		"TC/2026/06001,2026-11-09,2026-10-30,Zoë Person,vat,100,\"1 Mill Lane, Leeds LS1 1AA\"\n"+
		"TC/2026/06002,2026-11-10,2026-10-30,No Address Ltd,vat,100,\n"), 0o600)
	if _, err := s.Import(context.Background(), []string{f}, store.ImportOptions{ActOptions: store.ActOptions{User: "import", On: today}}); err != nil {
		t.Fatal(err)
	}
	return s
}

// Drafting records nothing; saving records correspondence out through the
// desk's store (as that store's user); a correction names the letter it
// replaces; a draft to a party with no address is refused on save.
func TestDraftSaveThroughTheStore(t *testing.T) {
	s := openStore(t)
	all, err := domain.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	st := &savesAs{Store: s, user: "alice"}
	d := &Desk{Store: st, Templates: all, Office: domain.LetterOffice{Name: "First-tier Tribunal (Tax Chamber)"}, User: "ignored", Today: today}
	ctx := context.Background()
	// A reference typed in lower case is the case's own.
	dr, err := d.Draft(ctx, Request{Ref: "tc/2026/06001", Template: "acknowledgement"})
	if err != nil {
		t.Fatal(err)
	}
	if dr.Ref != "TC/2026/06001" || dr.To != "appellant" || dr.Channel != "letter" || dr.NoAddress != nil {
		t.Fatalf("draft: %+v", dr.Request)
	}
	if ls, _ := d.Letters(ctx, "TC/2026/06001"); len(ls) != 0 {
		t.Fatal("drafting recorded a letter")
	}
	l, err := d.Save(ctx, dr)
	if err != nil {
		t.Fatal(err)
	}
	if st.saves != 1 || l.User != "alice" || l.Template != "ftt-tax/acknowledgement" {
		t.Errorf("saved %+v through the store %d times", l, st.saves)
	}
	text, err := d.Reopen(l)
	if err != nil || !strings.Contains(text, "Dear Zoë Person,") {
		t.Errorf("reopened: %v\n%s", err, text)
	}
	fix, err := d.Draft(ctx, Request{Ref: "TC/2026/06001", Template: "ftt-tax/acknowledgement", Replaces: l.ID})
	if err != nil {
		t.Fatal(err)
	}
	if fix.Case.Replaces == nil || fix.Case.Replaces.ID != l.ID {
		t.Errorf("correction: %+v", fix.Case.Replaces)
	}

	bad, err := d.Draft(ctx, Request{Ref: "TC/2026/06002", Template: "acknowledgement"})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(bad.NoAddress, domain.ErrNoAddress) {
		t.Fatalf("no warning: %v", bad.NoAddress)
	}
	if _, err := d.Save(ctx, bad); !errors.Is(err, domain.ErrNoAddress) || st.saves != 1 {
		t.Errorf("saved without an address: %v (%d saves)", err, st.saves)
	}
	if _, err := d.Draft(ctx, Request{Ref: "TC/2026/06001", Template: "acknowledgement", Direction: 999}); err == nil ||
		!strings.Contains(err.Error(), "TC/2026/06001 has no direction 999") {
		t.Errorf("unknown direction: %v", err)
	}
	if _, err := d.Draft(ctx, Request{Ref: "TC/2026/06001", Template: "no-such-template"}); err == nil || !strings.Contains(err.Error(), "TC/2026/06001") {
		t.Errorf("unknown template: %v", err)
	}
}
