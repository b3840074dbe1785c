package rpcserver

// sendConfig is RpcSendTransactionConfig.
type sendConfig struct {
	Encoding            *string `json:"encoding"`
	SkipPreflight       bool    `json:"skipPreflight"`
	PreflightCommitment *string `json:"preflightCommitment"`
	MaxRetries          *uint64 `json:"maxRetries"`
	MinContextSlot      *uint64 `json:"minContextSlot"`
}

// sendConfig reads the optional config parameter i of sendTransaction.
// The load generator sends {"encoding":"base64","skipPreflight":true} with
// every transaction: a config of plain strings and booleans under the exact
// key names is read here, anything else by encoding/json (which also
// matches keys whatever their case, and reads the numbers).
func (p params) sendConfig(i int) (sendConfig, *Error) {
	var cfg sendConfig
	if !p.has(i) {
		return cfg, nil
	}
	if cfg.readFlat(p[i]) {
		return cfg, nil
	}
	cfg = sendConfig{}
	if err := p.decode(i, &cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// readFlat reads a config whose members are all plain: ok is false for
// any other, and cfg is then to be read again by encoding/json.
func (cfg *sendConfig) readFlat(raw []byte) bool {
	return flatMembers(raw, func(key, val []byte) bool {
		switch string(key) {
		case "encoding":
			return optString(&cfg.Encoding, val)
		case "preflightCommitment":
			return optString(&cfg.PreflightCommitment, val)
		case "skipPreflight":
			return optBool(&cfg.SkipPreflight, val)
		}
		return false
	})
}

// flatMembers calls f with the key (without quotes) and raw value of each
// member of the object raw, in order, while f returns true. Keys must be
// plain strings (see plainString); ok is false for anything else.
func flatMembers(raw []byte, f func(key, val []byte) bool) bool {
	s := scanner{data: raw}
	if s.peek() != '{' {
		return false
	}
	s.off++
	s.ws()
	if s.peek() == '}' {
		return s.off == len(raw)-1
	}
	for {
		start := s.off
		if s.peek() != '"' {
			return false
		}
		if simple, ok := s.str(); !ok || !simple {
			return false
		}
		key := raw[start+1 : s.off-1]
		s.ws()
		if s.peek() != ':' {
			return false
		}
		s.off++
		s.ws()
		vstart := s.off
		if !s.value(1) || !f(key, raw[vstart:s.off]) {
			return false
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.off++
			s.ws()
			continue
		case '}':
			return s.off == len(raw)-1
		}
		return false
	}
}

// optString sets a *string field as encoding/json does from a plain string
// or null (which clears it).
func optString(dst **string, val []byte) bool {
	if string(val) == "null" {
		*dst = nil
		return true
	}
	plain, ok := plainString(val)
	if !ok {
		return false
	}
	v := string(plain)
	*dst = &v
	return true
}

// optBool sets a bool field as encoding/json does from true or false; null
// leaves it as it is.
func optBool(dst *bool, val []byte) bool {
	switch string(val) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	case "null":
	default:
		return false
	}
	return true
}
