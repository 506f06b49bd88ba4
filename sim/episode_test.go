package sim

import (
	"math"
	"reflect"
	"testing"

	"github.com/golang/geo/r2"
)

func TestParseTask(t *testing.T) {
	for in, want := range map[string]Task{"single": SingleTask, "multi-task": MultiTask, "Multi": MultiTask} {
		if got, err := ParseTask(in); err != nil || got != want {
			t.Errorf("ParseTask(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	if _, err := ParseTask("both"); err == nil {
		t.Error("ParseTask(both) succeeded")
	}
}

// TestResetDistribution checks the statistics of 20 000 resets against
// D4RL's: cells uniform over free cells, offsets U(-0.1, 0.1) (mean 0,
// variance 0.01/3), velocities N(0, 0.01). Tolerances are ~5 standard errors.
func TestResetDistribution(t *testing.T) {
	m, _ := LoadMaze("medium")
	rng := NewRand(7)
	const n = 20000
	counts := map[Cell]int{}
	var offSum, offSq, vSum, vSq float64
	for i := 0; i < n; i++ {
		s := m.Reset(rng)
		c := CellAt(r2.Point{X: s[0], Y: s[1]})
		counts[c]++
		for _, d := range []float64{s[0] - float64(c.Row), s[1] - float64(c.Col)} {
			if math.Abs(d) > 0.1 {
				t.Fatalf("reset %v: offset %v beyond 0.1", s, d)
			}
			offSum += d
			offSq += d * d
		}
		vSum += s[2] + s[3]
		vSq += s[2]*s[2] + s[3]*s[3]
	}
	free := m.FreeCells()
	if len(counts) != len(free) {
		t.Errorf("resets hit %d cells, want all %d free cells", len(counts), len(free))
	}
	want := float64(n) / float64(len(free))
	for _, c := range free {
		if math.Abs(float64(counts[c])-want) > 5*math.Sqrt(want) {
			t.Errorf("cell %v drawn %d times, want %.0f ± %.0f", c, counts[c], want, 5*math.Sqrt(want))
		}
	}
	const k = 2 * n
	if mean := offSum / k; math.Abs(mean) > 5*math.Sqrt(0.01/3/k) {
		t.Errorf("offset mean %v, want 0", mean)
	}
	if v := offSq / k; math.Abs(v-0.01/3) > 0.0002 {
		t.Errorf("offset variance %v, want %v", v, 0.01/3)
	}
	if mean := vSum / k; math.Abs(mean) > 5*0.1/math.Sqrt(k) {
		t.Errorf("velocity mean %v, want 0", mean)
	}
	if v := vSq / k; math.Abs(v-0.01) > 0.0005 {
		t.Errorf("velocity variance %v, want 0.01", v)
	}
}

func TestEpisodeSpecs(t *testing.T) {
	m, _ := LoadMaze("large")
	for _, task := range []Task{SingleTask, MultiTask} {
		t.Run(task.String(), func(t *testing.T) {
			a := EpisodeSpecs(m, task, 42, 50)
			if b := EpisodeSpecs(m, task, 42, 50); !reflect.DeepEqual(a, b) {
				t.Error("same seed gave different specs")
			}
			if b := EpisodeSpecs(m, task, 42, 10); !reflect.DeepEqual(a[:10], b) {
				t.Error("the first 10 of 50 specs differ from 10 specs")
			}
			if c := EpisodeSpecs(m, task, 43, 50); reflect.DeepEqual(a, c) {
				t.Error("different seeds gave the same specs")
			}
			goals := map[r2.Point]bool{}
			for i, s := range a {
				start := CellAt(r2.Point{X: s.Start[0], Y: s.Start[1]})
				if m.IsWall(start) {
					t.Errorf("spec %d starts in wall cell %v", i, start)
				}
				g := CellAt(s.Goal)
				if m.IsWall(g) || g.Center() != s.Goal {
					t.Errorf("spec %d: goal %v is not a free cell centre", i, s.Goal)
				}
				if task == SingleTask && g != (Cell{7, 9}) {
					t.Errorf("spec %d: single-task goal %v, want the G cell (7,9)", i, g)
				}
				if task == MultiTask && g == start {
					t.Errorf("spec %d: goal cell equals start cell %v", i, g)
				}
				goals[s.Goal] = true
			}
			if task == MultiTask && len(goals) < 10 {
				t.Errorf("multi-task drew only %d distinct goals in 50 episodes", len(goals))
			}
		})
	}
}
