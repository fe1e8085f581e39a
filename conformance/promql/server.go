package promqlconf

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"time"
)

// Server is a Sluice process running `serve-prometheus-api --test-mode`.
type Server struct {
	// QueryURL is the query API's base URL, WriteURL the remote-write endpoint.
	QueryURL string
	WriteURL string

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	done   chan struct{}
	mu     sync.Mutex
	exited bool
}

// ServerConfig says how to start Sluice.
type ServerConfig struct {
	Node    string    // the node binary
	CLI     string    // dist/backend/cli.js
	DataDir string    // deleted and recreated by the server
	Stderr  io.Writer // the server's log
}

// StartServer starts Sluice and waits for the one stdout line with its addresses.
func StartServer(cfg ServerConfig) (*Server, error) {
	cmd := exec.Command(cfg.Node, cfg.CLI, "serve-prometheus-api", "--test-mode",
		"--data-dir", cfg.DataDir, "--listen", "127.0.0.1:0", "--ingest-listen", "127.0.0.1:0",
		"--exit-with-stdin", "--log-level", "warn")
	cmd.Stderr = cfg.Stderr
	// Sluice exits when this pipe closes, also when this process dies without cleaning up.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s %s: %w", cfg.Node, cfg.CLI, err)
	}
	s := &Server{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r)
	}()
	go func() {
		_ = cmd.Wait()
		s.mu.Lock()
		s.exited = true
		s.mu.Unlock()
		close(s.done)
	}()
	select {
	case line := <-lines:
		var addrs struct {
			Query string  `json:"query"`
			Write *string `json:"write"`
		}
		if err := json.Unmarshal([]byte(line), &addrs); err != nil || addrs.Query == "" || addrs.Write == nil {
			s.Kill()
			return nil, fmt.Errorf("sluice printed %q instead of its addresses", line)
		}
		s.QueryURL = "http://" + addrs.Query
		s.WriteURL = "http://" + *addrs.Write + "/api/v1/write"
		return s, nil
	case <-time.After(60 * time.Second):
		s.Kill()
		return nil, errors.New("sluice did not print its addresses within 60 s")
	}
}

// Alive reports whether the process is still running.
func (s *Server) Alive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.exited
}

// Reset empties Sluice's store (POST /-/reset, test mode only).
func (s *Server) Reset(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.QueryURL+"/-/reset", nil)
	if err != nil {
		return err
	}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("resetting Sluice: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("resetting Sluice: HTTP %d: %s", res.StatusCode, body)
	}
	return nil
}

// Close asks Sluice to stop (stdin closes) and waits; it is killed after 10 s.
func (s *Server) Close() {
	_ = s.stdin.Close()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.Kill()
	}
}

// Kill ends the process at once and waits for it.
func (s *Server) Kill() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Kill)
	}
	<-s.done
}
