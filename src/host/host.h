/* `canrun host`: this machine's provides, in the model roots and images
 * use. File facts come from a root (this machine's "/" unless told), read
 * through the bounds-checked fsroot layer; kernel, CPU, cgroup and process
 * facts from this machine's syscalls and /proc. Nothing is executed. */
#ifndef CANRUN_HOST_H
#define CANRUN_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "host/cgroup.h"
#include "host/proc.h"
#include "loader/binfmt.h"
#include "loader/ldconf.h"
#include "target/provides.h"
#include "target/runtime_files.h"
#include "util/err.h"

/* A program loader found in the root. */
struct host_loader {
	char path[128];      /* the name programs ask for (PT_INTERP) */
	char real[256];      /* where it leads inside the root */
	const char *family;  /* "glibc" or "musl" */
	char machine[24];    /* the machine it is built for (kernel spelling), or "" */
	char version[32];    /* its libc's version, or "" */
};

enum { HOST_MAX_LOADERS = 24, HOST_MAX_HWCAPS = 3 };

struct host_facts {
	/* this machine */
	char kernel[80];           /* uname release */
	char kernel_version[32];   /* the Linux version it implies: "6.1.0" */
	char machine[24];          /* kernel spelling */
	const char *platform_arch; /* the Go and container spelling */
	unsigned x86_level;        /* 0 off x86-64 */
	bool no_i386;              /* x86-64 only: the kernel runs no 32-bit x86 program */
	const char *cpu_source;    /* "cpuid", "cpuinfo", "assumed" */
	struct container_facts proc;
	struct cgroup_facts cgroup;
	unsigned go_maxprocs_old;  /* Go <= 1.24 */
	unsigned go_maxprocs_new;  /* Go >= 1.25 */
	bool binfmt_mounted, binfmt_enabled;
	struct binfmt_entry *binfmt;
	size_t nbinfmt;

	/* the root */
	struct provides p;          /* kind TARGET_HOST for "/", TARGET_ROOTFS for --root */
	bool other_root;            /* --root: machine facts are not the root's */
	struct host_loader loaders[HOST_MAX_LOADERS];
	size_t nloaders;
	bool ld_cache_present, ld_cache_ok;
	const char *ld_cache_format; /* "new", "old", "compat" */
	size_t ld_cache_entries;
	char *ld_cache_generator;
	char ld_cache_problem[256];
	struct ldconf ld_conf;
	const char *hwcaps[HOST_MAX_HWCAPS]; /* glibc-hwcaps subdirs the loader searches, best first */
	size_t nhwcaps;
	char libssl[256], libcrypto[256]; /* found as the loader would, or "" */
	const char *libssl_via;           /* "cache" or "directory" */
	char openssl_version[32];         /* from libcrypto's banner, or "" */
	bool tls13;                       /* OpenSSL >= 1.1.1 */
	struct runtime_files files;
};

/* Reads every fact; ROOT_DIR NULL means this machine's "/". Returns 0, or
 * -1 with a reason when the root cannot be opened. */
int host_collect(struct host_facts *h, const char *root_dir, struct cr_err *err);
void host_facts_free(struct host_facts *h);

/* The Linux version a release names: its leading digits and dots
 * ("6.1.0-18-amd64" -> "6.1.0"). */
void kernel_version_of(const char *release, char *out, size_t len);

/* "OpenSSL X.Y.Z" inside libcrypto's bytes: the version, or false. */
bool openssl_banner_version(const unsigned char *data, size_t size, char *out, size_t len);

/* Loaders, the library search setup and OpenSSL of the root (libs.c). */
void host_read_libs(struct host_facts *h);

#endif
