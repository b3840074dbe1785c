package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"slonui/solana"
)

// runCmd runs slonui with args and returns exit code, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func keyArray(b []byte) []byte {
	s := make([]string, len(b))
	for i, x := range b {
		s[i] = strconv.Itoa(int(x))
	}
	return []byte("[" + strings.Join(s, ",") + "]")
}

func TestKeygenNewPubkeyVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "id.json")
	code, out, errs := runCmd(t, "keygen", "new", "-o", path)
	if code != exitOK {
		t.Fatalf("new: exit %d: %s", code, errs)
	}
	pub := strings.TrimSpace(out)
	kp, err := solana.ReadKeypairFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if kp.Pubkey().String() != pub {
		t.Fatalf("printed %q, file holds %s", pub, kp.Pubkey())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	if code, out, _ := runCmd(t, "keygen", "pubkey", path); code != exitOK || strings.TrimSpace(out) != pub {
		t.Fatalf("pubkey: exit %d, %q", code, out)
	}
	if code, out, _ := runCmd(t, "keygen", "verify", path); code != exitOK || out != "ok "+pub+"\n" {
		t.Fatalf("verify: exit %d, %q", code, out)
	}

	// A second new without --force refuses and leaves the file alone.
	code, _, errs = runCmd(t, "keygen", "new", "-o", path)
	if code != exitFail || !strings.Contains(errs, "refusing to overwrite") || !strings.Contains(errs, "--force") {
		t.Fatalf("overwrite without --force: exit %d, %q", code, errs)
	}
	if again, _ := solana.ReadKeypairFile(path); again.Pubkey() != kp.Pubkey() {
		t.Fatal("file changed after a refused new")
	}
	code, out, _ = runCmd(t, "keygen", "new", "-o", path, "--force")
	if code != exitOK || strings.TrimSpace(out) == pub {
		t.Fatalf("new --force: exit %d, pubkey %q (old %s)", code, out, pub)
	}
}

func TestKeygenVerifyRefusesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	good := solana.KeypairFromSeed([32]byte{3}).Bytes()
	mismatched := append([]byte(nil), good...)
	mismatched[63] ^= 0xff
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"malformed", []byte("not json"), "not a JSON array"},
		{"short", keyArray(good[:32]), "32 bytes, want 64"},
		{"mismatched", keyArray(mismatched), "bytes 32..64 are not the public key of bytes 0..32"},
		{"raw binary", good, "not a JSON array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, sub := range []string{"verify", "pubkey"} {
				code, out, errs := runCmd(t, "keygen", sub, path)
				if code != exitFail || out != "" {
					t.Fatalf("%s: exit %d, stdout %q", sub, code, out)
				}
				if !strings.Contains(errs, tc.want) || !strings.Contains(errs, path) || strings.Count(errs, "\n") != 1 {
					t.Fatalf("%s: stderr %q, want one line naming %s and %q", sub, errs, path, tc.want)
				}
			}
		})
	}
	code, _, errs := runCmd(t, "keygen", "verify", filepath.Join(dir, "missing.json"))
	if code != exitFail || !strings.Contains(errs, "no such file") {
		t.Fatalf("missing file: exit %d, %q", code, errs)
	}
}

func TestKeygenUsage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		reason   string // first line of stderr; "" for --help
		usageOut bool   // usage on stdout (help) rather than stderr
	}{
		{"help", []string{"keygen", "--help"}, exitOK, "", true},
		{"help via slonui help", []string{"help", "keygen"}, exitOK, "", true},
		{"new help", []string{"keygen", "new", "--help"}, exitOK, "", true},
		{"pubkey help", []string{"keygen", "pubkey", "-h"}, exitOK, "", true},
		{"verify help", []string{"keygen", "verify", "--help"}, exitOK, "", true},
		{"no command", []string{"keygen"}, exitUsage, "slonui keygen: missing command", false},
		{"unknown command", []string{"keygen", "grind"}, exitUsage, `slonui keygen: unknown command "grind"`, false},
		{"unknown flag", []string{"keygen", "new", "--bogus"}, exitUsage, "slonui keygen new: flag provided but not defined: -bogus", false},
		{"new without -o", []string{"keygen", "new"}, exitUsage, "slonui keygen new: missing -o FILE", false},
		{"new with extra argument", []string{"keygen", "new", "-o", "x.json", "y"}, exitUsage, `slonui keygen new: unexpected argument "y"`, false},
		{"pubkey without file", []string{"keygen", "pubkey"}, exitUsage, "slonui keygen pubkey: missing FILE", false},
		{"verify with two files", []string{"keygen", "verify", "a", "b"}, exitUsage, `slonui keygen verify: unexpected argument "b"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, errs)
			}
			if tc.usageOut {
				if !strings.HasPrefix(out, "usage: slonui keygen") || errs != "" {
					t.Fatalf("stdout %q stderr %q", out, errs)
				}
				return
			}
			first, rest, _ := strings.Cut(errs, "\n")
			if first != tc.reason && !strings.HasPrefix(first, tc.reason) {
				t.Fatalf("first line %q, want %q", first, tc.reason)
			}
			if !strings.HasPrefix(rest, "usage: slonui keygen") || out != "" {
				t.Fatalf("usage missing after the reason: stderr %q stdout %q", errs, out)
			}
		})
	}
}
