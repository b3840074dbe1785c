package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// ErrDecode marks a file that does not decode (syntax, type or unknown key).
var ErrDecode = errors.New("config: cannot decode")

// DecodeValidatorConfig decodes a validator.toml strictly on top of
// DefaultValidatorConfig: keys the file leaves out keep their defaults, an
// unknown key is an error. path names the file in errors. It does not
// validate.
func DecodeValidatorConfig(path string, data []byte) (ValidatorConfig, error) {
	cfg := DefaultValidatorConfig()
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return ValidatorConfig{}, tomlError(path, err)
	}
	cfg.Path = path
	return cfg, nil
}

// LoadValidatorConfig reads, strictly decodes and validates a validator.toml.
func LoadValidatorConfig(path string) (ValidatorConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ValidatorConfig{}, fmt.Errorf("%s: %w", path, err)
	}
	cfg, err := DecodeValidatorConfig(path, data)
	if err != nil {
		return ValidatorConfig{}, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// tomlError renders go-toml's errors (see TOMLErrorMessages) as ErrDecode
// errors, one per unknown key.
func tomlError(path string, err error) error {
	msgs := TOMLErrorMessages(path, err)
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = decodeErrorf("%s", m)
	}
	return errors.Join(errs...)
}

// TOMLErrorMessages renders an error of a strict go-toml decode of the file
// at path as "path:line:column: message" followed by go-toml's own excerpt of
// the file: one message per unknown key, or one for any other error.
func TOMLErrorMessages(path string, err error) []string {
	var missing *toml.StrictMissingError
	if errors.As(err, &missing) {
		msgs := make([]string, 0, len(missing.Errors))
		for i := range missing.Errors {
			de := &missing.Errors[i]
			row, col := de.Position()
			msgs = append(msgs, fmt.Sprintf("%s:%d:%d: unknown key %s\n%s",
				path, row, col, strings.Join(de.Key(), "."), indent(de.String())))
		}
		return msgs
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		key := ""
		if k := de.Key(); len(k) > 0 {
			key = strings.Join(k, ".") + ": "
		}
		return []string{fmt.Sprintf("%s:%d:%d: %s%s\n%s", path, row, col, key,
			strings.TrimPrefix(de.Error(), "toml: "), indent(de.String()))}
	}
	return []string{fmt.Sprintf("%s: %v", path, err)}
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// EncodeValidatorConfig renders cfg as TOML in the guide's section order.
func EncodeValidatorConfig(cfg ValidatorConfig) ([]byte, error) {
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(cfg); err != nil {
		return nil, fmt.Errorf("config: encode validator config: %w", err)
	}
	return buf.Bytes(), nil
}
