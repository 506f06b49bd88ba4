// Package strictyaml decodes the YAML files users write (planner settings,
// training configs) strictly: unknown keys, a second document and a
// fraction given for an integer setting are errors, each reported in one
// line. It is not a general YAML library; it wraps gopkg.in/yaml.v3.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode decodes one YAML document from data into v: unknown keys and a
// second document are errors, a fraction for an integer field is a
// *FractionError, and an empty input leaves v as it is.
func Decode(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	var more any
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return errors.New("more than one YAML document")
	}
	// yaml.v3 truncates a fraction given for an integer field (2.5 → 2):
	// compare what was written with what was kept.
	var in, out any
	if err := yaml.Unmarshal(data, &in); err != nil {
		return err
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, &out); err != nil {
		return err
	}
	return fractionKept(in, out, "")
}

// fractionKept names a number in the decoded document in whose place
// out, the same document re-encoded from the value it was decoded into,
// holds an integer it is not: a fraction given for an integer setting.
// Keys are visited in sorted order, so the same file names the same key.
func fractionKept(in, out any, key string) error {
	switch x := in.(type) {
	case map[string]any:
		o, _ := out.(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(x)) {
			vin := x[k]
			name := k
			if key != "" {
				name = key + "." + k
			}
			if err := fractionKept(vin, o[k], name); err != nil {
				return err
			}
		}
	case float64:
		if x == math.Trunc(x) {
			return nil
		}
		switch out.(type) {
		case int, nil:
			return &FractionError{key, x}
		}
	}
	return nil
}

// FractionError is a fraction given for an integer setting.
type FractionError struct {
	Key   string
	Value float64
}

func (e *FractionError) Error() string {
	return fmt.Sprintf("%s: %g, want a whole number", e.Key, e.Value)
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type`)

// Describe turns a Decode error into one line; unknown keys are named
// with prefix, their section ("model." names model.z_dim).
func Describe(err error, prefix string) string {
	if m := unknownField.FindAllStringSubmatch(err.Error(), -1); m != nil {
		var keys []string
		for _, k := range m {
			keys = append(keys, prefix+k[1])
		}
		return "unknown key " + strings.Join(keys, ", ")
	}
	msg := strings.ReplaceAll(err.Error(), "\n", ";")
	if prefix != "" {
		msg = "section " + strings.TrimSuffix(prefix, ".") + ": " + msg
	}
	return msg
}
