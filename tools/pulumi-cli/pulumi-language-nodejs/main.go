// pulumi-language-nodejs: a small Node.js language host for the Pulumi engine.
//
// Why this exists: Pulumi's own host lives in a nested Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that is never tagged, and the
// Go module proxy reachable here refuses every pseudo-version of it (403 "This module version is not
// available"). The CLI itself builds from the tagged pkg/v3 module. This host implements the part of
// the LanguageRuntime gRPC service that a TypeScript program with dynamic providers and policy packs
// needs, and starts the same Node.js entry points that Pulumi's host starts
// (@pulumi/pulumi/cmd/run, cmd/run-plugin, cmd/run-policy-pack). Users who have the official
// `pulumi` CLI installed use Pulumi's host instead; the program runs the same under both.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js SDK exits with this code after it has already reported the error to the user
// (nodeJSProcessExitedAfterLoggingUserActionableMessage in @pulumi/pulumi/cmd/run).
const exitCodeErrorAlreadyReported = 32

func main() {
	// The engine passes optional flags (--tracing URL, --logtostderr, -v=N, --root DIR) and then
	// the engine's gRPC address as the last positional argument.
	var engineAddress, tracing string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--tracing" || a == "-tracing" || a == "--root" || a == "-root":
			if i+1 < len(args) {
				if strings.HasSuffix(a, "tracing") {
					tracing = args[i+1]
				}
				i++
			}
		case strings.HasPrefix(a, "-"):
			// --logtostderr, -v=N and other logging flags: nothing to do.
		default:
			engineAddress = a
		}
	}

	// Exit with the engine, even when the CLI is killed outright (issue 17 item 4).
	watchEngine(engineAddress)

	host := &nodeHost{engineAddress: engineAddress, tracing: tracing}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of standard output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins and GetRequiredPackages report no plugins: the program's only providers are
// dynamic (served by pulumi-resource-pulumi-nodejs) or declared in Pulumi.yaml, and automatic
// plugin downloads are off in this project.
func (h *nodeHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *nodeHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	// Dependencies are installed by `npm ci` before the CLI runs; nothing to do here.
	return nil
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "node was not found on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *nodeHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// Run starts the program with @pulumi/pulumi/cmd/run, passing the same flags and environment that
// Pulumi's own host passes.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := req.GetPwd()
	rootDir := programDir
	entry := req.GetProgram()
	var options map[string]any
	if info != nil {
		programDir = info.GetProgramDirectory()
		rootDir = info.GetRootDirectory()
		if info.GetEntryPoint() != "" {
			entry = filepath.Join(programDir, info.GetEntryPoint())
		}
		if info.GetOptions() != nil {
			options = info.GetOptions().AsMap()
		}
	}
	if entry == "" {
		entry = "."
	}

	runPath, err := findSdkFile(programDir, "cmd/run")
	if err != nil {
		return nil, err
	}

	args := nodeArgs(options)
	args = append(args, runPath)
	appendFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	appendFlag("monitor", req.GetMonitorAddress())
	appendFlag("engine", h.engineAddress)
	appendFlag("organization", req.GetOrganization())
	appendFlag("project", req.GetProject())
	appendFlag("root-directory", rootDir)
	appendFlag("stack", req.GetStack())
	appendFlag("pwd", req.GetPwd())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		appendFlag("parallel", fmt.Sprint(req.GetParallel()))
	}
	appendFlag("tracing", h.tracing)
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// Marshal empty maps and lists as {} and [], never null: the SDK calls Object.keys on them.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeyList := req.GetConfigSecretKeys()
	if secretKeyList == nil {
		secretKeyList = []string{}
	}
	secretKeys, err := json.Marshal(secretKeyList)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	env = append(env, typescriptEnv(options)...)

	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "node was not found on PATH")
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	// The program dies with this host; the parent-death signal is tied to the forking thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dieWithParent(cmd)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.ExitStatus() == exitCodeErrorAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts a plugin written in Node.js: a policy pack (kind "analyzer") through
// cmd/run-policy-pack, a source-based provider (kind "resource") through cmd/run-plugin.
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	info := req.GetInfo()
	if info == nil {
		return status.Error(codes.InvalidArgument, "RunPlugin needs program info")
	}
	programDir := info.GetProgramDirectory()
	var options map[string]any
	if info.GetOptions() != nil {
		options = info.GetOptions().AsMap()
	}

	entryPoint := "cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		entryPoint = "cmd/run-policy-pack"
	}
	runPath, err := findSdkFile(programDir, entryPoint)
	if err != nil {
		return err
	}
	args := nodeArgs(options)
	args = append(args, runPath)
	if req.GetKind() == "analyzer" {
		// cmd/run-policy-pack takes <engine address> <program>, the engine address is in req.Args.
		args = append(args, req.GetArgs()...)
		args = append(args, programDir)
	} else {
		args = append(args, programDir)
		args = append(args, req.GetArgs()...)
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return status.Error(codes.FailedPrecondition, "node was not found on PATH")
	}
	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = programDir
	cmd.Env = append(append([]string{}, req.GetEnv()...), typescriptEnv(options)...)
	// The plugin dies with this host; the parent-death signal is tied to the forking thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dieWithParent(cmd)

	var mu sync.Mutex
	send := func(resp *pulumirpc.RunPluginResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return server.Send(resp)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var wg sync.WaitGroup
	forward := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse) {
		defer wg.Done()
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				if sendErr := send(wrap(append([]byte(nil), buf[:n]...))); sendErr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	wg.Add(2)
	go forward(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	go forward(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	wg.Wait()
	code := int32(0)
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// findSdkFile finds node_modules/@pulumi/pulumi/<rel> from dir upwards, as Node's resolver would.
func findSdkFile(dir, rel string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", "@pulumi", "pulumi", rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", status.Errorf(codes.FailedPrecondition,
		"@pulumi/pulumi is not installed for %s: run `npm ci` first", dir)
}

// nodeArgs returns the `nodeargs` runtime option (Pulumi.yaml runtime.options.nodeargs) as arguments.
func nodeArgs(options map[string]any) []string {
	if s, ok := options["nodeargs"].(string); ok && s != "" {
		return strings.Fields(s)
	}
	return nil
}

// typescriptEnv mirrors Pulumi's host: the `typescript` option (default true) turns on ts-node in
// cmd/run; `tsconfig` names the tsconfig file.
func typescriptEnv(options map[string]any) []string {
	ts := true
	if v, ok := options["typescript"].(bool); ok {
		ts = v
	}
	env := []string{fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", ts)}
	if s, ok := options["tsconfig"].(string); ok && s != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+s)
	}
	return env
}
