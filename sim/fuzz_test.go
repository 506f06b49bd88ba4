package sim

import (
	"strings"
	"testing"
)

// FuzzParseMaze: any text parses to a maze or to an error, never a panic,
// and a parsed maze is what its Layout says: parsing the layout again
// gives the same maze, enclosed by walls, with a free cell.
func FuzzParseMaze(f *testing.F) {
	for _, name := range BuiltinMazes() {
		f.Add(builtin[name])
	}
	for _, s := range []string{
		"#####\n#GOO#\n###O#\n#OOO#\n#####\n",
		"\uFEFF#####\r\n#GOO#\r\n#####\r\n",
		"// comment\n; comment\n###\n#O#\n###",
		"#####\n#éOO#\n#####",
		"###\\#G#\\###",
		"", "\n", "\\", "#", "G", "#\xff#",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, layout string) {
		m, err := ParseMaze("fuzz", layout)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines; want one", err)
			}
			return
		}
		if m.Rows() < 1 || m.Cols() < 1 || len(m.FreeCells()) == 0 {
			t.Fatalf("maze %dx%d with %d free cells", m.Rows(), m.Cols(), len(m.FreeCells()))
		}
		for i := 0; i < m.Rows(); i++ {
			for j := 0; j < m.Cols(); j++ {
				border := i == 0 || j == 0 || i == m.Rows()-1 || j == m.Cols()-1
				if border && !m.IsWall(Cell{i, j}) {
					t.Fatalf("border cell (%d,%d) is free", i, j)
				}
			}
		}
		again, err := ParseMaze("fuzz", m.Layout())
		if err != nil {
			t.Fatalf("layout %q of a parsed maze does not parse: %v", m.Layout(), err)
		}
		if again.Layout() != m.Layout() || again.Rows() != m.Rows() || again.Cols() != m.Cols() {
			t.Fatalf("layout %q parses to %q", m.Layout(), again.Layout())
		}
		for _, c := range m.FreeCells() {
			if !m.IsFree(c.Center()) {
				t.Fatalf("free cell %v's centre is not free", c)
			}
		}
	})
}
