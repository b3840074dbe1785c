package solana

import (
	"errors"
	"fmt"
)

// MessageHeader is the three counts at the front of a legacy message.
type MessageHeader struct {
	NumRequiredSignatures       uint8
	NumReadonlySignedAccounts   uint8
	NumReadonlyUnsignedAccounts uint8
}

// CompiledInstruction refers to its program and accounts by index into the
// message's account keys.
type CompiledInstruction struct {
	ProgramIDIndex uint8
	Accounts       []uint8
	Data           []byte
}

// Message is a legacy Solana message.
type Message struct {
	Header          MessageHeader
	AccountKeys     []Pubkey
	RecentBlockhash Hash
	Instructions    []CompiledInstruction
}

// Errors of message and transaction decoding and sanitizing.
var (
	ErrTruncated   = errors.New("solana: truncated input")
	ErrTrailing    = errors.New("solana: trailing bytes after transaction")
	ErrVersioned   = errors.New("solana: versioned (v0) messages are not supported")
	ErrSanitize    = errors.New("solana: transaction failed to sanitize")
	ErrTooLarge    = errors.New("solana: transaction too large")
	ErrSignature   = errors.New("solana: signature verification failed")
	ErrMissingSign = errors.New("solana: missing signer")
)

// MaxTransactionSize is PACKET_DATA_SIZE: 1280 − 40 − 8 bytes.
const MaxTransactionSize = 1232

// AppendTo appends the wire form of m to b.
func (m *Message) AppendTo(b []byte) []byte {
	b = append(b, m.Header.NumRequiredSignatures, m.Header.NumReadonlySignedAccounts, m.Header.NumReadonlyUnsignedAccounts)
	b = AppendCompactU16(b, uint16(len(m.AccountKeys)))
	for i := range m.AccountKeys {
		b = append(b, m.AccountKeys[i][:]...)
	}
	b = append(b, m.RecentBlockhash[:]...)
	b = AppendCompactU16(b, uint16(len(m.Instructions)))
	for i := range m.Instructions {
		ix := &m.Instructions[i]
		b = append(b, ix.ProgramIDIndex)
		b = AppendCompactU16(b, uint16(len(ix.Accounts)))
		b = append(b, ix.Accounts...)
		b = AppendCompactU16(b, uint16(len(ix.Data)))
		b = append(b, ix.Data...)
	}
	return b
}

// Marshal returns the wire form of m: the bytes every signer signs.
func (m *Message) Marshal() []byte { return m.AppendTo(make([]byte, 0, m.size())) }

func (m *Message) size() int {
	n := 3 + 3 + 32*len(m.AccountKeys) + 32 + 3
	for i := range m.Instructions {
		n += 1 + 3 + len(m.Instructions[i].Accounts) + 3 + len(m.Instructions[i].Data)
	}
	return n
}

type reader struct {
	b   []byte
	off int
}

func (r *reader) compact() (int, error) {
	v, n, err := DecodeCompactU16(r.b[r.off:])
	if err != nil {
		return 0, fmt.Errorf("at byte %d: %w", r.off, err)
	}
	r.off += n
	return int(v), nil
}

func (r *reader) take(n int) ([]byte, error) {
	if n < 0 || len(r.b)-r.off < n {
		return nil, fmt.Errorf("%w: need %d bytes at byte %d, have %d", ErrTruncated, n, r.off, len(r.b)-r.off)
	}
	s := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return s, nil
}

// DecodeMessage decodes a legacy message from the front of b and returns it
// with the number of bytes it used. Slices in the result alias b.
func DecodeMessage(b []byte) (Message, int, error) {
	var m Message
	r := reader{b: b}
	if len(b) > 0 && b[0]&0x80 != 0 {
		return m, 0, ErrVersioned
	}
	h, err := r.take(3)
	if err != nil {
		return m, 0, err
	}
	m.Header = MessageHeader{h[0], h[1], h[2]}
	nKeys, err := r.compact()
	if err != nil {
		return m, 0, err
	}
	keys, err := r.take(32 * nKeys)
	if err != nil {
		return m, 0, err
	}
	m.AccountKeys = make([]Pubkey, nKeys)
	for i := range m.AccountKeys {
		copy(m.AccountKeys[i][:], keys[32*i:])
	}
	bh, err := r.take(32)
	if err != nil {
		return m, 0, err
	}
	copy(m.RecentBlockhash[:], bh)
	nIx, err := r.compact()
	if err != nil {
		return m, 0, err
	}
	if nIx > len(b)-r.off { // each instruction takes at least 3 bytes; cheap bound against huge allocations
		return m, 0, fmt.Errorf("%w: %d instructions in %d bytes", ErrTruncated, nIx, len(b)-r.off)
	}
	m.Instructions = make([]CompiledInstruction, nIx)
	for i := range m.Instructions {
		ix := &m.Instructions[i]
		p, err := r.take(1)
		if err != nil {
			return m, 0, err
		}
		ix.ProgramIDIndex = p[0]
		na, err := r.compact()
		if err != nil {
			return m, 0, err
		}
		if ix.Accounts, err = r.take(na); err != nil {
			return m, 0, err
		}
		nd, err := r.compact()
		if err != nil {
			return m, 0, err
		}
		if ix.Data, err = r.take(nd); err != nil {
			return m, 0, err
		}
	}
	return m, r.off, nil
}

// Sanitize applies Solana's legacy-message sanitize rules.
func (m *Message) Sanitize() error {
	h := m.Header
	n := len(m.AccountKeys)
	if int(h.NumRequiredSignatures)+int(h.NumReadonlyUnsignedAccounts) > n {
		return fmt.Errorf("%w: %d required signatures + %d read-only unsigned accounts > %d account keys",
			ErrSanitize, h.NumRequiredSignatures, h.NumReadonlyUnsignedAccounts, n)
	}
	if h.NumReadonlySignedAccounts >= h.NumRequiredSignatures {
		return fmt.Errorf("%w: no writable fee payer (%d read-only signed of %d signers)",
			ErrSanitize, h.NumReadonlySignedAccounts, h.NumRequiredSignatures)
	}
	for i, ix := range m.Instructions {
		if int(ix.ProgramIDIndex) >= n {
			return fmt.Errorf("%w: instruction %d: program index %d out of %d keys", ErrSanitize, i, ix.ProgramIDIndex, n)
		}
		if ix.ProgramIDIndex == 0 {
			return fmt.Errorf("%w: instruction %d: the fee payer cannot be the program", ErrSanitize, i)
		}
		for _, a := range ix.Accounts {
			if int(a) >= n {
				return fmt.Errorf("%w: instruction %d: account index %d out of %d keys", ErrSanitize, i, a, n)
			}
		}
	}
	return nil
}

// IsSigner reports whether account key i must sign.
func (m *Message) IsSigner(i int) bool { return i < int(m.Header.NumRequiredSignatures) }

// IsWritable reports whether account key i may be written, by its position.
func (m *Message) IsWritable(i int) bool {
	h := m.Header
	nSig := int(h.NumRequiredSignatures)
	if i < nSig {
		return i < nSig-int(h.NumReadonlySignedAccounts)
	}
	return i < len(m.AccountKeys)-int(h.NumReadonlyUnsignedAccounts)
}

// FeePayer is account key 0.
func (m *Message) FeePayer() Pubkey {
	if len(m.AccountKeys) == 0 {
		return Pubkey{}
	}
	return m.AccountKeys[0]
}

// AccountMeta describes one account an instruction touches.
type AccountMeta struct {
	Pubkey     Pubkey
	IsSigner   bool
	IsWritable bool
}

// Instruction is an uncompiled instruction: program and account keys in full.
type Instruction struct {
	ProgramID Pubkey
	Accounts  []AccountMeta
	Data      []byte
}

// NewMessage compiles instructions into a legacy message with payer first,
// then writable signers, read-only signers, writable non-signers and
// read-only non-signers, each group in order of first appearance.
func NewMessage(payer Pubkey, ixs []Instruction, blockhash Hash) Message {
	type flags struct{ signer, writable bool }
	order := []Pubkey{payer}
	seen := map[Pubkey]*flags{payer: {signer: true, writable: true}}
	add := func(k Pubkey, signer, writable bool) {
		f, ok := seen[k]
		if !ok {
			f = &flags{}
			seen[k] = f
			order = append(order, k)
		}
		f.signer = f.signer || signer
		f.writable = f.writable || writable
	}
	for _, ix := range ixs {
		for _, a := range ix.Accounts {
			add(a.Pubkey, a.IsSigner, a.IsWritable)
		}
		add(ix.ProgramID, false, false)
	}
	var groups [4][]Pubkey
	for _, k := range order {
		f := seen[k]
		g := 0
		switch {
		case f.signer && f.writable:
			g = 0
		case f.signer:
			g = 1
		case f.writable:
			g = 2
		default:
			g = 3
		}
		groups[g] = append(groups[g], k)
	}
	var m Message
	m.Header.NumRequiredSignatures = uint8(len(groups[0]) + len(groups[1]))
	m.Header.NumReadonlySignedAccounts = uint8(len(groups[1]))
	m.Header.NumReadonlyUnsignedAccounts = uint8(len(groups[3]))
	for _, g := range groups {
		m.AccountKeys = append(m.AccountKeys, g...)
	}
	index := make(map[Pubkey]uint8, len(m.AccountKeys))
	for i, k := range m.AccountKeys {
		index[k] = uint8(i)
	}
	m.RecentBlockhash = blockhash
	for _, ix := range ixs {
		ci := CompiledInstruction{ProgramIDIndex: index[ix.ProgramID], Data: ix.Data, Accounts: make([]uint8, len(ix.Accounts))}
		for j, a := range ix.Accounts {
			ci.Accounts[j] = index[a.Pubkey]
		}
		m.Instructions = append(m.Instructions, ci)
	}
	return m
}
