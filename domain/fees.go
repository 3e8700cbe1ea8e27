package domain

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed fees/*.toml
var feeFiles embed.FS

// Fee is one entry of a pack's fee table: what an application costs and
// the statutory instrument that says so. Amounts change by statutory
// instrument, so the table is a cited setting, never code.
type Fee struct {
	Code        string `json:"code" toml:"code"`
	Application string `json:"application" toml:"application"`
	AmountText  string `json:"-" toml:"amount"`
	AmountPence int64  `json:"amount_pence" toml:"-"`
	Order       string `json:"order" toml:"order"`
	OrderDate   string `json:"order_date" toml:"order_date"`
	// Confidence is P, S or U as in DOMAIN.md: U means the amount is a
	// default to check, not a confirmed current fee.
	Confidence string `json:"confidence" toml:"confidence"`
	// Step is the event on a case that makes the fee due.
	Step string `json:"step,omitempty" toml:"step"`
}

// FeeTable is a pack's fees.
type FeeTable struct {
	Pack string `json:"pack" toml:"pack"`
	Fees []Fee  `json:"fees" toml:"fee"`
	// Source is where the table was read from.
	Source string `json:"source" toml:"-"`
}

// LoadFeeTable reads a pack's fee table: the built-in one, or override
// (the office's file, named src in errors) in its place.
func LoadFeeTable(pack string, override []byte, src string) (*FeeTable, error) {
	b := override
	if b == nil {
		var err error
		if b, err = feeFiles.ReadFile("fees/" + pack + ".toml"); err != nil {
			return &FeeTable{Pack: pack, Source: "built-in (none)"}, nil
		}
		src = "built-in fees/" + pack + ".toml"
	}
	var t FeeTable
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %s", src, und[0])
	}
	t.Source = src
	if t.Pack != pack {
		return nil, fmt.Errorf("%s: pack = %q, want %q", src, t.Pack, pack)
	}
	seen := map[string]bool{}
	for i := range t.Fees {
		f := &t.Fees[i]
		where := fmt.Sprintf("%s: fee %d", src, i+1)
		if f.Code == "" || seen[f.Code] {
			return nil, fmt.Errorf("%s: code is missing or repeated", where)
		}
		seen[f.Code] = true
		p, ok, err := ParseAmount(f.AmountText)
		if err != nil || !ok {
			return nil, fmt.Errorf("%s (%s): amount: %q is not an amount", where, f.Code, f.AmountText)
		}
		f.AmountPence = p
		if strings.TrimSpace(f.Order) == "" {
			return nil, fmt.Errorf("%s (%s): order: cite the fees order the amount comes from", where, f.Code)
		}
		if _, err := ParseDate(f.OrderDate); err != nil {
			return nil, fmt.Errorf("%s (%s): order_date: %w", where, f.Code, err)
		}
		if !slices.Contains([]string{"P", "S", "U"}, f.Confidence) {
			return nil, fmt.Errorf("%s (%s): confidence: use P, S or U", where, f.Code)
		}
	}
	return &t, nil
}

// Lookup finds a fee by code.
func (t *FeeTable) Lookup(code string) (Fee, error) {
	for _, f := range t.Fees {
		if strings.EqualFold(f.Code, strings.TrimSpace(code)) {
			return f, nil
		}
	}
	if len(t.Fees) == 0 {
		return Fee{}, fmt.Errorf("fee: the %s fee table has no fees (%s)", t.Pack, t.Source)
	}
	var codes []string
	for _, f := range t.Fees {
		codes = append(codes, f.Code)
	}
	return Fee{}, fmt.Errorf("fee: %q is not in the %s fee table (use %s)", clip(code), t.Pack, strings.Join(codes, ", "))
}

// Remission is help with fees: a full or part remission under the
// Courts and Tribunals Fee Remissions scheme (the Schedule inserted into
// each fees order by SI 2013/2302) [P].
type Remission struct {
	Reference string `json:"reference"` // the HWF reference, e.g. HWF-A1B-2C3
	Full      bool   `json:"full"`
	// Pence is the amount remitted for a part remission.
	Pence int64 `json:"pence,omitempty"`
}

// ValidateRemission checks a remission against the fee it applies to.
func ValidateRemission(r Remission, feePence int64) error {
	if strings.TrimSpace(r.Reference) == "" {
		return fmt.Errorf("reference: give the help with fees reference (HWF-...)")
	}
	if !r.Full && (r.Pence <= 0 || r.Pence >= feePence) {
		return fmt.Errorf("amount: a part remission is more than £0.00 and less than the fee (%s); use --full for all of it", FormatPence(feePence))
	}
	return nil
}

// Balance is what is still owed on a fee: its amount less any remission
// and the payments allocated to it. Negative means overpaid.
func Balance(feePence int64, rem *Remission, paid int64) int64 {
	owed := feePence
	if rem != nil {
		if rem.Full {
			owed = 0
		} else {
			owed -= rem.Pence
		}
	}
	return owed - paid
}

// Payment methods.
var PaymentMethods = []string{"card", "bacs", "cheque", "pba", "cash", "postal-order"}

// ParsePaymentMethod accepts a method's name (pba: a payment by account).
func ParsePaymentMethod(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(PaymentMethods, s) {
		return s, nil
	}
	return "", fmt.Errorf("method: %q is not a payment method (use %s)", clip(s), strings.Join(PaymentMethods, ", "))
}
