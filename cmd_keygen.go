package main

import (
	"errors"
	"fmt"
	"io"

	"slonui/solana"
)

// slonui keygen new|pubkey|verify: Solana CLI keypair files, as the guide's
// slonana_keygen lines use them.

func init() {
	register(command{name: "keygen", summary: "make, show and verify Solana CLI keypair files", run: runKeygen})
}

const keygenUsage = `usage: slonui keygen <command> [flags]

commands:
  new -o FILE [--force]  write a new keypair (mode 0600) and print its public key
  pubkey FILE            print the public key of a keypair file
  verify FILE            check that the file is a valid keypair: prints "ok <pubkey>",
                         or the reason and exit status 1

A keypair file is the Solana CLI format: a JSON array of 64 numbers,
the 32-byte ed25519 seed followed by the 32-byte public key.
`

func runKeygen(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "slonui keygen: missing command (new, pubkey or verify)")
		fmt.Fprint(stderr, keygenUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, keygenUsage)
		return exitOK
	case "new":
		return keygenNew(args[1:], stdout, stderr)
	case "pubkey":
		return keygenPubkey(args[1:], stdout, stderr)
	case "verify":
		return keygenVerify(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "slonui keygen: unknown command %q\n", args[0])
	fmt.Fprint(stderr, keygenUsage)
	return exitUsage
}

func keygenNew(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("keygen new", "keygen new -o FILE [--force]")
	out := fs.String("o", "", "write the keypair to `FILE` (required)")
	fs.StringVar(out, "outfile", "", "same as -o")
	force := fs.Bool("force", false, "overwrite an existing file")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usageError(fs, stderr, "missing -o FILE")
	}
	kp, err := solana.NewKeypair()
	if err != nil {
		fmt.Fprintf(stderr, "slonui keygen new: %v\n", err)
		return exitFail
	}
	if err := solana.WriteKeypairFile(*out, kp, *force); err != nil {
		if errors.Is(err, solana.ErrExists) {
			fmt.Fprintf(stderr, "slonui keygen new: %s exists; refusing to overwrite it (use --force)\n", *out)
			return exitFail
		}
		fmt.Fprintf(stderr, "slonui keygen new: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stderr, "Wrote new keypair to %s\n", *out)
	fmt.Fprintln(stdout, kp.Pubkey())
	return exitOK
}

// keygenFileArg parses a subcommand that takes exactly one FILE.
func keygenFileArg(name string, args []string, stdout, stderr io.Writer) (string, int) {
	fs := flagSet("keygen "+name, "keygen "+name+" FILE")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return "", code
	}
	switch fs.NArg() {
	case 0:
		return "", usageError(fs, stderr, "missing FILE")
	case 1:
		return fs.Arg(0), -1
	}
	return "", usageError(fs, stderr, "unexpected argument %q", fs.Arg(1))
}

func keygenPubkey(args []string, stdout, stderr io.Writer) int {
	path, code := keygenFileArg("pubkey", args, stdout, stderr)
	if code >= 0 {
		return code
	}
	kp, err := solana.ReadKeypairFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "slonui keygen pubkey: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(stdout, kp.Pubkey())
	return exitOK
}

func keygenVerify(args []string, stdout, stderr io.Writer) int {
	path, code := keygenFileArg("verify", args, stdout, stderr)
	if code >= 0 {
		return code
	}
	kp, err := solana.ReadKeypairFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "slonui keygen verify: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "ok %s\n", kp.Pubkey())
	return exitOK
}
