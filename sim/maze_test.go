package sim

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r2"
)

func TestBuiltinMazes(t *testing.T) {
	tests := []struct {
		name       string
		rows, cols int
		free       int
		goal       Cell
		epLen      int
	}{
		{"umaze", 5, 5, 7, Cell{1, 1}, 300},
		{"medium", 8, 8, 26, Cell{6, 6}, 600},
		{"large", 9, 12, 46, Cell{7, 9}, 800},
		{"open", 5, 7, 15, Cell{2, 3}, 150},
		{"umaze-eval", 5, 5, 7, Cell{1, 3}, 300},
		{"medium-eval", 8, 8, 26, Cell{1, 6}, 600},
		{"large-eval", 9, 12, 47, Cell{1, 9}, 800},
	}
	if got := len(BuiltinMazes()); got != len(tests) {
		t.Errorf("BuiltinMazes() has %d names, want %d", got, len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := LoadMaze(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if m.Name() != tc.name || m.Rows() != tc.rows || m.Cols() != tc.cols {
				t.Errorf("got %s %dx%d, want %s %dx%d", m.Name(), m.Rows(), m.Cols(), tc.name, tc.rows, tc.cols)
			}
			if got := len(m.FreeCells()); got != tc.free {
				t.Errorf("%d free cells, want %d", got, tc.free)
			}
			if g, ok := m.GoalCell(); !ok || g != tc.goal {
				t.Errorf("GoalCell() = %v, %v, want %v", g, ok, tc.goal)
			}
			if got := m.EpisodeLength(); got != tc.epLen {
				t.Errorf("EpisodeLength() = %d, want %d", got, tc.epLen)
			}
			if got, want := len(m.WallRects()), tc.rows*tc.cols-tc.free; got != want {
				t.Errorf("%d wall rects, want %d", got, want)
			}
			for _, c := range m.FreeCells() {
				if m.IsWall(c) || !m.IsFree(c.Center()) {
					t.Errorf("free cell %v: IsWall %v, IsFree(centre) %v", c, m.IsWall(c), m.IsFree(c.Center()))
				}
			}
			b := m.Bounds()
			if b.X.Lo != -0.7 || b.Y.Lo != -0.7 || b.X.Hi != float64(tc.rows)-0.7 || b.Y.Hi != float64(tc.cols)-0.7 {
				t.Errorf("Bounds() = %v", b)
			}
		})
	}
}

func TestMazeGeometry(t *testing.T) {
	m, _ := LoadMaze("umaze") // row 1: #GOO#
	tests := []struct {
		p    r2.Point
		free bool
	}{
		{r2.Point{X: 1, Y: 1}, true},
		{r2.Point{X: 1.29, Y: 1}, true},   // just short of wall (2,1), whose box spans x ∈ [1.3, 2.3]
		{r2.Point{X: 1.5, Y: 1}, false},   // inside wall (2,1), though in (1,1)'s grid square
		{r2.Point{X: 0.25, Y: 2}, false},  // inside border row 0, box x ∈ [-0.7, 0.3]
		{r2.Point{X: 0.4, Y: 2}, true},    // corridor of row 1 starts at x = 0.3
		{r2.Point{X: 2, Y: 3}, true},      // (2,3) free
		{r2.Point{X: -3, Y: 2}, false},    // outside
		{r2.Point{X: 2.2, Y: 3.2}, true},  // within (2,3)'s free square [1.3, 2.3) × [2.3, 3.3)
		{r2.Point{X: 1.5, Y: 3.5}, false}, // border column 4 starts at y = 3.3
	}
	for _, tc := range tests {
		if got := m.IsFree(tc.p); got != tc.free {
			t.Errorf("IsFree(%v) = %v, want %v", tc.p, got, tc.free)
		}
	}
	if !m.IsWall(Cell{-1, 0}) || !m.IsWall(Cell{0, 5}) || m.IsWall(Cell{1, 2}) {
		t.Error("IsWall: outside the grid must be wall, (1,2) free")
	}
	// Wall (0,0) sits at state (-0.2,-0.2) as in MuJoCo.
	r := m.WallRects()[0]
	if c := r.Center(); math.Abs(c.X+0.2) > 1e-12 || math.Abs(c.Y+0.2) > 1e-12 || r.Size() != (r2.Point{X: 1, Y: 1}) {
		t.Errorf("wall (0,0) rect %v, want unit square at (-0.2,-0.2)", r)
	}
}

func TestParseMazeErrors(t *testing.T) {
	tests := []struct {
		name, layout, want string
	}{
		{"ragged", `####\#OO#\#O#\####`, "row 2 has 3 cells"},
		{"unknown char", `####\#OX#\####`, `unknown character 'X' at row 1 col 2`},
		{"no free cell", `###\###`, "no free cell"},
		{"open border", `####\#OOO\####`, "border cell at row 1 col 3"},
		{"two goals", `#####\#GOG#\#####`, "second goal 'G' at row 1 col 3"},
		{"empty", "\n\n", "empty layout"},
		// Columns and lengths count characters, not bytes.
		{"five characters, six bytes", "#####\n#éOO#\n#####", `unknown character 'é' at row 1 col 1`},
		{"two-byte character", "#####\n#OéO#\n#####", `unknown character 'é' at row 1 col 2`},
		{"ragged with a two-byte character", "#####\n#Oé#\n#####", "row 1 has 4 cells, row 0 has 5"},
		{"byte order mark inside", "#####\n#O\uFEFFO#\n#####", `unknown character '\ufeff' at row 1 col 2`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMaze(tc.name, tc.layout)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseMaze(%q) = %v, want error containing %q", tc.layout, err, tc.want)
			}
		})
	}
}

func TestLoadMazeFile(t *testing.T) {
	dir := t.TempDir()
	want, _ := LoadMaze("medium")
	files := map[string]string{
		"d4rl.txt":  want.Layout() + "\n",
		"lines.txt": "// medium, one row per line\n" + strings.ReplaceAll(want.Layout(), `\`, "\n") + "\n\n",
		"crlf.txt":  strings.ReplaceAll(want.Layout(), `\`, "\r\n"),
		// Some Windows editors start UTF-8 files with a byte order mark.
		"bom.txt": "\uFEFF" + strings.ReplaceAll(want.Layout(), `\`, "\r\n") + "\r\n",
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := LoadMaze(path)
			if err != nil {
				t.Fatal(err)
			}
			if m.Layout() != want.Layout() || m.Name() != path {
				t.Errorf("LoadMaze(%s): layout %q name %q, want %q", name, m.Layout(), m.Name(), want.Layout())
			}
			if m.EpisodeLength() != 800 {
				t.Errorf("custom maze EpisodeLength() = %d, want 800", m.EpisodeLength())
			}
		})
	}
	if _, err := LoadMaze("mediun"); err == nil || !strings.Contains(err.Error(), "large, large-eval, medium") {
		t.Errorf("LoadMaze(unknown) = %v, want the list of built-in names", err)
	}
}
