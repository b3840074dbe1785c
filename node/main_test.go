package node

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The test binary doubles as every child the tests start: with
// NODE_TEST_CHILD set, TestMain runs that child instead of the tests.
const childEnv = "NODE_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// childConfig is a Config that re-executes this test binary as child mode.
func childConfig(t testing.TB, mode string, args ...string) Config {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Path = exe
	cfg.Args = args
	cfg.Env = append(os.Environ(), childEnv+"="+mode)
	cfg.StopGrace = 500 * time.Millisecond
	return cfg
}

func runChild(mode string, args []string) int {
	arg := func(i int) int {
		n, _ := strconv.Atoi(args[i])
		return n
	}
	switch mode {
	case "chatty": // args: lines; as fast as it can
		w := bufio.NewWriterSize(os.Stdout, 64<<10)
		for i := 1; i <= arg(0); i++ {
			fmt.Fprintf(w, "line %07d of the chatty child\n", i)
		}
		w.Flush()
		return 0
	case "partial":
		os.Stdout.WriteString("first\nsecond\nno newline at the end")
		return 0
	case "exit": // args: code
		fmt.Println("exiting with", args[0])
		return arg(0)
	case "sleep":
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return 0
	case "stubborn": // ignores TERM and HUP
		signal.Ignore(syscall.SIGTERM, syscall.SIGHUP)
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return 0
	case "spawner": // starts a stubborn grandchild in its own group, then sleeps
		exe, _ := os.Executable()
		c := exec.Command(exe)
		c.Env = append(os.Environ(), childEnv+"=stubborn")
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Start(); err != nil {
			fmt.Println("spawn failed:", err)
			return 1
		}
		fmt.Printf("grandchild %d\n", c.Process.Pid)
		time.Sleep(time.Hour)
		return 0
	case "ticker": // a line every 10 ms
		for i := 1; ; i++ {
			fmt.Printf("tick %d\n", i)
			time.Sleep(10 * time.Millisecond)
		}
	case "size": // prints the terminal size at start and on every SIGWINCH
		winch := make(chan os.Signal, 1)
		signal.Notify(winch, syscall.SIGWINCH)
		for {
			rows, cols, err := pty.Getsize(os.Stdin)
			if err != nil {
				fmt.Println("getsize:", err)
				return 1
			}
			fmt.Printf("size %dx%d\n", cols, rows)
			<-winch
		}
	case "middle": // starts a TERM- and HUP-ignoring child via Start, prints its pid, sleeps
		exe, _ := os.Executable()
		cfg := DefaultConfig()
		cfg.Path = exe
		cfg.Env = append(os.Environ(), childEnv+"=stubborn") // survives the pty's hangup
		p, err := Start(context.Background(), cfg)
		if err != nil {
			fmt.Println("start failed:", err)
			return 1
		}
		for p.Ring().Last() == 0 { // "ready": the child ignores HUP from here on
			time.Sleep(5 * time.Millisecond)
		}
		fmt.Printf("child %d\n", p.Pid())
		time.Sleep(time.Hour)
		return 0
	}
	fmt.Fprintln(os.Stderr, "unknown child mode", mode)
	return 2
}
