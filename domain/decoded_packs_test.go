package domain

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// decodedFromTOML is every built-in pack decoded from its TOML, as
// decoded-packs.json must hold it.
func decodedFromTOML(t *testing.T) []byte {
	t.Helper()
	m := map[string]*RulePack{}
	for _, id := range PackIDs() {
		text, err := EmbeddedPack(id)
		if err != nil {
			t.Fatal(err)
		}
		var p RulePack
		if err := decodeRulePackTOML(text, "embedded", &p); err != nil {
			t.Fatal(err)
		}
		m[id] = &p
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// The JSON twin is what the built-in packs are loaded from: it must be the
// TOML exactly, so that a pack edited without regenerating it fails here
// rather than counting deadlines from the old rules.
func TestDecodedPacksMatchTheTOML(t *testing.T) {
	want := decodedFromTOML(t)
	if *updateGolden {
		if err := os.WriteFile("decoded-packs.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(decodedPacks, want) {
		t.Fatal("decoded-packs.json differs from rules/*.toml: run go test ./domain/ -run TestDecodedPacksMatchTheTOML -update")
	}
}

// Loading a pack from the JSON twin gives the same pack, field for field
// and fingerprint for fingerprint, as decoding its TOML: JSON must not
// lose or change anything the TOML decoder sets (nil against empty lists,
// pointers, dates).
func TestPackFromJSONIsThePackFromTOML(t *testing.T) {
	for _, id := range PackIDs() {
		fromJSON, err := LoadRulePack(id, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		text, _ := EmbeddedPack(id)
		// An override with the built-in text takes the TOML path.
		fromTOML, err := LoadRulePack(id, text, "embedded")
		if err != nil {
			t.Fatal(err)
		}
		if fromJSON.Source != "embedded" {
			t.Errorf("%s: source %q, want embedded", id, fromJSON.Source)
		}
		if fromJSON.Fingerprint() != fromTOML.Fingerprint() {
			t.Errorf("%s: fingerprint %s from JSON, %s from TOML", id, fromJSON.Fingerprint(), fromTOML.Fingerprint())
		}
		if fromJSON.refRE.String() != fromTOML.refRE.String() {
			t.Errorf("%s: reference pattern %s from JSON, %s from TOML", id, fromJSON.refRE, fromTOML.refRE)
		}
		a, b := *fromJSON, *fromTOML
		a.refRE, b.refRE = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the pack from JSON differs from the pack from TOML:\n%+v\n%+v", id, a, b)
		}
	}
}

// The cut that finds a pack in the JSON twin without decoding it gives
// each pack's value exactly, as decoding the file into its parts does.
func TestDecodedPackJSONIsThePacksValue(t *testing.T) {
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(decodedPacks, &parts); err != nil {
		t.Fatal(err)
	}
	if len(parts) != len(PackIDs()) {
		t.Fatalf("decoded-packs.json holds %d packs, there are %d", len(parts), len(PackIDs()))
	}
	for _, id := range PackIDs() {
		got, ok := decodedPackJSON(id)
		if !ok || !bytes.Equal(got, parts[id]) {
			t.Errorf("%s: the cut is %d bytes (found %v), the value %d", id, len(got), ok, len(parts[id]))
		}
	}
	if _, ok := decodedPackJSON("no-such-pack"); ok {
		t.Error("a pack that is not in the file was found")
	}
}
