package sim

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/golang/geo/r2"
)

// Cell is a grid cell: row i, column j of the layout string. In state
// coordinates the cell's centre is (Row, Col), as in D4RL.
type Cell struct{ Row, Col int }

// Center returns the cell centre in state coordinates: (Row, Col). This is
// where D4RL's resets and expert waypoints aim.
func (c Cell) Center() r2.Point { return r2.Point{X: float64(c.Row), Y: float64(c.Col)} }

// String formats the cell as "(row,col)".
func (c Cell) String() string { return fmt.Sprintf("(%d,%d)", c.Row, c.Col) }

// Maze is a D4RL maze2d layout: a grid of walls ('#'), free cells ('O') and
// at most one goal cell ('G'), surrounded by walls. A Maze is immutable and
// safe for concurrent use.
type Maze struct {
	name   string
	layout string // D4RL spelling, rows separated by '\'
	rows   int
	cols   int
	wall   []bool // rows*cols, row-major
	free   []Cell // 'O' and 'G' cells, row-major order
	goal   Cell
	hasG   bool
}

// builtin layouts, D4RL spelling (maze_model.py).
var builtin = map[string]string{
	"umaze":       `#####\#GOO#\###O#\#OOO#\#####`,
	"medium":      `########\#OO##OO#\#OO#OOO#\##OOO###\#OO#OOO#\#O#OO#O#\#OOO#OG#\########`,
	"large":       `############\#OOOO#OOOOO#\#O##O#O#O#O#\#OOOOOO#OOO#\#O####O###O#\#OO#O#OOOOO#\##O#O#O#O###\#OO#OOO#OGO#\############`,
	"open":        `#######\#OOOOO#\#OOGOO#\#OOOOO#\#######`,
	"umaze-eval":  `#####\#OOG#\#O###\#OOO#\#####`,
	"medium-eval": `########\#OOOOOG#\#O#O##O#\#OOOO#O#\###OO###\#OOOOOO#\#OO##OO#\########`,
	"large-eval":  `############\#OO#OOO#OGO#\##O###O#O#O#\#OO#O#OOOOO#\#O##O#OO##O#\#OOOOOO#OOO#\#O##O#O#O###\#OOOO#OOOOO#\############`,
}

// episodeLength holds D4RL's max_episode_steps for maze2d-*-v1 (open-v0 for
// open).
var episodeLength = map[string]int{
	"umaze": 300, "umaze-eval": 300,
	"medium": 600, "medium-eval": 600,
	"large": 800, "large-eval": 800,
	"open": 150,
}

// BuiltinMazes returns the names of the built-in layouts, sorted.
func BuiltinMazes() []string {
	names := make([]string, 0, len(builtin))
	for n := range builtin {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LoadMaze returns the built-in maze called nameOrPath, or else parses the
// layout file at that path. A layout file holds the D4RL spelling (rows
// separated by '\') or one row per line; blank lines and lines starting with
// "//" or ";" are ignored. The maze is named after the file.
func LoadMaze(nameOrPath string) (*Maze, error) {
	if layout, ok := builtin[nameOrPath]; ok {
		return ParseMaze(nameOrPath, layout)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("maze %q: not a built-in maze (%s) and no such layout file",
				nameOrPath, strings.Join(BuiltinMazes(), ", "))
		}
		return nil, fmt.Errorf("maze %q: %w", nameOrPath, err)
	}
	m, err := ParseMaze(nameOrPath, string(data))
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ParseMaze parses a layout in the D4RL spelling ('\' between rows) or with
// one row per line. It rejects ragged rows, unknown characters, more than one
// goal, a layout without free cells and a border that is not all wall, with an
// error naming the row and column.
func ParseMaze(name, layout string) (*Maze, error) {
	// A byte order mark, which some editors put at the start of a UTF-8
	// file, is not part of the layout.
	text := strings.TrimPrefix(layout, "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, `\`, "\n")
	var rows []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") || strings.HasPrefix(line, ";") {
			continue
		}
		rows = append(rows, line)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("maze %s: empty layout", name)
	}
	// Cells are characters, not bytes: a row "#é#" has 3 cells, so errors
	// count what the user sees.
	m := &Maze{name: name, rows: len(rows), cols: utf8.RuneCountInString(rows[0])}
	m.wall = make([]bool, m.rows*m.cols)
	for i, line := range rows {
		row := []rune(line)
		if len(row) != m.cols {
			return nil, fmt.Errorf("maze %s: row %d has %d cells, row 0 has %d (rows must have equal length)",
				name, i, len(row), m.cols)
		}
		for j := 0; j < len(row); j++ {
			c := Cell{i, j}
			switch row[j] {
			case '#':
				m.wall[i*m.cols+j] = true
			case 'O', 'o', '0', ' ':
				m.free = append(m.free, c)
			case 'G', 'g':
				if m.hasG {
					return nil, fmt.Errorf("maze %s: second goal 'G' at row %d col %d (first at row %d col %d)",
						name, i, j, m.goal.Row, m.goal.Col)
				}
				m.goal, m.hasG = c, true
				m.free = append(m.free, c)
			default:
				return nil, fmt.Errorf("maze %s: unknown character %q at row %d col %d (want '#' wall, 'O' free, 'G' goal)",
					name, row[j], i, j)
			}
		}
	}
	if len(m.free) == 0 {
		return nil, fmt.Errorf("maze %s: no free cell ('O' or 'G')", name)
	}
	for i := 0; i < m.rows; i++ {
		for j := 0; j < m.cols; j++ {
			border := i == 0 || j == 0 || i == m.rows-1 || j == m.cols-1
			if border && !m.wall[i*m.cols+j] {
				return nil, fmt.Errorf("maze %s: border cell at row %d col %d is not a wall '#' (the maze must be enclosed)",
					name, i, j)
			}
		}
	}
	m.layout = strings.Join(rows, `\`)
	return m, nil
}

// Name returns the built-in name or the path the maze was loaded from.
func (m *Maze) Name() string { return m.name }

// Layout returns the layout in the D4RL spelling.
func (m *Maze) Layout() string { return m.layout }

// Rows returns the number of grid rows (the state x extent).
func (m *Maze) Rows() int { return m.rows }

// Cols returns the number of grid columns (the state y extent).
func (m *Maze) Cols() int { return m.cols }

// IsWall reports whether c is a wall; cells outside the grid count as wall.
func (m *Maze) IsWall(c Cell) bool {
	if c.Row < 0 || c.Col < 0 || c.Row >= m.rows || c.Col >= m.cols {
		return true
	}
	return m.wall[c.Row*m.cols+c.Col]
}

// FreeCells returns the 'O' and 'G' cells in row-major order. The caller may
// modify the returned slice.
func (m *Maze) FreeCells() []Cell { return append([]Cell(nil), m.free...) }

// GoalCell returns the 'G' cell, if the layout has one.
func (m *Maze) GoalCell() (Cell, bool) { return m.goal, m.hasG }

// CellAt returns the cell whose centre is nearest to p (state coordinates),
// rounding halves to even as D4RL's controller does (Python's round).
func CellAt(p r2.Point) Cell {
	return Cell{int(roundHalfEven(p.X)), int(roundHalfEven(p.Y))}
}

// IsFree reports whether p (state coordinates) lies in free space: inside
// the map and outside every wall box. Because MuJoCo's walls are offset by
// -0.2 (see the package doc), the free square of cell (i, j) is
// [i-0.7, i+0.3) × [j-0.7, j+0.3), not the unit square around its Center.
func (m *Maze) IsFree(p r2.Point) bool {
	if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
		return false
	}
	return !m.IsWall(Cell{int(floor(p.X + 0.5 + wallOffset)), int(floor(p.Y + 0.5 + wallOffset))})
}

// Bounds returns the rectangle covering the whole map, walls included, in
// state coordinates.
func (m *Maze) Bounds() r2.Rect {
	return r2.Rect{
		X: r2Interval(-wallOffset-0.5, float64(m.rows)-wallOffset-0.5),
		Y: r2Interval(-wallOffset-0.5, float64(m.cols)-wallOffset-0.5),
	}
}

// WallRects returns the wall boxes in state coordinates: wall (i, j) is the
// unit square centred at (i-0.2, j-0.2), where MuJoCo puts it.
func (m *Maze) WallRects() []r2.Rect {
	var rs []r2.Rect
	for i := 0; i < m.rows; i++ {
		for j := 0; j < m.cols; j++ {
			if m.wall[i*m.cols+j] {
				rs = append(rs, wallRect(i, j))
			}
		}
	}
	return rs
}

func wallRect(i, j int) r2.Rect {
	cx, cy := float64(i)-wallOffset, float64(j)-wallOffset
	return r2.Rect{X: r2Interval(cx-0.5, cx+0.5), Y: r2Interval(cy-0.5, cy+0.5)}
}

// EpisodeLength returns the episode length in env steps: D4RL v1's
// max_episode_steps for the built-in mazes (umaze 300, medium 600, large 800,
// eval variants the same as their base, open 150 as in open-v0). Custom
// layouts get 800, the longest D4RL horizon.
func (m *Maze) EpisodeLength() int {
	if n, ok := episodeLength[m.name]; ok {
		return n
	}
	return 800
}
