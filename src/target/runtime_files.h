/* The run-time files of a root, as programs find them: the CA bundle and
 * directories where Go's crypto/x509 looks, the zone database and
 * /etc/localtime, /etc/hosts, passwd, group, resolv.conf, nsswitch.conf and
 * the NSS modules glibc would dlopen for it. Facts only: `check` judges a
 * program against them, `host` shows them. */
#ifndef CANRUN_RUNTIME_FILES_H
#define CANRUN_RUNTIME_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"
#include "target/provides.h"

/* What to read; each part costs file reads. */
enum {
	RF_CA = 1 << 0,      /* the bundle files; the directories when no file is readable */
	RF_CA_DIRS = 1 << 1, /* the directories always */
	RF_TZ = 1 << 2,      /* the zone database and /etc/localtime */
	RF_USERS = 1 << 3,   /* /etc/passwd, /etc/group, nsswitch.conf */
	RF_NSS = 1 << 4,     /* nsswitch.conf, the root's glibc and each source's module */
	RF_NET = 1 << 5,     /* /etc/hosts, /etc/resolv.conf */
	RF_ALL = (1 << 6) - 1,
};

/* crypto/x509's lists for Linux, in its order (root_linux.go): the first
 * readable file wins; every directory is read (the last one from Go 1.22). */
enum { RF_NCA_FILES = 6, RF_NCA_DIRS = 4 };
extern const char *const runtime_ca_files[RF_NCA_FILES];
extern const char *const runtime_ca_dirs[RF_NCA_DIRS];
/* time.LoadLocation's directories (zoneinfo_unix.go), and the regional
 * zones that stand for a whole database (some slim images have only UTC). */
enum { RF_NTZ_DIRS = 3, RF_NTZ_ZONES = 2 };
extern const char *const runtime_tz_dirs[RF_NTZ_DIRS];
extern const char *const runtime_tz_zones[RF_NTZ_ZONES];

enum rf_ca_state { RF_CA_ABSENT, RF_CA_NO_CERT, RF_CA_CERTS };

/* ---- nsswitch.conf as glibc parses it ---- */
enum nss_db { NSS_HOSTS, NSS_PASSWD, NSS_GROUP, NSS_NDB };
extern const char *const nss_db_names[NSS_NDB];
enum { NSS_MAX_SOURCES = 16, NSS_NAME_MAX = 48 };

struct nss_line {
	char sources[NSS_MAX_SOURCES][NSS_NAME_MAX];
	size_t n;
	bool listed;       /* the file has the line (else glibc's default) */
	bool odd_criteria; /* files or dns with a [STATUS=action] Go does not take as default */
};

struct nss_conf {
	bool present;
	struct nss_line db[NSS_NDB];
};

bool nss_lists(const struct nss_line *line, const char *source);

/* ---- the root's glibc and its library directories ---- */
enum { MAX_LIB_DIRS = 6, LIB_DIR_MAX = 256 };

struct glibc_root {
	char dirs[MAX_LIB_DIRS][LIB_DIR_MAX]; /* canonical, libc's first */
	size_t ndirs;
	bool found;
	bool builtin_files_dns; /* glibc 2.34+: files and dns live in libc.so.6 */
	char version[32];
};

struct nss_source {
	char name[NSS_NAME_MAX];
	bool available;
	bool builtin;                 /* inside libc.so.6 */
	char where[LIB_DIR_MAX + 64]; /* the module's path, or what says it is built in */
};

struct runtime_files {
	unsigned what;
	/* RF_CA */
	enum rf_ca_state ca_files[RF_NCA_FILES];
	int ca_taken;                   /* index of the first readable file (Go stops there), or -1 */
	bool ca_dirs_read;
	bool ca_dir_exists[RF_NCA_DIRS];
	char *ca_dir_cert[RF_NCA_DIRS]; /* its first file holding a certificate, or NULL */
	/* RF_TZ */
	bool tz_dir_exists[RF_NTZ_DIRS];
	char *tz_zone;                  /* the first regional zone file found, or NULL */
	int tz_zone_dir;                /* its directory's index, or -1 */
	bool localtime;                 /* /etc/localtime is a zone file */
	char localtime_link[256];       /* its symlink target, or "" */
	char localtime_zone[128];       /* the zone that names ("Europe/Paris"), or "" */
	/* RF_USERS, RF_NET */
	bool passwd, group, hosts, resolv;
	/* RF_USERS, RF_NSS */
	struct nss_conf nss;
	/* RF_NSS (glibc roots) */
	bool mdns_allow;                /* /etc/mdns.allow */
	struct glibc_root glibc;
	bool ld_cache;                  /* /etc/ld.so.cache was read */
	struct nss_source sources[NSS_NDB * NSS_MAX_SOURCES]; /* each source of the three lines once */
	size_t nsources;
};

/* Reads WHAT of the root of P. EF (may be NULL: x86-64) is the program
 * whose machine picks the library directories and cache entries. */
void runtime_files_read(struct runtime_files *rf, const struct provides *p, const struct elf_file *ef, unsigned what);
void runtime_files_free(struct runtime_files *rf);

/* The facts of one NSS source, or NULL. */
const struct nss_source *runtime_nss_source(const struct runtime_files *rf, const char *name);

/* Whether Go's own resolver hands host lookups to getaddrinfo, and so to
 * glibc's NSS (net/conf.go hostLookupOrder). Needs RF_NSS. */
bool runtime_hosts_via_glibc(const struct runtime_files *rf);

#endif
