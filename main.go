// Command slonui is a terminal console for local clusters of Slonana
// (Solana-compatible) validators. main.go parses the command line and
// dispatches to a subcommand; each subcommand lives in its own cmd_*.go file
// and registers itself in init.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// command is one subcommand: run gets the arguments after its name and
// returns the process exit code.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("duplicate subcommand " + c.name)
	}
	commands[c.name] = c
}

// defaultClusterDir is where a cluster lives when --dir is not given. It is
// not ./cluster: run from this repository's root, that is the cluster package.
const defaultClusterDir = "./slonui-cluster"

// defaultCommand runs when the first argument is a flag or absent (the console).
var defaultCommand string

// gcPercent is the garbage collector's target for commands that allocate
// per transaction, when GOGC is not set. In a 10,000/s ramp, GOGC=400 for
// every process cut CPU per transaction by 5% in the nodes and 11% in the
// generator. The load generator takes 400; the validator takes 200, so an
// idle node stays well inside its memory budget (23-24 MB RSS measured).
var gcPercent = map[string]int{"validator": 200, "load": 400}

func main() {
	name := commandName(os.Args[1:])
	if p, ok := gcPercent[name]; ok && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(p)
	}
	stop := startProfile(os.Getenv("SLONUI_CPUPROFILE_DIR"), name)
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// commandName is the subcommand args run ("slonui" when there is none).
func commandName(args []string) string {
	name := defaultCommand
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name = args[0]
	}
	if name == "" {
		name = "slonui"
	}
	return name
}

// startProfile, with dir set (SLONUI_CPUPROFILE_DIR, for make bench and
// profiling a cluster under load), writes a CPU profile of this process to
// dir/NAME-PID.pprof, ended by the returned func.
func startProfile(dir, name string) (stop func()) {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", name, os.Getpid())))
	if err != nil {
		fmt.Fprintf(os.Stderr, "slonui: SLONUI_CPUPROFILE_DIR: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintf(os.Stderr, "slonui: SLONUI_CPUPROFILE_DIR: %v\n", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") && defaultCommand == "" {
			usage(stdout)
			return exitOK
		}
		if defaultCommand == "" {
			usage(stderr)
			if len(args) == 0 {
				return exitUsage
			}
			fmt.Fprintf(stderr, "slonui: unknown flag %s\n", args[0])
			return exitUsage
		}
		return commands[defaultCommand].run(args, stdout, stderr)
	}
	if args[0] == "help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run([]string{"--help"}, stdout, stderr)
			}
		}
		usage(stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "slonui: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: slonui [flags]            run the console (see slonui --help)")
	fmt.Fprintln(w, "       slonui <command> [flags]  (slonui <command> --help for its flags)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// flagSet makes a FlagSet for a subcommand; synopsis is the usage line after
// "slonui " (name, flags, positional arguments). Parse errors are reported by
// parseFlags, not by the flag package.
func flagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: slonui %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args. It returns (-1, nil) when the caller should go on;
// otherwise the exit code to return: 0 after --help (usage on stdout), 2 on a
// bad flag (a one-line reason and the usage on stderr).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	err := fs.Parse(args)
	if err == nil {
		return -1
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	}
	fmt.Fprintf(stderr, "slonui %s: %v\n", fs.Name(), err)
	fs.SetOutput(stderr)
	fs.Usage()
	return exitUsage
}

// usageError reports a bad invocation found after flag parsing.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "slonui %s: %s\n", fs.Name(), fmt.Sprintf(format, a...))
	fs.SetOutput(stderr)
	fs.Usage()
	return exitUsage
}
