package sim

import "math"

// State is the point mass's state (x, y, vx, vy): MuJoCo's qpos and qvel of
// the two slide joints, in state coordinates (see the package doc).
type State [4]float64

// Action is the motor command (ax, ay); the env clips it to [-1, 1].
type Action [2]float64

// VelocityLimit is D4RL's clip_velocity: each velocity component is clipped
// to [-VelocityLimit, VelocityLimit] before every physics step.
const VelocityLimit = 5.0

// Constants of D4RL's point_maze model as MuJoCo 2.2.2 compiles it
// (maze_model.py: sphere radius 0.1, density 1000, slide joints with damping 1,
// motors with gear 100, timestep 0.01, Euler; geom margin 0.002, default
// solref and solimp). mass and invWeight are the values MuJoCo reports for
// body_mass and body_invweight0 (= 2/(3·mass): the average of the diagonal of
// the 3×3 translational inverse inertia, whose z entry is 0 for this body).
const (
	timestep   = 0.01
	radius     = 0.1
	mass       = 4.1887902047863914
	invWeight  = 0.15915494309189532
	damping    = 1.0
	gear       = 100.0
	margin     = 0.002
	maxVel     = VelocityLimit
	bodyOffset = 1.2 // the particle body sits at world (1.2, 1.2)
	wallOffset = 0.2 // wall (i, j) is centred at state (i-0.2, j-0.2)

	// solref = (timeconst, dampratio), solimp = (dmin, dmax, width, mid, power)
	solrefTime  = 0.02
	solrefDamp  = 1.0
	solimpDmin  = 0.9
	solimpDmax  = 0.95
	solimpWidth = 0.001
	solimpMid   = 0.5
	solimpPower = 2.0

	// MuJoCo's reference acceleration gains: aref = -B·vel - K·imp·(pos-margin)
	refK = 1 / (solimpDmax * solimpDmax * solrefTime * solrefTime * solrefDamp * solrefDamp)
	refB = 2 / (solimpDmax * solrefTime)

	maxContacts = 9
)

// contact is one active sphere–box contact in MuJoCo's terms.
type contact struct {
	n    [2]float64 // Jacobian row: unit normal from the wall to the ball
	aref float64    // reference acceleration
	r    float64    // regularizer R
}

// Step advances the state by one D4RL env step: the action is clipped to
// [-1, 1] and the velocity to [-5, 5] (D4RL's clip_velocity, applied before
// the physics step, so the returned velocity may exceed 5), then one MuJoCo
// step: soft wall contacts solved exactly, and Euler integration with the
// joint damping treated implicitly. Step is pure and does not allocate.
func (m *Maze) Step(s State, a Action) State {
	ax := clamp(a[0], -1, 1)
	ay := clamp(a[1], -1, 1)
	x, y := s[0], s[1]
	vx := clamp(s[2], -maxVel, maxVel)
	vy := clamp(s[3], -maxVel, maxVel)

	// Smooth forces and unconstrained acceleration (mj_fwdActuation,
	// mj_fwdPassive, mj_fwdAcceleration): f = gear·ctrl - damping·v, a0 = f/m.
	fx := gear*ax - damping*vx
	fy := gear*ay - damping*vy
	a0x, a0y := fx/mass, fy/mass

	// Contacts with the walls in the 3×3 cells around the ball.
	var cs [maxContacts]contact
	k := 0
	px, py := bodyOffset+x, bodyOffset+y // world position of the ball
	ci := int(math.Floor(px - 0.5))      // wall (i, j) spans world [i+0.5, i+1.5]
	cj := int(math.Floor(py - 0.5))
	for i := ci - 1; i <= ci+1; i++ {
		if i < 0 || i >= m.rows {
			continue
		}
		for j := cj - 1; j <= cj+1; j++ {
			if j < 0 || j >= m.cols || !m.wall[i*m.cols+j] {
				continue
			}
			if c, ok := sphereBox(px-float64(i+1), py-float64(j+1), vx, vy); ok {
				cs[k] = c
				k++
			}
		}
	}

	// Constraint forces: the exact solution of MuJoCo's convex problem (the
	// Newton solver's fixed point), f ≥ 0 with (A+R)f = aref - J·a0 on the
	// active set.
	var qcx, qcy float64
	if k > 0 {
		var f [maxContacts]float64
		solveContacts(cs[:k], a0x, a0y, f[:k])
		for i := 0; i < k; i++ {
			qcx += f[i] * cs[i].n[0]
			qcy += f[i] * cs[i].n[1]
		}
	}

	// mj_Euler with damping: qacc = (M + h·B)⁻¹ (qfrc_smooth + qfrc_constraint),
	// v' = v + h·qacc, q' = q + h·v'.
	const mh = mass + timestep*damping
	vx += timestep * ((fx + qcx) / mh)
	vy += timestep * ((fy + qcy) / mh)
	return State{x + timestep*vx, y + timestep*vy, vx, vy}
}

// sphereBox is MuJoCo's sphere–box test (mjc_SphereBox) for the ball at
// (cx, cy) relative to the centre of a unit box, with ball velocity v; it
// returns the contact's Jacobian row, reference acceleration and
// regularizer when the distance is within the margin.
func sphereBox(cx, cy, vx, vy float64) (contact, bool) {
	const h = 0.5
	qx, qy := clamp(cx, -h, h), clamp(cy, -h, h)
	tx, ty := qx-cx, qy-cy // from the ball centre towards the box
	dist := math.Sqrt(tx*tx + ty*ty)
	if dist-radius > margin {
		return contact{}, false
	}
	var nx, ny float64 // MuJoCo's contact normal, ball → box
	if dist <= 1e-15 {
		// Centre inside the box: MuJoCo picks the nearest face (its sign
		// convention kept as is) and reports dist = -radius.
		closest := 4 * h
		k := 0
		for i := 0; i < 4; i++ {
			c := cx
			if i >= 2 {
				c = cy
			}
			sgn := -1.0
			if i%2 == 1 {
				sgn = 1
			}
			if d := math.Abs(sgn*h - c); closest > d {
				closest, k = d, i
			}
		}
		sgn := 1.0
		if k%2 == 1 {
			sgn = -1
		}
		if k < 2 {
			nx = sgn
		} else {
			ny = sgn
		}
		dist = 0
	} else {
		inv := 1 / dist
		nx, ny = tx*inv, ty*inv
	}
	pos := dist - radius
	// J = normal·(J_box - J_ball) = -normal (the box is static).
	jx, jy := -nx, -ny
	imp := impedance(pos - margin)
	return contact{
		n:    [2]float64{jx, jy},
		aref: -refB*(jx*vx+jy*vy) - refK*imp*(pos-margin),
		r:    math.Max(1e-15, (1-imp)*invWeight/imp),
	}, true
}

// impedance is MuJoCo's d(r) for solimp (dmin, dmax, width, mid, power): it
// rises from dmin at r = 0 to dmax at |r| ≥ width along two power curves
// joined at mid.
func impedance(r float64) float64 {
	x := math.Abs(r) / solimpWidth
	if x >= 1 {
		return solimpDmax
	}
	if x <= 0 {
		return solimpDmin
	}
	var y float64
	if x <= solimpMid {
		a := 1 / math.Pow(solimpMid, solimpPower-1)
		y = a * x * x // power 2
	} else {
		b := 1 / math.Pow(1-solimpMid, solimpPower-1)
		y = 1 - b*(1-x)*(1-x)
	}
	return solimpDmin + y*(solimpDmax-solimpDmin)
}

// solveContacts solves the linear complementarity problem
//
//	w = (A+R) f - (aref - J·a0),  f ≥ 0,  w ≥ 0,  fᵀw = 0,
//
// with A = J M⁻¹ Jᵀ, which is the optimality condition of MuJoCo's
// constraint problem for frictionless contacts. A+R is positive definite, so
// the solution is unique; it is found by trying active sets, smallest first.
func solveContacts(cs []contact, a0x, a0y float64, f []float64) {
	k := len(cs)
	var b [maxContacts]float64 // aref - J·a0
	for i := range cs {
		b[i] = cs[i].aref - (cs[i].n[0]*a0x + cs[i].n[1]*a0y)
	}
	if k == 1 {
		a := (cs[0].n[0]*cs[0].n[0]+cs[0].n[1]*cs[0].n[1])/mass + cs[0].r
		f[0] = math.Max(0, b[0]/a)
		return
	}
	if k > 4 {
		pgs(cs, b[:k], f)
		return
	}
	aij := func(i, j int) float64 {
		v := (cs[i].n[0]*cs[j].n[0] + cs[i].n[1]*cs[j].n[1]) / mass
		if i == j {
			v += cs[i].r
		}
		return v
	}
	for mask := 1; mask < 1<<k; mask++ {
		// Solve the active rows by Gaussian elimination.
		var idx [4]int
		n := 0
		for i := 0; i < k; i++ {
			if mask&(1<<i) != 0 {
				idx[n] = i
				n++
			}
		}
		var mat [4][5]float64
		for r := 0; r < n; r++ {
			for c := 0; c < n; c++ {
				mat[r][c] = aij(idx[r], idx[c])
			}
			mat[r][n] = b[idx[r]]
		}
		if !gauss(&mat, n) {
			continue
		}
		ok := true
		var sol [maxContacts]float64
		for r := 0; r < n; r++ {
			if mat[r][n] < 0 {
				ok = false
				break
			}
			sol[idx[r]] = mat[r][n]
		}
		if !ok {
			continue
		}
		for i := 0; i < k && ok; i++ {
			if mask&(1<<i) != 0 {
				continue
			}
			w := -b[i]
			for j := 0; j < k; j++ {
				w += aij(i, j) * sol[j]
			}
			ok = w >= 0
		}
		if ok {
			copy(f, sol[:k])
			return
		}
	}
	pgs(cs, b[:k], f) // not reached for a positive definite A+R
}

// gauss solves the n×n system in m (augmented column n) in place, leaving
// the solution in column n.
func gauss(m *[4][5]float64, n int) bool {
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if m[p][c] == 0 {
			return false
		}
		m[c], m[p] = m[p], m[c]
		for r := 0; r < n; r++ {
			if r == c {
				continue
			}
			g := m[r][c] / m[c][c]
			for cc := c; cc <= n; cc++ {
				m[r][cc] -= g * m[c][cc]
			}
		}
	}
	for r := 0; r < n; r++ {
		m[r][n] /= m[r][r]
	}
	return true
}

// pgs is projected Gauss–Seidel on the same problem, for the (physically
// impossible) case of more than four simultaneous contacts.
func pgs(cs []contact, b, f []float64) {
	for it := 0; it < 200; it++ {
		for i := range cs {
			s := b[i]
			for j := range cs {
				if j != i {
					s -= (cs[i].n[0]*cs[j].n[0] + cs[i].n[1]*cs[j].n[1]) / mass * f[j]
				}
			}
			f[i] = math.Max(0, s/(1/mass+cs[i].r))
		}
	}
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
