package main

// A MongoDB wire-protocol proxy in front of FerretDB that
//
//   - runs write commands one at a time, across all connections. FerretDB 1.24 runs an
//     update as "query, modify in Go, write back" without isolation, so concurrent
//     updates of one document lose writes ($inc) and two updates filtered on the same
//     {version: n} can both succeed, which breaks optimistic concurrency. Reads are not
//     serialised;
//   - answers endSessions with {ok: 1} (FerretDB 1.24 lacks it);
//   - turns SQLite's unique-constraint error on update/replace/findAndModify (FerretDB
//     returns it as InternalError, code 1) into MongoDB's duplicate key error, code 11000.
//
// Drivers send one request per connection and wait for its reply (exhaust replies
// flagged moreToCome are followed through), so handling each connection as
// "read request, forward, copy reply/replies back" is exact.

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"
)

// readOnlyCommands never take the write lock. Anything not listed (including unknown
// commands and legacy opcodes other than OP_QUERY) does.
var readOnlyCommands = map[string]bool{
	"find": true, "getMore": true, "count": true, "distinct": true, "aggregate": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true,
	"buildinfo": true, "listCollections": true, "listDatabases": true, "listIndexes": true,
	"killCursors": true, "endSessions": true, "serverStatus": true, "dbStats": true,
	"dbstats": true, "collStats": true, "dataSize": true, "getParameter": true,
	"connectionStatus": true, "whatsmyuri": true, "getLog": true, "hostInfo": true,
	"explain": true, "saslStart": true, "saslContinue": true, "getCmdLineOpts": true,
	"listCommands": true, "logout": true, "currentOp": true, "getFreeMonitoringStatus": true,
	"validate": true, "lockInfo": true,
}

type proxy struct {
	backendNetwork string
	backendAddr    string
	serialize      bool
	logger         *slog.Logger

	writeMu sync.Mutex
}

func (p *proxy) serve(ctx context.Context, ln net.Listener) {
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()

	var wg sync.WaitGroup
	defer wg.Wait()

	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			p.logger.Warn("accept failed", "error", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.handle(ctx, c)
		}()
	}
}

func (p *proxy) handle(ctx context.Context, client net.Conn) {
	defer client.Close()

	backend, err := net.Dial(p.backendNetwork, p.backendAddr)
	if err != nil {
		p.logger.Error("cannot connect to FerretDB", "error", err)
		return
	}
	defer backend.Close()

	stop := context.AfterFunc(ctx, func() {
		_ = client.Close()
		_ = backend.Close()
	})
	defer stop()

	p.logger.Debug("connection started", "remote", client.RemoteAddr().String())
	defer p.logger.Debug("connection stopped", "remote", client.RemoteAddr().String())

	cr := bufio.NewReaderSize(client, 64<<10)
	br := bufio.NewReaderSize(backend, 64<<10)

	for {
		req, err := readMessage(cr)
		if err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				p.logger.Debug("read from client", "error", err)
			}
			return
		}
		if err = p.roundTrip(req, client, backend, br); err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				p.logger.Debug("round trip", "error", err)
			}
			return
		}
	}
}

func (p *proxy) roundTrip(req []byte, client, backend net.Conn, br *bufio.Reader) error {
	if rep := localReply(req); rep != nil {
		_, err := client.Write(rep)
		return err
	}

	if p.serialize && needsLock(req) {
		p.writeMu.Lock()
		defer p.writeMu.Unlock()
	}

	if _, err := backend.Write(req); err != nil {
		return err
	}
	if msgFlags(req)&flagMoreToCome != 0 {
		return nil // unacknowledged (w: 0) request: no reply
	}

	for {
		rep, err := readMessage(br)
		if err != nil {
			return err
		}
		rep = fixReply(rep)
		if _, err = client.Write(rep); err != nil {
			return err
		}
		if msgFlags(rep)&flagMoreToCome == 0 {
			return nil
		}
	}
}

// localReply answers endSessions itself: drivers send it when they close, FerretDB
// 1.24 does not know it, and every such error fills the log.
func localReply(req []byte) []byte {
	if opCode(req) != opMsg || msgFlags(req)&flagMoreToCome != 0 {
		return nil
	}
	body, err := msgBody(req)
	if err != nil || bsonFirstKey(body) != "endSessions" {
		return nil
	}
	var d bsonDoc
	d.Double("ok", 1)
	return newMsg(0, int32(binary.LittleEndian.Uint32(req[4:8])), d.Bytes())
}

// needsLock reports whether req may write.
func needsLock(req []byte) bool {
	switch opCode(req) {
	case opQuery: // legacy handshake (isMaster) only; FerretDB has no legacy writes
		return false
	case opMsg:
		body, err := msgBody(req)
		if err != nil {
			return true
		}
		return !readOnlyCommands[bsonFirstKey(body)]
	default:
		return true
	}
}

// fixReply rewrites a SQLite unique constraint failure into a duplicate key error.
func fixReply(rep []byte) []byte {
	if opCode(rep) != opMsg || msgFlags(rep) != 0 {
		return rep
	}
	body, err := msgBody(rep)
	if err != nil {
		return rep
	}
	ok := -1.0
	var errmsg string
	_ = bsonWalk(body, func(t byte, key string, val []byte) bool {
		switch key {
		case "ok":
			ok, _ = bsonNumber(t, val)
		case "errmsg":
			errmsg, _ = bsonString(t, val)
		}
		return true
	})
	const marker = "UNIQUE constraint failed"
	i := strings.Index(errmsg, marker)
	if ok != 0 || i < 0 {
		return rep
	}
	var d bsonDoc
	d.Double("ok", 0)
	d.String("errmsg", "E11000 duplicate key error ("+errmsg[i:]+")")
	d.Int32("code", 11000)
	d.String("codeName", "DuplicateKey")
	return newMsg(
		int32(binary.LittleEndian.Uint32(rep[4:8])),
		int32(binary.LittleEndian.Uint32(rep[8:12])),
		d.Bytes(),
	)
}
