//go:build !linux

package main

import "os/exec"

// dieWithParent is a no-op where the kernel has no parent-death signal; the program and plugins
// then rely on the engine closing their connections.
func dieWithParent(*exec.Cmd) {}
