package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports a long job: a bar when w is a terminal, otherwise a log
// line at most every 30 s and one at the end. The log line names the unit
// counted: "gen umaze" steps_done=120000 steps_total=300000.
type progress struct {
	desc  string
	unit  string
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time
	total int
	done  int
}

// newProgress starts reporting a job called desc on w (normally stderr),
// counted in steps (see Unit).
func newProgress(w io.Writer, desc string) *progress {
	p := &progress{desc: desc, unit: "steps", start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Update records done of total units.
func (p *progress) Update(done, total int) {
	p.done, p.total = done, total
	if p.bar != nil {
		if p.bar.GetMax() != total {
			p.bar.ChangeMax(total)
		}
		p.bar.Set(done)
		return
	}
	if time.Since(p.last) >= 30*time.Second {
		p.last = time.Now()
		slog.Info(p.desc, p.unit+"_done", done, p.unit+"_total", total, "elapsed", time.Since(p.start).Round(time.Second))
	}
}

// Unit sets what Update counts, a plural noun ("steps", "episodes"), and
// returns p.
func (p *progress) Unit(unit string) *progress {
	p.unit = unit
	if p.bar != nil {
		progressbar.OptionSetItsString(unit)(p.bar)
	}
	return p
}

// Describe replaces the bar's description (e.g. to show a running loss).
func (p *progress) Describe(desc string) {
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

// Terminal reports whether the progress is drawn as a bar.
func (p *progress) Terminal() bool { return p.bar != nil }

// Done finishes the bar.
func (p *progress) Done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
