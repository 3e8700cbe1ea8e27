package domain

import (
	"strings"
	"testing"
)

func TestSupportCodes(t *testing.T) {
	// RA0001..RA0047, then PF0004, PF0015 and the assisted digital code.
	if len(SupportCodes) != 50 || SupportCodes[0].Code != "RA0001" || SupportCodes[46].Code != "RA0047" {
		t.Fatalf("%d codes, first %s, 47th %s", len(SupportCodes), SupportCodes[0].Code, SupportCodes[46].Code)
	}
	for in, want := range map[string]string{"ra0042": "RA0042", "sign-language": "RA0042", "hearing-loop": "RA0043",
		"interpreter": "PF0015", "PF0004": "PF0004", "assisted-digital": AssistedDigital} {
		c, err := LookupSupportCode(in)
		if err != nil || c.Code != want {
			t.Errorf("%q: %v %v, want %s", in, c, err, want)
		}
	}
	if c, _ := LookupSupportCode("RA0042"); !strings.Contains(c.Label, "Sign language") {
		t.Errorf("RA0042 is %q", c.Label)
	}
	if _, err := LookupSupportCode("RA0048"); err == nil {
		t.Error("RA0048 accepted")
	}
}

func TestSupportLifecycle(t *testing.T) {
	cases := []struct {
		from, to SupportStatus
		ok       bool
	}{
		{SupportRequested, SupportActive, true},
		{SupportRequested, SupportNotApproved, true},
		{SupportRequested, SupportInactive, false},
		{SupportActive, SupportInactive, true},
		{SupportActive, SupportNotApproved, false},
		{SupportInactive, SupportActive, true},
		{SupportNotApproved, SupportActive, false},
		{SupportNotApproved, SupportRequested, true},
	}
	for _, c := range cases {
		if err := CheckSupportMove(c.from, c.to); (err == nil) != c.ok {
			t.Errorf("%s -> %s: %v, want ok=%v", c.from, c.to, err, c.ok)
		}
	}
}

func TestFeeTables(t *testing.T) {
	jr, err := LoadFeeTable("admin-court-jr", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	f, err := jr.Lookup("1.9(a)")
	if err != nil || f.AmountPence != 15400 || !strings.Contains(f.Order, "Civil Proceedings Fees Order 2008") || f.Confidence != "U" {
		t.Errorf("1.9(a): %+v %v", f, err)
	}
	tax, err := LoadFeeTable("ftt-tax", nil, "")
	if err != nil || len(tax.Fees) != 0 {
		t.Errorf("ftt-tax: %+v %v", tax, err)
	}
	if _, err := tax.Lookup("anything"); err == nil {
		t.Error("a fee found in an empty table")
	}
	if _, err := LoadFeeTable("ut-iac-jr", nil, ""); err != nil {
		t.Error(err)
	}
	office := []byte("pack = \"admin-court-jr\"\n[[fee]]\ncode = \"1.9(a)\"\napplication = \"Permission\"\namount = \"£178\"\norder = \"SI 2025/351\"\norder_date = \"2025-04-08\"\nconfidence = \"P\"\n")
	o, err := LoadFeeTable("admin-court-jr", office, "fees/admin-court-jr.toml")
	if err != nil || len(o.Fees) != 1 || o.Fees[0].AmountPence != 17800 {
		t.Errorf("office table: %+v %v", o, err)
	}
	for name, bad := range map[string]string{
		"amount":     "pack = \"admin-court-jr\"\n[[fee]]\ncode = \"x\"\namount = \"lots\"\norder = \"o\"\norder_date = \"2025-04-08\"\nconfidence = \"P\"\n",
		"order":      "pack = \"admin-court-jr\"\n[[fee]]\ncode = \"x\"\namount = \"£1\"\norder_date = \"2025-04-08\"\nconfidence = \"P\"\n",
		"confidence": "pack = \"admin-court-jr\"\n[[fee]]\ncode = \"x\"\namount = \"£1\"\norder = \"o\"\norder_date = \"2025-04-08\"\n",
		"unknown":    "pack = \"admin-court-jr\"\nprice = 3\n",
		"pack":       "pack = \"ftt-tax\"\n",
	} {
		if _, err := LoadFeeTable("admin-court-jr", []byte(bad), "f.toml"); err == nil || !strings.Contains(err.Error(), "f.toml") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBalanceAndRemission(t *testing.T) {
	cases := []struct {
		fee  int64
		rem  *Remission
		paid int64
		want int64
	}{
		{15400, nil, 0, 15400},
		{15400, nil, 15400, 0},
		{15400, nil, 10000, 5400},
		{15400, nil, 20000, -4600},
		{15400, &Remission{Reference: "HWF-A1B-2C3", Full: true}, 0, 0},
		{15400, &Remission{Reference: "HWF-A1B-2C3", Pence: 10000}, 5400, 0},
		{15400, &Remission{Reference: "HWF-A1B-2C3", Pence: 10000}, 0, 5400},
	}
	for _, c := range cases {
		if got := Balance(c.fee, c.rem, c.paid); got != c.want {
			t.Errorf("Balance(%d, %+v, %d) = %d, want %d", c.fee, c.rem, c.paid, got, c.want)
		}
	}
	if ValidateRemission(Remission{Reference: ""}, 15400) == nil || ValidateRemission(Remission{Reference: "HWF-1", Pence: 15400}, 15400) == nil {
		t.Error("bad remission accepted")
	}
	if err := ValidateRemission(Remission{Reference: "HWF-1", Pence: 5000}, 15400); err != nil {
		t.Error(err)
	}
}

func TestKnowledgeBase(t *testing.T) {
	kb := MustKnowledgeBase()
	if len(kb.Articles()) < 6 {
		t.Fatalf("%d built-in articles", len(kb.Articles()))
	}
	jurs := map[string]bool{}
	for _, a := range kb.Articles() {
		jurs[a.Jurisdiction] = true
	}
	for _, j := range []string{"ftt-tax", "admin-court-jr", "ut-iac-jr"} {
		if !jurs[j] {
			t.Errorf("no starter article for %s", j)
		}
	}
	// "late perm" finds the late appeal article by a whole word and a prefix.
	got := kb.Search("late perm", "", "", 5)
	if len(got) == 0 || got[0].ID != "ftt-tax-late-appeal" {
		t.Errorf("late perm: %v", ids(got))
	}
	if len(got[0].Questions) != 3 {
		t.Errorf("qualifying questions: %q", got[0].Questions)
	}
	// Limited to a jurisdiction, another pack's articles drop out but general ones stay.
	for _, a := range kb.Search("complaint", "ut-iac-jr", "", 10) {
		if a.Jurisdiction != "" && a.Jurisdiction != "ut-iac-jr" {
			t.Errorf("%s shown for ut-iac-jr", a.ID)
		}
	}
	if got := kb.Search("fee", "ftt-tax", "", 10); len(got) != 0 {
		t.Errorf("fee in ftt-tax: %v", ids(got))
	}
	if got := kb.Search("zzzz", "", "", 10); len(got) != 0 {
		t.Errorf("zzzz: %v", ids(got))
	}
	// An office article replaces a built-in one of the same name and adds its own.
	office := map[string][]byte{
		"complaints.md": []byte("---\ntitle: Our complaints\ntopic: complaint\n---\nCall the manager.\n"),
		"parking.md":    []byte("---\ntitle: Parking at the centre\ntopic: other\nquestions:\n- Is it a blue badge?\n---\nNo parking on site.\n"),
	}
	okb, err := LoadKnowledgeBase(DefaultTaxonomy(), office, "/kb")
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := okb.Article("complaints"); a.Title != "Our complaints" || a.Source != "/kb/complaints.md" {
		t.Errorf("office article: %+v", a)
	}
	if got := okb.Search("park", "", "", 3); len(got) != 1 || got[0].Questions[0] != "Is it a blue badge?" {
		t.Errorf("park: %v", got)
	}
}

func TestParseArticleErrors(t *testing.T) {
	for name, text := range map[string]string{
		"no front matter": "# Title\n",
		"unclosed":        "---\ntitle: x\ntopic: other\n",
		"unknown key":     "---\ntitle: x\ncolour: red\ntopic: other\n---\n",
		"no title":        "---\ntopic: other\n---\n",
		"stray item":      "---\ntitle: x\n- what?\ntopic: other\n---\n",
	} {
		if _, err := ParseArticle("a", "kb/a.md", []byte(text)); err == nil || !strings.Contains(err.Error(), "kb/a.md") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A line number is given where there is one.
	_, err := ParseArticle("a", "kb/a.md", []byte("---\ntitle: x\ncolour: red\n---\n"))
	if err == nil || !strings.Contains(err.Error(), "kb/a.md:3") {
		t.Errorf("line: %v", err)
	}
	_, err = LoadKnowledgeBase(DefaultTaxonomy(), map[string][]byte{"x.md": []byte("---\ntitle: x\ntopic: weather\n---\n")}, "/kb")
	if err == nil || !strings.Contains(err.Error(), "/kb/x.md") {
		t.Errorf("bad topic: %v", err)
	}
}

func TestTaxonomyMatch(t *testing.T) {
	tax := DefaultTaxonomy()
	if got := tax.Match("fe"); len(got) != 1 || got[0].Slug != "fees" {
		t.Errorf("fe: %v", got)
	}
	if got := tax.Match("hear"); len(got) != 1 || got[0].Slug != "hearing" {
		t.Errorf("hear: %v", got)
	}
	if len(tax.Match("")) != len(tax) {
		t.Error("empty match")
	}
}

func ids(as []Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestTaxonomyExtend(t *testing.T) {
	tax, err := DefaultTaxonomy().Extend([]Topic{{Slug: "parking", Label: "Parking and access"}})
	if err != nil || !tax.Has("parking") || tax.Label("parking") != "Parking and access" || len(tax) != len(DefaultTaxonomy())+1 {
		t.Errorf("extend: %v %v", tax, err)
	}
	for _, bad := range []Topic{{Slug: ""}, {Slug: "Parking"}, {Slug: "fees"}, {Slug: "a b"}} {
		if _, err := DefaultTaxonomy().Extend([]Topic{bad}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
