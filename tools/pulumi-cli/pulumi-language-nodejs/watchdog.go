package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// How often the host checks that the engine is still there, and how many failed checks in a row
// end it. Issue 17 item 4: a CLI killed with SIGKILL cannot stop its plugins, and hosts (with the
// Node.js program under them) were found alive 90 minutes after their engine had gone.
const (
	watchInterval       = 500 * time.Millisecond
	engineDialTimeout   = time.Second
	engineChecksToStop  = 2
	engineCheckInterval = 2 * time.Second
)

// watchEngine returns at once and, in the background, ends this process (exit code 1, one line on
// stderr) when the engine goes: when the parent process changes (the CLI died and the host was
// re-parented to init or a subreaper) or when engineAddress refuses connections engineChecksToStop
// times in a row (the parent check alone does not work where a parent's death changes no ppid). Children started with dieWithParent are killed by the kernel
// when this process exits. An empty engineAddress only disables the second check.
func watchEngine(engineAddress string) {
	parent := os.Getppid()
	go func() {
		failures := 0
		lastDial := time.Now()
		for range time.Tick(watchInterval) {
			if os.Getppid() != parent {
				stop("the Pulumi CLI that started this language host has exited")
			}
			if engineAddress == "" || time.Since(lastDial) < engineCheckInterval {
				continue
			}
			lastDial = time.Now()
			conn, err := net.DialTimeout("tcp", engineAddress, engineDialTimeout)
			if err == nil {
				failures = 0
				_ = conn.Close()
				continue
			}
			// Only "refused" means nobody listens any more; a slow answer from a busy engine does not.
			if !errors.Is(err, syscall.ECONNREFUSED) {
				continue
			}
			failures++
			if failures >= engineChecksToStop {
				stop(fmt.Sprintf("the Pulumi engine at %s no longer accepts connections", engineAddress))
			}
		}
	}()
}

func stop(why string) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %s; stopping\n", why)
	os.Exit(1)
}
