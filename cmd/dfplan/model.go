package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/dynamics"
)

func init() { subcommands = append(subcommands, newModelCmd) }

func newModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Inspect trained models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("model: name a subcommand (see 'dfplan model --help')")
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "info MODEL.safetensors",
		Short: "Print a model's config, normalization and provenance as JSON",
		Long: `Info verifies the checkpoint (format, checksum, weights against config) and
prints JSON with the keys config, normalization, provenance (provenance.steps
is the number of optimizer steps taken), checksum and parameters.`,
		Example: `  dfplan model info umaze.safetensors
  dfplan model info umaze.safetensors | jq .provenance.val_loss`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("model info: want exactly one MODEL file, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			_, meta, err := dynamics.Load(args[0])
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(meta, "", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(b))
			return nil
		},
	})
	return cmd
}
