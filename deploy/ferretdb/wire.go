package main

// Just enough of the MongoDB wire protocol and BSON for the proxy and "ping".

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

const (
	opReply      = 1
	opQuery      = 2004
	opCompressed = 2012
	opMsg        = 2013

	flagChecksumPresent = 1 << 0
	flagMoreToCome      = 1 << 1

	maxMessageSize = 48 << 20
)

// readMessage reads one whole wire message (header included).
func readMessage(r io.Reader) ([]byte, error) {
	var hdr [16]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(hdr[0:4])))
	if n < 16 || n > maxMessageSize {
		return nil, fmt.Errorf("bad message length %d", n)
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[12:16])) }

// msgFlags returns OP_MSG flag bits (0 for other opcodes).
func msgFlags(msg []byte) uint32 {
	if opCode(msg) != opMsg || len(msg) < 20 {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[16:20])
}

// msgBody returns the kind-0 section document of an OP_MSG.
func msgBody(msg []byte) ([]byte, error) {
	if opCode(msg) != opMsg || len(msg) < 21 {
		return nil, errors.New("not an OP_MSG")
	}
	end := len(msg)
	if msgFlags(msg)&flagChecksumPresent != 0 {
		end -= 4
	}
	for i := 20; i < end; {
		kind := msg[i]
		i++
		if i+4 > end {
			return nil, errors.New("truncated section")
		}
		size := int(int32(binary.LittleEndian.Uint32(msg[i : i+4])))
		if size < 5 || i+size > end {
			return nil, errors.New("bad section size")
		}
		if kind == 0 {
			return msg[i : i+size], nil
		}
		i += size // kind 1: size covers itself, the identifier and the documents
	}
	return nil, errors.New("no body section")
}

// newMsg builds an OP_MSG with a single body section.
func newMsg(requestID, responseTo int32, body []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, int32(16+4+1+len(body)))
	_ = binary.Write(&b, binary.LittleEndian, requestID)
	_ = binary.Write(&b, binary.LittleEndian, responseTo)
	_ = binary.Write(&b, binary.LittleEndian, int32(opMsg))
	_ = binary.Write(&b, binary.LittleEndian, uint32(0))
	b.WriteByte(0)
	b.Write(body)
	return b.Bytes()
}

// bsonWalk calls fn for each top-level element of doc until fn returns false.
// val is the raw value bytes.
func bsonWalk(doc []byte, fn func(t byte, key string, val []byte) bool) error {
	if len(doc) < 5 {
		return errors.New("short document")
	}
	end := int(int32(binary.LittleEndian.Uint32(doc[0:4])))
	if end > len(doc) || end < 5 {
		return errors.New("bad document length")
	}
	i := 4
	for i < end-1 {
		t := doc[i]
		i++
		k := bytes.IndexByte(doc[i:end], 0)
		if k < 0 {
			return errors.New("bad key")
		}
		key := string(doc[i : i+k])
		i += k + 1
		need := func(n int) bool { return i+n <= end-1 }
		var size int
		switch t {
		case 0x01, 0x09, 0x11, 0x12: // double, datetime, timestamp, int64
			size = 8
		case 0x10: // int32
			size = 4
		case 0x08: // bool
			size = 1
		case 0x07: // ObjectId
			size = 12
		case 0x13: // decimal128
			size = 16
		case 0x0A, 0x06, 0xFF, 0x7F: // null, undefined, minKey, maxKey
			size = 0
		case 0x02, 0x0D, 0x0E: // string, JS code, symbol
			if !need(4) {
				return errors.New("truncated")
			}
			size = 4 + int(int32(binary.LittleEndian.Uint32(doc[i:i+4])))
		case 0x03, 0x04, 0x0F: // document, array, code with scope
			if !need(4) {
				return errors.New("truncated")
			}
			size = int(int32(binary.LittleEndian.Uint32(doc[i : i+4])))
		case 0x05: // binary
			if !need(4) {
				return errors.New("truncated")
			}
			size = 4 + 1 + int(int32(binary.LittleEndian.Uint32(doc[i:i+4])))
		case 0x0B: // regex: two cstrings
			a := bytes.IndexByte(doc[i:end], 0)
			if a < 0 {
				return errors.New("bad regex")
			}
			b := bytes.IndexByte(doc[i+a+1:end], 0)
			if b < 0 {
				return errors.New("bad regex")
			}
			size = a + 1 + b + 1
		case 0x0C: // DBPointer
			if !need(4) {
				return errors.New("truncated")
			}
			size = 4 + int(int32(binary.LittleEndian.Uint32(doc[i:i+4]))) + 12
		default:
			return fmt.Errorf("unsupported BSON type 0x%02x for key %q", t, key)
		}
		if size < 0 || !need(size) {
			return errors.New("truncated value")
		}
		if !fn(t, key, doc[i:i+size]) {
			return nil
		}
		i += size
	}
	return nil
}

// bsonFirstKey returns the first key of doc (the command name of a command).
func bsonFirstKey(doc []byte) string {
	var name string
	_ = bsonWalk(doc, func(_ byte, key string, _ []byte) bool {
		name = key
		return false
	})
	return name
}

// bsonNumber converts a numeric BSON value to float64.
func bsonNumber(t byte, val []byte) (float64, bool) {
	switch t {
	case 0x01:
		return math.Float64frombits(binary.LittleEndian.Uint64(val)), true
	case 0x10:
		return float64(int32(binary.LittleEndian.Uint32(val))), true
	case 0x12:
		return float64(int64(binary.LittleEndian.Uint64(val))), true
	case 0x08:
		if val[0] == 1 {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// bsonString returns the Go string of a BSON string value.
func bsonString(t byte, val []byte) (string, bool) {
	if t != 0x02 || len(val) < 5 {
		return "", false
	}
	return string(val[4 : len(val)-1]), true
}

// bsonDoc is a tiny BSON document builder.
type bsonDoc struct{ b bytes.Buffer }

func (d *bsonDoc) key(t byte, k string) {
	d.b.WriteByte(t)
	d.b.WriteString(k)
	d.b.WriteByte(0)
}

func (d *bsonDoc) Double(k string, v float64) {
	d.key(0x01, k)
	_ = binary.Write(&d.b, binary.LittleEndian, math.Float64bits(v))
}

func (d *bsonDoc) Int32(k string, v int32) {
	d.key(0x10, k)
	_ = binary.Write(&d.b, binary.LittleEndian, v)
}

func (d *bsonDoc) String(k, v string) {
	d.key(0x02, k)
	_ = binary.Write(&d.b, binary.LittleEndian, int32(len(v)+1))
	d.b.WriteString(v)
	d.b.WriteByte(0)
}

func (d *bsonDoc) Bytes() []byte {
	out := make([]byte, 4, 4+d.b.Len()+1)
	out = append(out, d.b.Bytes()...)
	out = append(out, 0)
	binary.LittleEndian.PutUint32(out[0:4], uint32(len(out)))
	return out
}
