#include "model/finding_rules.h"

#include <stddef.h>
#include <string.h>

struct rule_text {
	const char *id, *text;
};

/* Sorted by id; the ids of check (docs/json.md) and of harden's notes. */
static const struct rule_text rules[] = {
	{ "ca-bundle", "The target has the CA certificates a Go program's crypto/x509 reads." },
	{ "ca-bundle-missing", "The target has no CA certificates where Go looks: TLS connections fail with "
			       "\"certificate signed by unknown authority\"." },
	{ "canary-go", "Go code has no stack canary by design: the Go runtime checks stack bounds." },
	{ "canary-unknown", "Whether a stripped static program has a stack canary cannot be told." },
	{ "cpu-level", "The program needs a newer x86-64 level (ISA marking or GOAMD64) than the target's CPU." },
	{ "exec-stack", "A library asks for an executable stack, which glibc 2.41 and later refuse to dlopen." },
	{ "fortify-note", "How FORTIFY was counted, or why it cannot be." },
	{ "glibc-too-old", "The program needs a newer glibc than the target has." },
	{ "go-external-link-no-runtime-cgo", "A Go program linked by the system linker without runtime/cgo: "
					     "the runtime stops it with SIGTRAP at start on every target." },
	{ "interpreter-bad", "The program's loader (PT_INTERP) is no loader for this machine." },
	{ "interpreter-missing", "The program's loader (PT_INTERP) does not exist on the target." },
	{ "kernel-too-old", "The program needs a newer Linux kernel than the target runs." },
	{ "library-found", "A library the program needs is in the target's minimal install." },
	{ "library-missing", "A library the program needs is nowhere the target's loader looks." },
	{ "library-package", "A library the program needs is not installed by default, but a package of the "
			     "release ships it." },
	{ "library-unknown", "Whether the target has a library the program needs cannot be told from its profile." },
	{ "library-version-missing", "A library on the target lacks a symbol version the program needs." },
	{ "library-wrong-class", "The library the loader finds is for the other class (32/64-bit)." },
	{ "loader-error", "The target's loader refuses to start the program." },
	{ "loader-warning", "The target's loader warns at start (a library without the version information "
			    "the program expects)." },
	{ "machine-compat", "A 32-bit ARM program on an arm64 kernel: it starts only where the CPU keeps "
			    "its 32-bit mode." },
	{ "machine-emulated", "A program for another machine that this host runs through an emulator "
			      "(binfmt_misc)." },
	{ "machine-mismatch", "The program is built for another machine than the target's: execve fails "
			      "with \"Exec format error\"." },
	{ "no-code", "The file is a separate debug file: it has segment sizes but no code." },
	{ "nss-module-missing", "An NSS module /etc/nsswitch.conf names is missing: glibc skips it silently." },
	{ "nss-modules", "Every NSS module the program's lookups use is on the target." },
	{ "nss-unknown", "Which NSS modules an installed system has cannot be known from its profile." },
	{ "nsswitch-default", "The target has no /etc/nsswitch.conf: glibc uses its defaults." },
	{ "nx-default", "No PT_GNU_STACK: the architecture's default applies, an executable stack on x86." },
	{ "passwd", "The target has the /etc/passwd a Go program's os/user reads." },
	{ "passwd-missing", "The target has no /etc/passwd: os/user lookups fail." },
	{ "relro-weak", "RELRO protects less than its flags say." },
	{ "rpath-unsafe", "An RPATH entry lets others choose the libraries the program loads." },
	{ "runpath-unsafe", "A RUNPATH entry lets others choose the libraries the program loads." },
	{ "symbol-missing", "A symbol the program binds at start is defined nowhere in its libraries." },
	{ "symbol-missing-lazy", "A symbol the program calls is defined nowhere: the first call ends the program." },
	{ "symbols-from-host", "A library's undefined symbols must come from the program that loads it (a plugin)." },
	{ "textrel", "Text relocations: the code pages are made writable at load time." },
	{ "tzdata", "The target has the zone database a Go program's time.LoadLocation reads." },
	{ "tzdata-missing", "The target has no zone database: time.LoadLocation fails with \"unknown time zone\"." },
	{ "upx-packed", "Packed with UPX: what can be read is the unpacker's stub." },
};

const char *finding_rule_text(const char *id)
{
	size_t lo = 0, hi = sizeof rules / sizeof rules[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, rules[mid].id);
		if (c == 0)
			return rules[mid].text;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
