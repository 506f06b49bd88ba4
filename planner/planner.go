package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/guidance"
)

// Model is what the planner needs of a Diffusion Forcing model;
// *dynamics.Model satisfies it.
type Model interface {
	guidance.Denoiser
	Config() dynamics.Config
	Normalization() dynamics.Normalization
}

// Planner samples guided plans from a Diffusion Forcing model. It is safe
// for concurrent use; calls are serialized.
type Planner struct {
	conf   Config
	model  Model
	mconf  dynamics.Config
	norm   dynamics.Normalization
	matrix [][]int
	mcg    *guidance.MonteCarlo

	mu  sync.Mutex
	rng *rand.Rand

	// carryEvery is the granularity of the token offsets passes start at
	// (latents.every).
	carryEvery int
	// recompute disables carrying latents over unchanged tokens (tests).
	recompute bool
}

// New returns a planner for model. Zero fields of conf take their
// defaults; a field that cannot work is reported as a *FieldError.
func New(model Model, conf Config) (*Planner, error) {
	mc := model.Config()
	conf = conf.withDefaults(mc)
	if err := conf.validate(mc); err != nil {
		return nil, err
	}
	k, err := SchedulingMatrix(conf.Schedule, conf.SamplingSteps, conf.HorizonTokens, conf.Uncertainty)
	if err != nil {
		return nil, fmt.Errorf("planner config: %w", err)
	}
	norm := model.Normalization()
	obj := &guidance.GoalReaching{
		FrameStack: mc.FrameStack,
		FrameDim:   mc.ObsDim + mc.ActDim,
		PosIndex:   [2]int{0, 1},
		Mean:       [2]float64{norm.Mean[0], norm.Mean[1]},
		Std:        [2]float64{norm.Std[0], norm.Std[1]},
		Discount:   conf.Discount,
		Field:      conf.Distance,
		// Half a token per evaluation of a learned distance: it costs a
		// small network's pass per frame, inside every guidance step.
		FrameStride: max(mc.FrameStack/2, 1),
		DetourFrom:  conf.DetourFrom,
		DetourTo:    conf.DetourTo,
	}
	if conf.StopWeight > 0 {
		obj.StopRadius = conf.StopRadius
		obj.VelIndex = [2]int{2, 3}
		obj.VelMean = [2]float64{norm.Mean[2], norm.Mean[3]}
		obj.VelStd = [2]float64{norm.Std[2], norm.Std[3]}
	}
	if err := obj.Validate(); err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	return &Planner{
		conf:       conf,
		model:      model,
		mconf:      mc,
		norm:       norm,
		matrix:     k,
		mcg:        &guidance.MonteCarlo{Model: model, Objective: obj, Samples: conf.MCGSamples},
		rng:        rand.New(rand.NewPCG(conf.Seed, 0x5eed)),
		carryEvery: max(1, (conf.HorizonTokens+3)/4),
	}, nil
}

// Config returns the planner's configuration with defaults filled in.
func (p *Planner) Config() Config { return p.conf }

// Plan implements Policy for a single observation.
func (p *Planner) Plan(ctx context.Context, obs, goal []float64) (*Plan, error) {
	plans, err := p.PlanRequests(ctx, []Request{{Obs: obs, Goal: goal}})
	if err != nil {
		return nil, err
	}
	return plans[0], nil
}

// PlanBatch plans for several observations (one per robot or episode) in
// one batched pass. It stops between sampling rows when ctx ends.
func (p *Planner) PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*Plan, error) {
	if len(obs) != len(goals) {
		return nil, fmt.Errorf("plan: %d observations but %d goals", len(obs), len(goals))
	}
	reqs := make([]Request, len(obs))
	for i := range obs {
		reqs[i] = Request{Obs: obs[i], Goal: goals[i]}
	}
	return p.PlanRequests(ctx, reqs)
}

// PlanRequests implements RequestPolicy: one plan per request, all in one
// batched pass. It stops between sampling rows when ctx ends.
func (p *Planner) PlanRequests(ctx context.Context, reqs []Request) ([]*Plan, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	if err := p.checkRequests(reqs); err != nil {
		return nil, err
	}
	obs0 := p.normalizeObs(reqs)
	goals := p.objectiveGoals(reqs, obs0)
	unguided := make([]bool, len(reqs))
	for i, r := range reqs {
		unguided[i] = r.Unguided
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	x, shift, err := p.sample(ctx, obs0, goals, unguided)
	if err != nil {
		return nil, err
	}
	plans := p.decode(x, obs0)
	for i, pl := range plans {
		pl.MCGShift = shift[i]
	}
	return plans, nil
}
