package node_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"slonui/node"
)

// A node is started, its output read from the ring by sequence number, and
// restarted with the same ring so the numbers keep rising.
func ExampleStart() {
	dir, _ := os.MkdirTemp("", "node-example")
	defer os.RemoveAll(dir)

	cfg := node.DefaultConfig()
	cfg.ID = 1
	cfg.Path = "/bin/sh"
	cfg.Args = []string{"-c", `printf 'slot 1\n\033[32mok\033[0m\033[2K\nwait...\rdone\n'`}
	cfg.LogFile = filepath.Join(dir, "validator.log")
	cfg.PidFile = filepath.Join(dir, "validator.pid")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for run := 1; run <= 2; run++ {
		p, err := node.Start(ctx, cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		<-p.Done()
		if err := p.Stop(ctx); err != nil {
			fmt.Println(err)
		}
		code, sig, _ := p.ExitStatus()
		fmt.Printf("run %d exited %d %q\n", run, code, sig)
		cfg.Ring = p.Ring() // a restart continues the ring
	}
	for _, l := range cfg.Ring.Since(3, 0) {
		fmt.Printf("%d %q\n", l.Seq, l.Text)
	}
	// Output:
	// run 1 exited 0 ""
	// run 2 exited 0 ""
	// 4 "slot 1"
	// 5 "\x1b[32mok\x1b[0m"
	// 6 "done"
}
