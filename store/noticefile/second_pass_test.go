package noticefile

import (
	"strings"
	"testing"
)

// Issue 22 (smaller): JSON import follows the CSV rules.
func TestJSONFollowsTheCSVRules(t *testing.T) {
	for name, c := range map[string]struct{ json, want string }{
		"duplicate key":  {`[{"received":"2026-11-02","appellant":"A","appellant":"B","subject":"vat"}]`, "n.json:1: appellant: given twice"},
		"duplicate case": {`[{"received":"2026-11-02","appellant":"A","Appellant ":"B","subject":"vat"}]`, "appellant: given twice"},
		"pence cap":      {`[{"received":"2026-11-02","appellant":"A","subject":"vat","amount_pence":1000000000000000}]`, "amount_pence: 1000000000000000 is too large"},
		"both amounts":   {`[{"received":"2026-11-02","appellant":"A","subject":"vat","amount":"12.00","amount_pence":1200}]`, "amount_pence: give amount or amount_pence, not both"},
	} {
		rows, probs := Parse("n.json", strings.NewReader(c.json))
		if len(rows) != 0 || len(probs) == 0 || !strings.Contains(probs[0].Error(), c.want) {
			t.Errorf("%s: %d rows, %v; want %q", name, len(rows), probs, c.want)
		}
	}
	if rows, probs := Parse("n.json", strings.NewReader(`[{"received":"2026-11-02","appellant":"A","subject":"vat","amount_pence":99999999999999}]`)); len(rows) != 1 || len(probs) != 0 {
		t.Errorf("largest amount_pence refused: %v", probs)
	}
}
