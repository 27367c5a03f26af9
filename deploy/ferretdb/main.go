// Command boyin-ferretdb runs an embedded FerretDB 1.24 (MongoDB wire protocol)
// with the SQLite backend, for local development and CI of Boyin.
//
// Usage:
//
//	boyin-ferretdb [-listen 127.0.0.1:37017] [-sqlite-dir DIR] [-log-level warn] [-serialize-writes=true]
//	boyin-ferretdb ping [-addr 127.0.0.1:37017] [-timeout 2s] [-q]
//
// Clients connect to a small proxy on -listen (see proxy.go) that forwards to FerretDB
// on a private Unix socket; with -serialize-writes=false FerretDB listens on -listen itself.
// The server stops gracefully on SIGTERM or SIGINT.
// "ping" sends a MongoDB {ping: 1} command and exits 0 if it got {ok: 1}.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ping" {
		os.Exit(pingMain(os.Args[2:]))
	}
	os.Exit(serveMain(os.Args[1:]))
}

func stamp() string { return time.Now().UTC().Format(time.RFC3339) }

func serveMain(args []string) int {
	fs := flag.NewFlagSet("boyin-ferretdb", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:37017", "TCP address to listen on")
	dir := fs.String("sqlite-dir", "data", "directory for SQLite database files (created if missing)")
	level := fs.String("log-level", "error", "log level: debug, info, warn (logs every failed command), error")
	serialize := fs.Bool("serialize-writes", true,
		"proxy clients and run write commands one at a time (FerretDB 1.24 loses concurrent updates otherwise)")
	_ = fs.Parse(args)
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "boyin-ferretdb: unexpected arguments %q\n", fs.Args())
		return 2
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "boyin-ferretdb: bad -log-level %q: %v\n", *level, err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	abs, err := filepath.Abs(*dir)
	if err != nil {
		logger.Error("bad -sqlite-dir", "error", err)
		return 2
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		logger.Error("cannot create -sqlite-dir", "error", err)
		return 1
	}
	// FerretDB wants a "file:" URI of an existing directory, ending with "/".
	sqliteURL := (&url.URL{Scheme: "file", Path: strings.TrimSuffix(abs, "/") + "/"}).String()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	cfg := ferretdb.Config{
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	}

	var (
		publicLn net.Listener
		sock     string
	)
	if *serialize {
		// bind the public address first, so that a busy port fails fast
		if publicLn, err = net.Listen("tcp", *listen); err != nil {
			logger.Error("cannot listen", "addr", *listen, "error", err)
			return 1
		}
		defer publicLn.Close()
		removeStaleSockets()
		sock = filepath.Join(os.TempDir(), fmt.Sprintf("boyin-ferretdb-%d.sock", os.Getpid()))
		_ = os.Remove(sock)
		defer os.Remove(sock)
		cfg.Listener.Unix = sock
	} else {
		cfg.Listener.TCP = *listen
	}

	f, err := ferretdb.New(&cfg)
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		return 1
	}

	// printed whatever the log level, so that the log always shows starts and stops
	fmt.Fprintf(os.Stderr, "%s boyin-ferretdb: pid %d listening on %s (serialize-writes=%v), data %s\n",
		stamp(), os.Getpid(), *listen, *serialize, sqliteURL)

	var wg sync.WaitGroup
	if publicLn != nil {
		p := &proxy{backendNetwork: "unix", backendAddr: sock, serialize: true, logger: logger}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.serve(ctx, publicLn)
		}()
	}

	err = f.Run(ctx)
	wg.Wait()
	if err != nil {
		logger.Error("FerretDB stopped with error", "error", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "%s boyin-ferretdb: pid %d stopped\n", stamp(), os.Getpid())
	return 0
}

// removeStaleSockets removes sockets left by killed instances.
func removeStaleSockets() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "boyin-ferretdb-*.sock"))
	for _, m := range matches {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(m), "boyin-ferretdb-%d.sock", &pid); err != nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); errors.Is(err, os.ErrNotExist) {
			_ = os.Remove(m)
		}
	}
}

func pingMain(args []string) int {
	fs := flag.NewFlagSet("boyin-ferretdb ping", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:37017", "address to ping")
	timeout := fs.Duration("timeout", 2*time.Second, "overall timeout")
	quiet := fs.Bool("q", false, "print nothing")
	_ = fs.Parse(args)

	if err := ping(*addr, *timeout); err != nil {
		if !*quiet {
			fmt.Fprintf(os.Stderr, "ping %s: %v\n", *addr, err)
		}
		return 1
	}
	if !*quiet {
		fmt.Printf("ping %s: ok\n", *addr)
	}
	return 0
}

// ping sends {ping: 1, $db: "admin"} as OP_MSG and checks for {ok: 1}.
func ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	var cmd bsonDoc
	cmd.Int32("ping", 1)
	cmd.String("$db", "admin")
	if _, err = conn.Write(newMsg(1, 0, cmd.Bytes())); err != nil {
		return err
	}

	rep, err := readMessage(conn)
	if err != nil {
		return err
	}
	if got := int32(binary.LittleEndian.Uint32(rep[8:12])); got != 1 {
		return fmt.Errorf("reply to request %d, want 1", got)
	}
	body, err := msgBody(rep)
	if err != nil {
		return err
	}
	ok := 0.0
	if err = bsonWalk(body, func(t byte, key string, val []byte) bool {
		if key == "ok" {
			ok, _ = bsonNumber(t, val)
			return false
		}
		return true
	}); err != nil {
		return err
	}
	if ok != 1 {
		return errors.New("reply has no ok: 1")
	}
	return nil
}
