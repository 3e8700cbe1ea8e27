package keys

import (
	"testing"

	"charm.land/bubbles/v2/key"
)

type press string

func (p press) String() string { return string(p) }

func TestApplyRebinds(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Apply(map[string][]string{"accept": {"y"}, "page_down": {"J"}}); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(press("y"), k.Accept) || key.Matches(press("a"), k.Accept) || !key.Matches(press("J"), k.PageDown) {
		t.Error("rebinding did not take")
	}
	if err := k.Apply(map[string][]string{"acept": {"y"}}); err == nil {
		t.Error("an unknown action was accepted")
	}
}
