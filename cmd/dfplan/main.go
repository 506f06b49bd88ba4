// Command dfplan trains Diffusion Forcing models on maze trajectories, plans
// with them, benchmarks planners on the built-in D4RL maze2d simulator, and
// runs the planner as a ROS 1 node.
//
// Results go to stdout (tables, CSV, JSON); logs and progress go to stderr.
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// usageError marks an error the user caused with the command line itself
// (bad flag value, missing argument). It exits with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// subcommands is filled by each command file's init function.
var subcommands []func() *cobra.Command

func newRootCmd() *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:   "dfplan",
		Short: "Diffusion Forcing planner for robots: train, plan, benchmark, run on ROS",
		Example: `  dfplan bench --maze medium --planner df --episodes 10
  dfplan gen --maze umaze --steps 1000000 --out umaze.npz
  dfplan train --data umaze.npz --out umaze.safetensors`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level})))
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log debug details to stderr")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%s: %w (see '%s --help')", cmd.CommandPath(), err, cmd.CommandPath())}
	})
	for _, mk := range subcommands {
		root.AddCommand(mk())
	}
	root.SetHelpCommand(newHelpCmd())
	return root
}

// newHelpCmd is cobra's help command, except that an unknown topic is a
// usage error (one line, exit 2) instead of the root's help and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return usagef("help %s: no such command (see 'dfplan --help')", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
		// Complete command names, as cobra's own help command does.
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil || cmd == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit status:
// 0 success, 2 usage error, 1 any other failure.
func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "dfplan: %s\n", message(err))
	return exitCode(err)
}

// message is err's text on one line: cobra's suggestions for an unknown
// command ("\n\nDid you mean this?\n\tbench\n") become "; did you mean
// bench?".
func message(err error) string {
	msg, hint, ok := strings.Cut(err.Error(), "\n\nDid you mean this?\n")
	if !ok {
		return msg
	}
	return msg + "; did you mean " + strings.Join(strings.Fields(hint), " or ") + "?"
}

// exitCode is the exit status for err: 2 for a usage error (ours, or
// cobra's unknown command or stray argument), 1 for any other failure.
func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command ") {
		return 2
	}
	return 1
}
