package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryCommands(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var q struct {
		ID        int64  `json:"id"`
		Status    string `json:"status"`
		Due       string `json:"due"`
		Reference string `json:"reference"`
		First     bool   `json:"first_contact_resolution"`
		Contact   struct {
			ID int64 `json:"id"`
		} `json:"contact"`
	}
	c.json(&q, "query", "add", "--channel", "phone", "--name", "Margaret Okafor", "--role", "appellant", "--phone", "07700 900123",
		"--case", "TC/2026/04101", "--topic", "progress", "--json", "asked", "what", "happens", "next")
	// Phone, 2 working days from Mon 16 Nov 2026: Wed 18 Nov.
	if q.ID != 1 || q.Status != "open" || q.Due != "2026-11-18" || q.Reference != "TC/2026/04101" {
		t.Errorf("add: %+v", q)
	}
	// The same number again: offered, exit 2, nothing saved.
	_, errOut, code := c.run("query", "add", "--name", "M Okafor", "--phone", "+44 7700 900123", "--topic", "hearing", "hearing?")
	if code != 2 || !strings.Contains(errOut, "contact 1: Margaret Okafor") {
		t.Errorf("match: exit %d %s", code, errOut)
	}
	var list []map[string]any
	c.json(&list, "query", "list", "--json")
	if len(list) != 1 {
		t.Errorf("%d open queries after a refused match", len(list))
	}
	c.json(&q, "query", "add", "--contact", "1", "--topic", "hearing", "--json", "--resolve", "gave the hearing date", "hearing", "date")
	if !q.First || q.Status != "resolved" || q.Contact.ID != 1 {
		t.Errorf("first contact: %+v", q)
	}
	if _, errOut, code := c.run("query", "resolve", "1", "explained", "the", "next", "step"); code != 0 {
		t.Errorf("resolve: %d %s", code, errOut)
	}
	var show struct {
		Resolution string `json:"resolution"`
		History    []any  `json:"history"`
	}
	c.json(&show, "query", "show", "1", "--json")
	if show.Resolution != "explained the next step" || len(show.History) != 2 {
		t.Errorf("show: %+v", show)
	}
	out, _, _ := c.run("show", "TC/2026/04101")
	if !strings.Contains(out, "query 1") {
		t.Errorf("the query is not on the case timeline:\n%s", out)
	}
	var articles []struct {
		ID        string   `json:"id"`
		Questions []string `json:"qualifying_questions"`
	}
	c.json(&articles, "kb", "search", "late", "perm", "--json")
	if len(articles) == 0 || articles[0].ID != "ftt-tax-late-appeal" || len(articles[0].Questions) == 0 {
		t.Errorf("kb search: %+v", articles)
	}
	var hist struct {
		History []map[string]any `json:"history"`
	}
	c.json(&hist, "contact", "show", "1", "--json")
	if len(hist.History) != 2 {
		t.Errorf("contact history %+v", hist)
	}
}

func TestOfficeKnowledgeBaseAndFeeTable(t *testing.T) {
	c := newCLI(t)
	// Only import, demo and generate create a database (issue 22): the fee
	// table is read through one.
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatal(errOut)
	}
	cfg := os.Getenv("XDG_CONFIG_HOME")
	os.MkdirAll(filepath.Join(cfg, "caseload", "kb"), 0o700)
	os.MkdirAll(filepath.Join(cfg, "caseload", "fees"), 0o700)
	os.WriteFile(filepath.Join(cfg, "caseload", "kb", "parking.md"),
		[]byte("---\ntitle: Parking at the centre\ntopic: other\nquestions:\n- Blue badge?\n---\nNo parking on site.\n"), 0o600)
	os.WriteFile(filepath.Join(cfg, "caseload", "fees", "admin-court-jr.toml"),
		[]byte("pack = \"admin-court-jr\"\n[[fee]]\ncode = \"1.9(a)\"\napplication = \"Permission\"\namount = \"£178\"\norder = \"office table\"\norder_date = \"2025-04-08\"\nconfidence = \"P\"\n"), 0o600)
	var as []struct {
		ID string `json:"id"`
	}
	c.json(&as, "kb", "search", "park", "--json")
	if len(as) != 1 || as[0].ID != "parking" {
		t.Errorf("office article: %+v", as)
	}
	var tables []struct {
		Pack string `json:"pack"`
		Fees []struct {
			AmountPence int64 `json:"amount_pence"`
		} `json:"fees"`
	}
	c.json(&tables, "fee", "table", "admin-court-jr", "--json")
	if len(tables) != 1 || len(tables[0].Fees) != 1 || tables[0].Fees[0].AmountPence != 17800 {
		t.Errorf("office fee table: %+v", tables)
	}
	if _, errOut, code := c.run("import", "../../testdata/jr.csv"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	var queue []struct {
		Reference string `json:"reference"`
	}
	c.json(&queue, "queue", "--json")
	var ac string
	for _, r := range queue {
		if strings.HasPrefix(r.Reference, "AC-") {
			ac = r.Reference
			break
		}
	}
	var fee struct {
		ID      int64 `json:"id"`
		Balance int64 `json:"balance_pence"`
	}
	c.json(&fee, "fee", "add", ac, "1.9(a)", "--json")
	if fee.Balance != 17800 {
		t.Errorf("fee from the office table: %+v", fee)
	}
	var pay struct {
		ID    int64 `json:"id"`
		FeeID int64 `json:"fee_id"`
	}
	c.json(&pay, "payment", "add", "--amount", "£100", "--reference", "CARD-9", "--method", "card", "--fee", "1", "--json")
	if pay.FeeID != 1 {
		t.Errorf("payment %+v", pay)
	}
	var unpaid []struct {
		Balance int64 `json:"balance_pence"`
	}
	c.json(&unpaid, "fee", "list", "--unpaid", "--json")
	if len(unpaid) != 1 || unpaid[0].Balance != 7800 {
		t.Errorf("under-paid: %+v", unpaid)
	}
	// A bad service level in config.toml is refused, naming the file.
	os.WriteFile(filepath.Join(cfg, "caseload", "config.toml"), []byte("[queries.by_channel]\nfax = 3\n"), 0o600)
	if _, errOut, code := c.run("query", "list"); code == 0 || !strings.Contains(errOut, "config.toml") {
		t.Errorf("bad config: exit %d %s", code, errOut)
	}
}

func TestOfficeTopics(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatal(errOut)
	}
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload")
	os.MkdirAll(filepath.Join(cfg, "kb"), 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("[[topics]]\nslug = \"parking\"\nlabel = \"Parking and access\"\n"), 0o600)
	os.WriteFile(filepath.Join(cfg, "kb", "parking.md"), []byte("---\ntitle: Parking\ntopic: parking\n---\nNone on site.\n"), 0o600)
	var topics []struct {
		Slug string `json:"slug"`
	}
	c.json(&topics, "kb", "topics", "--json")
	if topics[len(topics)-1].Slug != "parking" {
		t.Errorf("topics %+v", topics)
	}
	var q struct {
		Topic string `json:"topic"`
	}
	c.json(&q, "query", "add", "--name", "Visitor", "--channel", "in-person", "--topic", "parking", "--json", "where to park")
	if q.Topic != "parking" {
		t.Errorf("query %+v", q)
	}
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("[[topics]]\nslug = \"fees\"\n"), 0o600)
	if _, errOut, code := c.run("kb", "topics"); code == 0 || !strings.Contains(errOut, "already a topic") {
		t.Errorf("a repeated topic: exit %d %s", code, errOut)
	}
}
