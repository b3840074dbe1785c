package solana

import (
	"fmt"
)

// Transaction is a legacy transaction: signatures then the message they sign.
type Transaction struct {
	Signatures []Signature
	Message    Message
}

// AppendTo appends the wire form of tx to b.
func (tx *Transaction) AppendTo(b []byte) []byte {
	b = AppendCompactU16(b, uint16(len(tx.Signatures)))
	for i := range tx.Signatures {
		b = append(b, tx.Signatures[i][:]...)
	}
	return tx.Message.AppendTo(b)
}

// Marshal returns the wire form of tx.
func (tx *Transaction) Marshal() []byte {
	return tx.AppendTo(make([]byte, 0, 3+64*len(tx.Signatures)+tx.Message.size()))
}

// ID is the first signature, which Solana uses as the transaction id.
func (tx *Transaction) ID() Signature {
	if len(tx.Signatures) == 0 {
		return Signature{}
	}
	return tx.Signatures[0]
}

// DecodeTransaction decodes a legacy transaction that fills b exactly and
// passes the sanitize rules. Slices in the result alias b.
func DecodeTransaction(b []byte) (Transaction, error) {
	tx, _, err := DecodeTransactionMessage(b)
	return tx, err
}

// DecodeTransactionMessage is DecodeTransaction that also returns the
// message bytes (the signed payload, aliasing b) so a caller can verify
// signatures without encoding the message again.
func DecodeTransactionMessage(b []byte) (Transaction, []byte, error) {
	var tx Transaction
	if len(b) > MaxTransactionSize {
		return tx, nil, fmt.Errorf("%w: %d bytes (max %d)", ErrTooLarge, len(b), MaxTransactionSize)
	}
	nSig, n, err := DecodeCompactU16(b)
	if err != nil {
		return tx, nil, fmt.Errorf("signature count: %w", err)
	}
	off := n
	if len(b)-off < 64*int(nSig) {
		return tx, nil, fmt.Errorf("%w: %d signatures need %d bytes, have %d", ErrTruncated, nSig, 64*int(nSig), len(b)-off)
	}
	tx.Signatures = make([]Signature, nSig)
	for i := range tx.Signatures {
		copy(tx.Signatures[i][:], b[off:])
		off += 64
	}
	msgBytes := b[off:]
	m, used, err := DecodeMessage(msgBytes)
	if err != nil {
		return tx, nil, fmt.Errorf("message: %w", err)
	}
	if used != len(msgBytes) {
		return tx, nil, fmt.Errorf("%w: %d", ErrTrailing, len(msgBytes)-used)
	}
	tx.Message = m
	if err := tx.Sanitize(); err != nil {
		return tx, nil, err
	}
	return tx, msgBytes, nil
}

// Sanitize checks the message rules and that there is one signature per required signer.
func (tx *Transaction) Sanitize() error {
	if err := tx.Message.Sanitize(); err != nil {
		return err
	}
	if len(tx.Signatures) != int(tx.Message.Header.NumRequiredSignatures) {
		return fmt.Errorf("%w: %d signatures for %d required signers",
			ErrSanitize, len(tx.Signatures), tx.Message.Header.NumRequiredSignatures)
	}
	return nil
}

// NewTransaction compiles ixs with payer as fee payer and signs with payer
// and the other signers (every signer the instructions name must be given).
func NewTransaction(ixs []Instruction, blockhash Hash, payer Keypair, signers ...Keypair) (Transaction, error) {
	tx := Transaction{Message: NewMessage(payer.Pubkey(), ixs, blockhash)}
	if err := tx.Sign(append([]Keypair{payer}, signers...)...); err != nil {
		return Transaction{}, err
	}
	return tx, nil
}

// Sign fills the signature of every required signer from the given keys.
func (tx *Transaction) Sign(keys ...Keypair) error {
	msg := tx.Message.Marshal()
	n := int(tx.Message.Header.NumRequiredSignatures)
	if len(tx.Signatures) != n {
		tx.Signatures = make([]Signature, n)
	}
	for i := 0; i < n; i++ {
		want := tx.Message.AccountKeys[i]
		found := false
		for _, k := range keys {
			if k.Pubkey() == want {
				tx.Signatures[i] = k.Sign(msg)
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%w: %s", ErrMissingSign, want)
		}
	}
	return nil
}

// Verify checks every signature against its account key.
func (tx *Transaction) Verify() error {
	return tx.VerifyMessage(tx.Message.Marshal())
}

// VerifyMessage is Verify with the signed message bytes already at hand.
func (tx *Transaction) VerifyMessage(msg []byte) error {
	if len(tx.Signatures) > len(tx.Message.AccountKeys) {
		return fmt.Errorf("%w: more signatures than account keys", ErrSignature)
	}
	for i, sig := range tx.Signatures {
		if !Verify(tx.Message.AccountKeys[i], msg, sig) {
			return fmt.Errorf("%w: signature %d (%s)", ErrSignature, i, tx.Message.AccountKeys[i])
		}
	}
	return nil
}
