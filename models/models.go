// Package models embeds the Diffusion Forcing models shipped with dfplan,
// one per built-in maze, each trained by `dfplan train` with the command,
// config and training summary recorded beside it in this folder.
package models

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dfplan/dfplan/distance"
	"github.com/dfplan/dfplan/dynamics"
)

//go:embed shipped
var files embed.FS

// ErrNoModel is returned for a maze that has no shipped model.
var ErrNoModel = errors.New("no shipped model")

// For returns the shipped model for a built-in maze name.
func For(maze string) (*dynamics.Model, *dynamics.Meta, error) {
	name := maze + ".safetensors"
	data, err := files.ReadFile("shipped/" + name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("maze %q: %w (shipped: %s); train one with 'dfplan train' and pass --model", maze, ErrNoModel, strings.Join(Names(), ", "))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("embedded model %s: %w", name, err)
	}
	return dynamics.LoadBytes(data, "embedded:"+name)
}

// DistanceFor returns the learned distance shipped for a built-in maze
// (shipped/MAZE.distance.safetensors, trained by 'dfplan train-distance'),
// which the df-td planner is guided by.
func DistanceFor(maze string) (*distance.Model, error) {
	name := maze + distanceSuffix
	data, err := files.ReadFile("shipped/" + name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("maze %q: no shipped distance model; train one with 'dfplan train-distance' and pass --distance", maze)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded distance model %s: %w", name, err)
	}
	m, err := distance.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("embedded distance model %s: %w", name, err)
	}
	return m, nil
}

const distanceSuffix = ".distance.safetensors"

// PlanFor returns the planner settings shipped for a built-in maze's model
// (shipped/MAZE.plan.yaml: YAML keys of planner.Config, overriding the
// planner preset's), or nil if it has none.
func PlanFor(maze string) []byte {
	data, err := files.ReadFile("shipped/" + maze + ".plan.yaml")
	if err != nil {
		return nil
	}
	return data
}

// Names lists the mazes with a shipped model.
func Names() []string {
	entries, _ := files.ReadDir("shipped")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), distanceSuffix) {
			continue
		}
		if n, ok := strings.CutSuffix(e.Name(), ".safetensors"); ok {
			names = append(names, n)
		}
	}
	return names
}
