package dynamics

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The native pullback keeps the recurrence's transposed weights between
// calls; changing the weights in place (what a training step does) must
// give the gradient a model with those weights from the start gives, for
// a batch split over cores too.
func TestPullbackFollowsWeightChanges(t *testing.T) {
	c := tinyConfig()
	for _, b := range []int{1, 3} {
		m := newTestModel(t, c)
		r := rand.New(rand.NewPCG(21, 22))
		in := randomInput(c, b, 5, r)
		in.GradX0 = randomInput(c, b, 5, r).X // an upstream gradient of the right shape
		before, err := m.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"gru.cand_hid.weight", "gru.reset.weight", "pre.out.weight", "pre.in.weight", "pre.0.fc2.weight"} {
			p := m.byName[name]
			if p == nil {
				t.Fatalf("no parameter %s", name)
			}
			for i := range p.data {
				p.data[i] += float32(0.05 * r.NormFloat64())
			}
		}
		after, err := m.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		fresh := newTestModel(t, c)
		for i, p := range m.params {
			copy(fresh.params[i].data, p.data)
		}
		want, err := fresh.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Equal(before.GradX, want.GradX) {
			t.Fatalf("B=%d: the weight change did not change the gradient; the test tests nothing", b)
		}
		for i := range want.GradX {
			if after.GradX[i] != want.GradX[i] {
				t.Fatalf("B=%d: grad[%d] = %g after the weights changed in place, %g from a model built with them", b, i, after.GradX[i], want.GradX[i])
			}
		}
	}
}
