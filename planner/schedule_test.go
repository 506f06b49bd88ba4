package planner

import "testing"

func TestSchedulingMatrixInvariants(t *testing.T) {
	cases := []struct {
		name        string
		kind        string
		steps, h    int
		u           float64
		wantRows    int
		firstChange int // row at which the last token first leaves pure noise
	}{
		{"pyramid u=1", Pyramid, 10, 6, 1, 16, 5},
		{"pyramid u=0.5", Pyramid, 4, 5, 0.5, 7, 2},
		{"full sequence", FullSequence, 10, 6, 0, 11, 0},
		{"autoregressive", Autoregressive, 3, 4, 0, 13, 9},
		{"single token", Pyramid, 5, 1, 1, 6, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := SchedulingMatrix(c.kind, c.steps, c.h, c.u)
			if err != nil {
				t.Fatal(err)
			}
			if len(k) != c.wantRows {
				t.Fatalf("rows = %d, want %d", len(k), c.wantRows)
			}
			for tok := 0; tok < c.h; tok++ {
				if k[0][tok] != c.steps {
					t.Errorf("K[0][%d] = %d, want pure noise %d", tok, k[0][tok], c.steps)
				}
				if k[len(k)-1][tok] != 0 {
					t.Errorf("last row K[%d][%d] = %d, want clean", len(k)-1, tok, k[len(k)-1][tok])
				}
				for m := 1; m < len(k); m++ {
					if d := k[m-1][tok] - k[m][tok]; d < 0 || d > 1 {
						t.Errorf("K[%d][%d]→K[%d][%d] moves %d levels, want 0 or 1", m-1, tok, m, tok, d)
					}
				}
			}
			// Every row transition must denoise something, or it wastes a pass.
			for m := 1; m < len(k); m++ {
				changed := false
				for tok := range k[m] {
					changed = changed || k[m][tok] != k[m-1][tok]
				}
				if !changed {
					t.Errorf("row %d equals row %d", m, m-1)
				}
			}
			// Causal uncertainty: a later token is never cleaner than an earlier one.
			for m := range k {
				for tok := 1; tok < c.h; tok++ {
					if k[m][tok] < k[m][tok-1] {
						t.Errorf("K[%d][%d] = %d cleaner than token before (%d)", m, tok, k[m][tok], k[m][tok-1])
					}
				}
			}
			last := c.h - 1
			first := -1
			for m := 1; m < len(k); m++ {
				if k[m][last] < c.steps {
					first = m - 1
					break
				}
			}
			if first != c.firstChange {
				t.Errorf("last token starts denoising at row %d, want %d", first, c.firstChange)
			}
		})
	}
}

func TestSchedulingMatrixRejects(t *testing.T) {
	bad := []struct {
		name     string
		kind     string
		steps, h int
		u        float64
	}{
		{"zero steps", Pyramid, 0, 5, 1},
		{"zero horizon", Pyramid, 5, 0, 1},
		{"negative uncertainty", Pyramid, 5, 5, -1},
		{"unknown kind", "spiral", 5, 5, 1},
	}
	for _, c := range bad {
		if _, err := SchedulingMatrix(c.kind, c.steps, c.h, c.u); err == nil {
			t.Errorf("%s: want error", c.name)
		}
	}
}
