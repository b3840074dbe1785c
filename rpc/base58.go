package rpc

import "math/bits"

// Base58 for the signatures a getSignatureStatuses request lists: appended
// to the request body, with the digits mr-tron/base58 (and so
// solana.Signature.String) gives, without a string per signature.

const b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

const (
	b58Five = 58 * 58 * 58 * 58 * 58 // five digits
	b58Ten  = b58Five * b58Five      // ten digits: the largest power of 58 below 2^64
)

// appendBase58 appends src in base58 (Bitcoin alphabet): the number is
// divided by 58^10 in 64-bit words, as mr-tron/base58 does, and each
// remainder gives ten digits. Up to 64 bytes need no heap.
func appendBase58(dst, src []byte) []byte {
	zeros := 0
	for zeros < len(src) && src[zeros] == 0 {
		zeros++
	}
	for range zeros {
		dst = append(dst, '1')
	}
	rest := src[zeros:]
	if len(rest) == 0 {
		return dst
	}
	var wordsBuf [8]uint64
	var words []uint64
	if n := (len(rest) + 7) / 8; n <= len(wordsBuf) {
		words = wordsBuf[:n]
	} else {
		words = make([]uint64, n)
	}
	// Big-endian words; the first takes the odd bytes.
	head := len(rest) - 8*(len(words)-1)
	for _, c := range rest[:head] {
		words[0] = words[0]<<8 | uint64(c)
	}
	for k := 1; k < len(words); k++ {
		var w uint64
		for _, c := range rest[head+8*(k-1) : head+8*k] {
			w = w<<8 | uint64(c)
		}
		words[k] = w
	}
	var chunksBuf [12]uint64 // 64 bytes are at most 88 digits
	chunks := chunksBuf[:0]
	for len(words) > 0 {
		var rem uint64
		for k, w := range words {
			words[k], rem = bits.Div64(rem, w, b58Ten)
		}
		chunks = append(chunks, rem)
		for len(words) > 0 && words[0] == 0 {
			words = words[1:]
		}
	}
	var digits [10]byte
	top := chunks[len(chunks)-1]
	k := len(digits)
	for ; top > 0; top /= 58 {
		k--
		digits[k] = b58Alphabet[top%58]
	}
	dst = append(dst, digits[k:]...)
	for c := len(chunks) - 2; c >= 0; c-- {
		hi, lo := uint32(chunks[c]/b58Five), uint32(chunks[c]%b58Five)
		for k := 4; k >= 0; k-- {
			digits[k] = b58Alphabet[hi%58]
			digits[k+5] = b58Alphabet[lo%58]
			hi /= 58
			lo /= 58
		}
		dst = append(dst, digits[:]...)
	}
	return dst
}
