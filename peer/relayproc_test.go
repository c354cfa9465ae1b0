package peer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// relayProcessEnv makes the test binary serve as a relay node in a process of its own
// (BenchmarkThroughputSplit), so that the relay's CPU time can be measured apart from
// the clients'.
const relayProcessEnv = "REEF_BENCH_RELAY_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(relayProcessEnv) != "" {
		os.Exit(serveRelayProcess(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// serveRelayProcess starts a one-node devnet, prints its address, then answers every
// line read from in with the process's CPU time so far (ns), until in ends.
func serveRelayProcess(in io.Reader, out io.Writer) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	dn, err := StartDevnet(ctx, 1, WithLogger(slog.New(slog.DiscardHandler)))
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer dn.Close()
	fmt.Fprintln(out, dn.Addr(0))
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		cpu, err := cpuTime()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintln(out, int64(cpu))
	}
	return 0
}

// cpuTime is the user and system CPU time this process has used so far.
func cpuTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// relayProcess is the parent's handle on a relay started by serveRelayProcess.
type relayProcess struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

func startRelayProcess(tb testing.TB) *relayProcess {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), relayProcessEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	outR, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	r := &relayProcess{cmd: cmd, in: in, out: bufio.NewScanner(outR)}
	tb.Cleanup(func() {
		_ = r.in.Close()
		_ = r.cmd.Wait()
	})
	if !r.out.Scan() {
		tb.Fatalf("the relay process printed no address: %v", r.out.Err())
	}
	r.addr = strings.TrimSpace(r.out.Text())
	return r
}

// cpu asks the relay process for its CPU time so far.
func (r *relayProcess) cpu(tb testing.TB) time.Duration {
	tb.Helper()
	if _, err := fmt.Fprintln(r.in, "cpu"); err != nil {
		tb.Fatal(err)
	}
	if !r.out.Scan() {
		tb.Fatalf("the relay process did not answer: %v", r.out.Err())
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(r.out.Text()), 10, 64)
	if err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ns)
}

// BenchmarkThroughputSplit is BenchmarkThroughput with the relay in a process of its
// own: the clients (this process) and the relay still share the machine's cores, so
// particles/s is what the two together reach, but the relay's CPU time per particle is
// measured alone. relay-capacity is what the relay would serve with every core of this
// machine to itself: cores × 1 s / relay CPU time per particle.
func BenchmarkThroughputSplit(b *testing.B) {
	const clients = 8
	const inFlight = 16 // per client
	relay := startRelayProcess(b)
	var cs []*Node
	for range clients {
		cs = append(cs, startClient(b, relay.addr))
	}
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), relay.cpu(b)
	res, err := RunLoad(context.Background(), cs, LoadOptions{InFlight: inFlight, Count: b.N})
	if err != nil {
		b.Fatal(err)
	}
	elapsed, cpu := time.Since(start), relay.cpu(b)-cpu0
	b.StopTimer()
	perParticle := float64(cpu.Microseconds()) / float64(res.Completed)
	b.ReportMetric(float64(res.Completed)/elapsed.Seconds(), "particles/s")
	b.ReportMetric(perParticle, "relay-cpu-µs/particle")
	b.ReportMetric(float64(runtime.NumCPU())*1e6/perParticle, "relay-capacity/s")
}
