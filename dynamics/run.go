package dynamics

import (
	"github.com/dfplan/dfplan/d4rl"

	"errors"
	"fmt"
	"io/fs"
	"os"
)

// RunSpec is where a training run starts from: a fresh model, a checkpoint
// to continue, or another model's weights to fine-tune. Resolve turns it
// into the configurations the run will use.
type RunSpec struct {
	// Out is the checkpoint the run writes; with Resume, also the one it
	// continues. Without Resume an existing Out is refused.
	Out string
	// Resume continues Out when it exists, and starts afresh when it does
	// not (so the same command serves the first run and every restart).
	Resume bool
	// Init, if set, starts a new run from this model file's weights and
	// normalization: its architecture is kept, its training settings are
	// the starting point for Overlay, and the optimizer and schedule start
	// afresh. A resumed fine-tune must name the same Init.
	Init string
	// Overlay applies the run's own settings (a config file, flags) to the
	// starting configurations: the defaults, the init's or the
	// checkpoint's. It may be nil.
	Overlay func(*Config, *TrainConfig) error
	// StepsGiven reports whether Overlay sets TrainConfig.Steps; a
	// fine-tuning run needs it, since the init's step count means nothing
	// to the new run.
	StepsGiven bool
}

// RunStart is a resolved RunSpec. Config and Train are what the run will
// use; NewTrainer builds the trainer once the data is loaded.
type RunStart struct {
	Config Config
	Train  TrainConfig
	// Resumed reports that the run continues the checkpoint in Out.
	Resumed bool

	spec      RunSpec
	ckpt      []byte
	meta      *Meta // the checkpoint's, when resuming
	initModel *Model
	initMeta  *Meta
}

// StartError is a problem with a RunSpec, attributed to the setting that
// caused it: Setting is "resume", "init", "out" (ErrExists) or "" (the merged
// configurations). Usage marks a request that cannot be satisfied as
// asked (a bad value, a missing setting), as opposed to a file that is
// missing, corrupt or does not match.
type StartError struct {
	Setting string
	Usage   bool
	Err     error
}

func (e *StartError) Error() string {
	if e.Setting == "" {
		return e.Err.Error()
	}
	return e.Setting + ": " + e.Err.Error()
}

func (e *StartError) Unwrap() error { return e.Err }

// ErrExists means a run without Resume would overwrite an existing
// checkpoint.
var ErrExists = errors.New("exists; resume to continue training it, or choose another file")

func startErr(setting string, usage bool, format string, args ...any) error {
	return &StartError{Setting: setting, Usage: usage, Err: fmt.Errorf(format, args...)}
}

// Resolve reads what spec starts from and merges the configurations: the
// defaults, overridden by the init model's architecture and training
// settings or by the resumed checkpoint's, then by spec.Overlay. A resumed
// run keeps its checkpoint's architecture; a fine-tune keeps its init's.
func Resolve(spec RunSpec) (*RunStart, error) {
	r := &RunStart{spec: spec, Config: DefaultConfig(), Train: DefaultTrainConfig()}
	if spec.Resume {
		b, err := os.ReadFile(spec.Out)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, startErr("resume", false, "%w", err)
		default:
			r.ckpt, r.Resumed = b, true
		}
	} else if _, err := os.Stat(spec.Out); err == nil {
		return nil, &StartError{Setting: "out", Err: fmt.Errorf("%s: %w", spec.Out, ErrExists)}
	}
	if spec.Init != "" {
		m, meta, err := Load(spec.Init)
		if err != nil {
			return nil, startErr("init", false, "%w", err)
		}
		r.initModel, r.initMeta = m, meta
		r.Config = meta.Config
		if meta.Provenance.Train != nil {
			r.Train = *meta.Provenance.Train
		}
	}
	if r.Resumed {
		_, meta, err := LoadBytes(r.ckpt, spec.Out)
		if err != nil {
			return nil, startErr("resume", false, "%w", err)
		}
		if meta.Provenance.Train == nil || !meta.Resumable {
			return nil, startErr("resume", false, "%s holds no training state; train into a new file", spec.Out)
		}
		r.meta = meta
		r.Config, r.Train = meta.Config, *meta.Provenance.Train
		if r.initMeta != nil && meta.Provenance.InitChecksum != r.initMeta.Checksum {
			return nil, startErr("resume", false, "%s was not fine-tuned from init %s (checksums differ); drop the init to continue it, or choose another file", spec.Out, spec.Init)
		}
	} else if r.initMeta != nil && !spec.StepsGiven {
		return nil, startErr("init", true, "a fine-tune needs its number of steps")
	}
	if spec.Overlay != nil {
		if err := spec.Overlay(&r.Config, &r.Train); err != nil {
			return nil, err
		}
	}
	r.Train.Shards = min(r.Train.Shards, r.Train.Batch)
	if err := r.Config.Validate(); err != nil {
		return nil, &StartError{Usage: true, Err: err}
	}
	if err := r.Train.Validate(); err != nil {
		return nil, &StartError{Usage: true, Err: err}
	}
	if r.meta != nil && r.meta.Config != r.Config {
		return nil, startErr("resume", false, "the model config differs from the checkpoint's %+v; drop the model settings or start a new file", r.meta.Config)
	}
	if r.initMeta != nil && r.initMeta.Config != r.Config {
		return nil, startErr("init", false, "%s: the model config differs from the init's %+v; drop the model settings", spec.Init, r.initMeta.Config)
	}
	return r, nil
}

// CheckData refuses to continue a checkpoint on data other than what it was
// trained on (by the data file's SHA-256, when the checkpoint recorded it).
func (r *RunStart) CheckData(name, sha256 string) error {
	if r.meta != nil && r.meta.Provenance.DataSHA256 != "" && r.meta.Provenance.DataSHA256 != sha256 {
		return startErr("resume", false, "%s was trained on data with SHA-256 %s, but %s has %s", r.spec.Out, r.meta.Provenance.DataSHA256, name, sha256)
	}
	return nil
}

// NewTrainer builds the run's trainer on data and fills the provenance
// fields that come from where the run started (Init, InitChecksum).
func (r *RunStart) NewTrainer(data *d4rl.Dataset, prov *Provenance) (*Trainer, error) {
	switch {
	case r.Resumed:
		prov.Init, prov.InitChecksum = r.meta.Provenance.Init, r.meta.Provenance.InitChecksum
		t, _, err := ResumeTrainer(r.spec.Out, r.ckpt, r.Train, data)
		return t, err
	case r.initModel != nil:
		prov.Init, prov.InitChecksum = r.spec.Init, r.initMeta.Checksum
		return FineTuneTrainer(r.initModel, r.Train, data)
	default:
		return NewTrainer(r.Config, r.Train, data)
	}
}
