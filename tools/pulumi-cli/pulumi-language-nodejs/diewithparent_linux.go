package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent asks the kernel to SIGKILL the child when this host exits, however it exits
// (prctl PR_SET_PDEATHSIG). The signal follows the OS thread that forked the child, so callers
// keep the forking goroutine locked to its thread until the child has been waited for.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
