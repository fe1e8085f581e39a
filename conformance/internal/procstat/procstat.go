// Package procstat reads the few /proc facts the suite needs: whether a
// process is alive and its peak resident set size (VmHWM).
package procstat

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PeakRSS returns VmHWM of pid in bytes: the high-water mark of its resident
// set since it started. Read it before the process exits.
func PeakRSS(pid int) (int64, error) {
	return statusKB(pid, "VmHWM:")
}

// TreePeakRSS is PeakRSS summed over pid and all its descendants. A launcher
// that execs its interpreter has no descendants; one that forks it would
// otherwise hide the real consumer. The sum is an upper bound of the tree's
// simultaneous peak.
func TreePeakRSS(pid int) (int64, error) {
	total, err := PeakRSS(pid)
	if err != nil {
		return 0, err
	}
	for _, child := range Descendants(pid) {
		if kb, err := PeakRSS(child); err == nil {
			total += kb
		}
	}
	return total, nil
}

func statusKB(pid int, key string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, key))
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("procstat: unexpected %q line %q", key, line)
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		return kb * 1024, err
	}
	return 0, fmt.Errorf("procstat: no %s in /proc/%d/status", key, pid)
}

// Alive reports whether pid exists and is not a zombie.
func Alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	state, _, err := stat(pid)
	return err == nil && state != "Z" && state != "X"
}

// Descendants lists all processes below pid (children, grandchildren, ...).
func Descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := filepath.Glob("/proc/[0-9]*")
	for _, e := range entries {
		p, err := strconv.Atoi(filepath.Base(e))
		if err != nil {
			continue
		}
		if _, ppid, err := stat(p); err == nil {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// stat returns the state letter and parent pid from /proc/PID/stat.
func stat(pid int) (state string, ppid int, err error) {
	fields, err := statFields(pid)
	if err != nil {
		return "", 0, err
	}
	ppid, err = strconv.Atoi(fields[1])
	return fields[0], ppid, err
}

// userHZ is the unit of the /proc/PID/stat CPU times; the kernel fixes it at
// 100 for that interface regardless of its internal tick rate.
const userHZ = 100

// CPUTime is the user+system CPU time pid has consumed so far.
func CPUTime(pid int) (time.Duration, error) {
	fields, err := statFields(pid)
	if err != nil {
		return 0, err
	}
	// After the comm field: state is field 3, utime field 14, stime field 15.
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("procstat: malformed CPU times in /proc/%d/stat", pid)
	}
	return time.Duration(utime+stime) * time.Second / userHZ, nil
}

// statFields splits /proc/PID/stat after the comm field, which may contain
// spaces and parentheses (so parsing starts after the last ')'). Index 0 is
// the state, field 3 in proc(5) numbering.
func statFields(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("procstat: malformed /proc/%d/stat", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return nil, fmt.Errorf("procstat: malformed /proc/%d/stat", pid)
	}
	return fields, nil
}

// Cmdline returns /proc/PID/cmdline with NULs turned into spaces.
func Cmdline(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(bytes.ReplaceAll(b, []byte{0}, []byte{' '})))
}

// Environ returns the environment pid was started with (/proc/PID/environ).
func Environ(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return nil, err
	}
	s := strings.TrimRight(string(b), "\x00")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\x00"), nil
}
