package dynamics_test

import (
	"fmt"

	"github.com/dfplan/dfplan/dynamics"
)

// A DDIM step with the true clean value lands on the same noise path at the
// lower level; stepping to level 0 returns the clean value.
func ExampleSchedule_DDIMStep() {
	s, err := dynamics.NewSchedule("linear", 1000)
	if err != nil {
		panic(err)
	}
	x0, eps := 0.5, 1.0
	x500 := s.QSample(x0, eps, 500)
	x100 := s.DDIMStep(x500, x0, 0, 500, 100, 0)
	fmt.Printf("ᾱ_500 = %.4f\n", s.AlphaBar(500))
	fmt.Printf("x_100 = %.4f (q_sample gives %.4f)\n", x100, s.QSample(x0, eps, 100))
	fmt.Printf("x_0 = %.4f\n", s.DDIMStep(x100, x0, 0, 100, 0, 0))
	// Output:
	// ᾱ_500 = 0.0786
	// x_100 = 0.7945 (q_sample gives 0.7945)
	// x_0 = 0.5000
}

// Predict maps noisy tokens to clean-token estimates for a batch of
// sequences; with GradX0 it also backpropagates through the network.
func ExampleModel_Predict() {
	cfg := dynamics.DefaultConfig()
	m, err := dynamics.New(cfg, dynamics.IdentityNormalization(cfg.FrameDim()), 1)
	if err != nil {
		panic(err)
	}
	const B, H = 2, 5
	in := &dynamics.Input{
		B: B, H: H,
		Obs0:   make([]float32, B*cfg.ObsDim),
		X:      make([]float32, B*H*cfg.TokenDim()),
		K:      make([]int, B*H),
		GradX0: make([]float32, B*H*cfg.TokenDim()),
	}
	for i := range in.K {
		in.K[i] = cfg.DiffusionSteps // pure noise
	}
	out, err := m.Predict(in)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(out.X0), len(out.GradX), cfg.TokenDim())
	// Output: 600 600 60
}
