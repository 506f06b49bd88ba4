// Command dfplan trains Diffusion Forcing models on maze trajectories, plans
// with them, benchmarks planners on the built-in D4RL maze2d simulator, and
// runs the planner as a ROS 1 node.
//
// Results go to stdout (tables, CSV, JSON); logs and progress go to stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/internal/atomicfile"
	"github.com/dfplan/dfplan/internal/gemm"
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

// usesNetwork annotates the commands that run the network (train, bench,
// node, model eval): they say once when its products cannot use the CPU's
// vector units (internal/gemm).
const usesNetwork = "uses-network"

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
			if cmd.Annotations[usesNetwork] != "" && !gemm.Accelerated() {
				slog.Warn("the network's matrix products run on the portable pure-Go path, several times slower", "why", gemm.Kernel())
			}
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
// 0 success, 2 usage error, 1 any other failure, and 128 + the signal's
// number (130 for SIGINT, 143 for SIGTERM) when a signal stopped the
// command.
func run(args []string) int {
	ctx, caught, release := interruptContext(context.Background())
	defer release()
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if sig := caught(); sig != nil {
		// Whatever the command made of it (an error naming what was
		// stopped, or a clean stop), the run was interrupted.
		if err == nil {
			err = interrupted{sig}
		}
		fmt.Fprintf(os.Stderr, "dfplan: %s\n", message(err))
		return 128 + int(sig.(syscall.Signal))
	}
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "dfplan: %s\n", message(err))
	return exitCode(err)
}

// interrupted is the cause of a context that a signal ended.
type interrupted struct{ sig os.Signal }

func (e interrupted) Error() string { return "interrupted by " + signalName(e.sig) }

// signalName is "SIGINT" or "SIGTERM".
func signalName(sig os.Signal) string {
	if sig == syscall.SIGINT {
		return "SIGINT"
	}
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return sig.String()
}

// interruptContext returns a context that the first SIGINT or SIGTERM
// cancels, with interrupted{sig} as its cause (context.Cause): every
// command stops its work, removes its temporary files and exits non-zero,
// or finishes a write already under way. A second signal exits at once,
// after removing the temporary files of writes under way. caught returns
// the first signal, or nil. release stops the signal handling.
func interruptContext(parent context.Context) (ctx context.Context, caught func() os.Signal, release func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var first = make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			first <- sig
			cancel(interrupted{sig})
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			n := atomicfile.RemovePending()
			fmt.Fprintf(os.Stderr, "dfplan: interrupted again by %s: exiting at once (%d unfinished file(s) removed)\n", signalName(sig), n)
			os.Exit(128 + int(sig.(syscall.Signal)))
		case <-done:
		}
	}()
	var sig os.Signal
	caught = func() os.Signal {
		select {
		case sig = <-first:
		default:
		}
		return sig
	}
	release = func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
	return ctx, caught, release
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
