package rpcserver

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/mr-tron/base58"

	"slonui/solana"
)

// Agave's encoded-size limits for a packet (rpc.rs decode_and_deserialize).
const (
	maxBase58Size = 1683
	maxBase64Size = 1644
)

// Type names Agave prints in decode errors.
const (
	txTypeName  = "solana_transaction::versioned::VersionedTransaction"
	msgTypeName = "solana_message::versioned::VersionedMessage"
)

// binaryEncoding resolves a transaction encoding option: base58 (also
// "binary", the default) or base64.
func binaryEncoding(enc *string) (string, *Error) {
	if enc == nil {
		return "base58", nil
	}
	switch *enc {
	case "base58", "binary":
		return "base58", nil
	case "base64":
		return "base64", nil
	case "json", "jsonParsed":
		return "", errParams("unsupported encoding: %s. Supported encodings: base58, base64", *enc)
	}
	return "", errParamsDecode("unknown variant `%s`, expected one of `binary`, `base64`, `base58`, `json`, `jsonParsed`", *enc)
}

// decodeWire is Agave's decode_and_deserialize up to the raw bytes.
func decodeWire(encoded, encoding, typeName string) ([]byte, *Error) {
	var raw []byte
	switch encoding {
	case "base58":
		if len(encoded) > maxBase58Size {
			return nil, errParams("base58 encoded %s too large: %d bytes (max: encoded/raw %d/%d)",
				typeName, len(encoded), maxBase58Size, solana.MaxTransactionSize)
		}
		b, err := base58.Decode(encoded)
		if err != nil {
			return nil, errParams("invalid base58 encoding: %s", base58Problem(encoded))
		}
		raw = b
	default:
		if len(encoded) > maxBase64Size {
			return nil, errParams("base64 encoded %s too large: %d bytes (max: encoded/raw %d/%d)",
				typeName, len(encoded), maxBase64Size, solana.MaxTransactionSize)
		}
		b, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			return nil, errParams("invalid base64 encoding: %s", base64Problem(err))
		}
		raw = b
	}
	if len(raw) > solana.MaxTransactionSize {
		return nil, errParams("decoded %s too large: %d bytes (max: %d bytes)", typeName, len(raw), solana.MaxTransactionSize)
	}
	return raw, nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Problem mirrors bs58's Debug form of a decode error.
func base58Problem(s string) string {
	for i, r := range s {
		if !strings.ContainsRune(base58Alphabet, r) {
			return fmt.Sprintf("InvalidCharacter { character: '%c', index: %d }", r, i)
		}
	}
	return "BufferTooSmall"
}

// base64Problem mirrors the base64 crate's Debug form of a decode error.
func base64Problem(err error) string {
	if e, ok := err.(base64.CorruptInputError); ok {
		return fmt.Sprintf("InvalidByte(%d, %d)", int64(e), 0)
	}
	return "InvalidLength"
}

// decodeTransaction decodes and sanitizes an encoded transaction.
func decodeTransaction(encoded, encoding string) (solana.Transaction, []byte, []byte, *Error) {
	raw, rerr := decodeWire(encoded, encoding, txTypeName)
	if rerr != nil {
		return solana.Transaction{}, nil, nil, rerr
	}
	tx, msg, err := solana.DecodeTransactionMessage(raw)
	if err != nil {
		if isSanitize(err) {
			return tx, nil, nil, errParams("invalid transaction: %v", err)
		}
		return tx, nil, nil, errParams("failed to deserialize %s: %v", txTypeName, err)
	}
	return tx, raw, msg, nil
}

func isSanitize(err error) bool {
	return strings.Contains(err.Error(), solana.ErrSanitize.Error())
}
