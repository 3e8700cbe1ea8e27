package screen

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestRequestsClearedByTheirOwnResult(t *testing.T) {
	r := NewRequests(context.Background())
	a := r.Go(Search, func(context.Context) tea.Msg { return "old" })
	b := r.Go(Search, func(context.Context) tea.Msg { return "new" })
	if !r.Busy() {
		t.Fatal("not busy with two in flight")
	}
	rb := b().(Result)
	r.Done(rb.Req)
	if !r.Busy() {
		t.Error("one answer cleared both")
	}
	ra := a().(Result) // stale: still clears its own request
	r.Done(ra.Req)
	if r.Busy() || ra.Screen != Search || ra.Msg != "old" {
		t.Errorf("busy %v after both answered; %+v", r.Busy(), ra)
	}
}

func TestRequestsCarryTheProgramContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := NewRequests(ctx)
	cmd := r.Go(Root, func(ctx context.Context) tea.Msg { return ctx.Err() })
	cancel() // quitting
	if got := cmd().(Result).Msg; got != context.Canceled {
		t.Errorf("work in flight not cancelled: %v", got)
	}
}

func TestLinesIsExactlyItsHeight(t *testing.T) {
	if got := strings.Count(Lines([]string{"a"}, 3), "\n"); got != 2 {
		t.Errorf("padded to %d lines", got+1)
	}
	if got := Lines([]string{"a", "b", "c"}, 2); got != "a\nb" {
		t.Errorf("cut to %q", got)
	}
}
