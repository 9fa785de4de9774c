/* canrun scan DIR|image:FILE...: every ELF file of a tree or an image, with
 * what inspect, harden and check say about it, then a summary. Files are
 * analysed in parallel and reported in walk order; libraries are parsed
 * once for the whole scan; memory stays flat however many files there are. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "harden/harden.h"
#include "scan/pool.h"
#include "scan/scan_file.h"
#include "scan/summary.h"
#include "scan/walk.h"
#include "target/provides_load.h"
#include "report/sarif.h"
#include "report/scan_report.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { EXIT_FAILS = 1, EXIT_WARNS = 3 };
enum output { OUT_TEXT, OUT_JSON, OUT_JSONL, OUT_SARIF };

struct scan_options {
	const char *target_spec;
	bool no_check, summary_only, progress;
	enum output output;
	unsigned jobs, require;
	struct target_opts topts; /* --cpu, --platform */
	struct style st;
	struct sarif *sarif;      /* --sarif: the document, added to in walk order */
};

static void scan_usage(FILE *out)
{
	fputs("usage: canrun scan [--target T] [--no-check] [--require LIST] [--jsonl | --json | --sarif]\n"
	      "                   [--jobs N] DIR|image:FILE...\n\n"
	      "Finds every ELF file in a directory tree or a container image and reports\n"
	      "what it needs (inspect), how it is hardened (harden) and whether it runs on\n"
	      "one target (check), then a summary: how many fail and why, the highest\n"
	      "glibc needed, which files are Go and how they were built. Symlinks are not\n"
	      "followed and mount points not crossed. Nothing is executed.\n\n"
	      "  --target T     what to check against (see 'canrun check --help'). Default:\n"
	      "                 the image itself, a DIR that is a root file system (it has\n"
	      "                 etc/os-release or etc/ld.so.cache), else this host\n"
	      "  --no-check     inspect and harden only\n"
	      "  --require LIST protections every program and library must have, as in\n"
	      "                 'canrun harden --require' (full-relro,pie,nx,...)\n"
	      "  --cpu LEVEL    the CPU that will run them: x86-64-v1..v4 (default: this\n"
	      "                 CPU for host, else the lowest the target's release runs on)\n"
	      "  --platform P   the machine that runs the target, as linux/arm64\n"
	      "  --jsonl        one JSON object per ELF file, then {\"summary\": ...}\n"
	      "  --json         one JSON document (held in memory: use --jsonl for big trees)\n"
	      "  --sarif        SARIF 2.1.0 for code scanning: a result per finding worse\n"
	      "                 than ok and per unmet --require property (held in memory)\n"
	      "  --summary      print only the summary\n"
	      "  --jobs N       worker threads (default: the number of CPUs)\n"
	      "  --no-progress  no progress line on stderr (shown only on a terminal)\n"
	      "  --color WHEN   auto (default), always or never\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 everything runs, 1 something fails, 3 warnings or unknowns\n"
	      "only, 4 a required protection is missing, 2 some file, input or image could\n"
	      "not be read, 64 usage error.\n",
	      out);
}

/* One input being scanned: its files, where they are read from, where
 * they run, and what the reporters have said so far. */
struct scan_run {
	const struct scan_options *opt;
	struct scan_config cfg;
	const char *input;      /* as the user named it */
	struct fsroot *from;    /* image tree, or NULL for a host directory */
	char *at_prefix;        /* the files run at at_prefix + rel; NULL: /app/NAME */
	const char *target_name;
	struct scan_summary summary;
	json_t *records;        /* --json */
	bool unreadable;
	struct timespec last_progress;
	bool progress_shown;
	_Atomic size_t files;   /* regular files walked, ELF or not */
};

static bool is_root_fs(const char *dir)
{
	static const char *const markers[] = { "etc/os-release", "usr/lib/os-release", "etc/ld.so.cache" };
	for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
		char *p = path_join(dir, markers[i]);
		struct stat st;
		bool found = lstat(p, &st) == 0;
		free(p);
		if (found)
			return true;
	}
	return false;
}

static void progress_clear(struct scan_run *run)
{
	if (run->progress_shown) {
		fputs("\r\033[K", stderr);
		run->progress_shown = false;
	}
}

static void progress(struct scan_run *run, const char *path)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - run->last_progress.tv_sec) * 1000 + (now.tv_nsec - run->last_progress.tv_nsec) / 1000000;
	if (ms < 100)
		return;
	run->last_progress = now;
	/* The path's tail, so the line fits a terminal. */
	size_t len = strlen(path);
	const char *tail = len > 50 ? path + len - 50 : path;
	fprintf(stderr, "\r\033[Kscanning: %zu files, %zu ELF  %s", atomic_load(&run->files), run->summary.elf,
		len > 50 ? "..." : "");
	put_untrusted(stderr, tail);
	run->progress_shown = true;
}

/* One record's results: its check's findings worse than ok, and the
 * --require properties it lacks. */
static void add_sarif(struct scan_run *run, const char *path, const struct scan_record *r)
{
	struct sarif *doc = run->opt->sarif;
	const char *image = run->from ? run->input : NULL;
	if (r->error) {
		sarif_add_error(doc, path, r->error);
		return;
	}
	const char *verdict = r->checked ? verdict_name(r->worst) : NULL;
	for (size_t i = 0; i < r->findings.count; i++)
		if (r->findings.items[i].severity != SEV_OK)
			sarif_add_finding(doc, &r->findings.items[i], path, image, run->target_name, verdict);
	struct sarif_result where = { .path = path, .image = image, .target = run->target_name, .verdict = verdict };
	sarif_add_hardening(doc, &r->harden, r->unmet, true, &where);
}

/* Runs in walk order, one at a time: report, count, show progress. */
static void emit(void *job_ptr, void *result, void *ctx)
{
	struct scan_run *run = ctx;
	struct scan_job *job = job_ptr;
	struct scan_record *r = result;
	if (job->walk_error) {
		/* A directory the walk could not read, in its place in the order. */
		run->unreadable = true;
		progress_clear(run);
		fprintf(stderr, "canrun: %s: %s\n", job->path, strerror(job->walk_error));
		summary_add_walk_error(&run->summary, job->path, strerror(job->walk_error));
	} else {
		summary_add(&run->summary, job->path, r);
	}
	if (r && r->elf) {
		if (r->error) {
			run->unreadable = true;
			progress_clear(run);
			fprintf(stderr, "canrun: %s: %s\n", job->path, r->error);
		}
		if (run->opt->output == OUT_JSONL && r->json_line) {
			progress_clear(run);
			fputs(r->json_line, stdout);
			fputc('\n', stdout);
		} else if (run->opt->output == OUT_JSON && r->json) {
			json_array_append(run->records, r->json);
		} else if (run->opt->output == OUT_SARIF) {
			add_sarif(run, job->path, r);
		} else if (run->opt->output == OUT_TEXT && !run->opt->summary_only) {
			progress_clear(run);
			scan_print_row(stdout, &run->opt->st, run->cfg.target != NULL, job->path, r);
		}
	}
	if (run->opt->progress)
		progress(run, job->path);
	scan_record_free(r);
	scan_job_free(job);
}

static void *process(void *job_ptr, void *ctx)
{
	struct scan_run *run = ctx;
	struct scan_job *job = job_ptr;
	return job->walk_error ? NULL : scan_file(job, &run->cfg);
}

struct walk_ctx {
	struct scan_run *run;
	struct pool *pool;
};

/* Whether a host file starts like ELF. Most files of a tree are not: this
 * is the only thing done for them, here on the walking thread, so they
 * cost what a plain read of their first bytes costs. A file that cannot be
 * opened goes to a worker, which says why in its place. */
static bool maybe_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno != ELOOP;
	unsigned char head[4];
	ssize_t got = pread(fd, head, sizeof head, 0);
	close(fd);
	return got < 0 || (got == 4 && memcmp(head, "\177ELF", 4) == 0);
}

static int on_file(const struct walk_file *f, void *ctx)
{
	struct walk_ctx *w = ctx;
	atomic_fetch_add(&w->run->files, 1);
	if (!w->run->from && !maybe_elf(f->path))
		return 0;
	struct scan_job *job = xcalloc(1, sizeof *job);
	job->path = xstrdup(f->path);
	job->from = w->run->from;
	job->mode = f->mode;
	if (w->run->at_prefix)
		job->at = strcmp(w->run->at_prefix, "/") == 0 ? xstrdup(f->rel) : path_join(w->run->at_prefix, f->rel + 1);
	pool_put(w->pool, job);
	return 0;
}

static void on_walk_error(const char *path, int error, void *ctx)
{
	struct walk_ctx *w = ctx;
	struct scan_job *job = xcalloc(1, sizeof *job);
	job->path = xstrdup(path);
	job->walk_error = error;
	pool_put(w->pool, job);
}

/* The target and the tree of one input; what must be freed afterwards. */
struct scan_open {
	struct provides target, image;
	bool have_target, have_image;
	struct fsroot *host_root;
	char *dir_real;
};

/* Opens the target and the tree of one input; returns EXIT_OK, or a status
 * with the one-line reason in err. */
static int prepare(struct scan_run *run, struct scan_open *o, struct cr_err *err)
{
	const char *input = run->input;
	const struct scan_options *opt = run->opt;
	const char *spec = opt->no_check ? NULL : opt->target_spec;
	char *own_spec = NULL;
	if (strncmp(input, "image:", 6) == 0) {
		/* Without --target, the image is the target too: read it once. */
		bool same = !opt->no_check && !spec;
		struct provides *p = same ? &o->target : &o->image;
		int rc = provides_open(p, input, &opt->topts, err);
		if (rc < 0)
			return cli_target_status(rc);
		*(same ? &o->have_target : &o->have_image) = true;
		run->from = p->root;
	} else {
		const char *dir = strncmp(input, "rootfs:", 7) == 0 ? input + 7 : input;
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			int e = errno;
			cr_fail(err, "%s: %s", input, access(dir, F_OK) < 0 ? strerror(e) : "not a directory");
			return EXIT_UNREADABLE;
		}
		o->dir_real = realpath(dir, NULL);
		if (!o->dir_real) {
			cr_fail(err, "%s: %s", input, strerror(errno));
			return EXIT_UNREADABLE;
		}
		if (!opt->no_check && !spec) {
			bool root = strcmp(o->dir_real, "/") != 0 &&
				    (strncmp(input, "rootfs:", 7) == 0 || is_root_fs(o->dir_real));
			spec = root ? (own_spec = xstrdup(input)) : "host";
		}
	}
	if (spec) {
		int rc = provides_open(&o->target, spec, &opt->topts, err);
		if (rc < 0) {
			free(own_spec);
			return cli_target_status(rc);
		}
		o->have_target = true;
	}
	free(own_spec);
	struct provides *target = o->have_target ? &o->target : NULL;
	run->cfg.target = target;
	run->target_name = target ? target->name : NULL;
	/* Where the files run inside the target's root, when it has one. */
	if (target && target->root) {
		if (run->from && target->root == run->from)
			run->at_prefix = xstrdup("/");
		else if (!run->from && target->kind == TARGET_HOST)
			run->at_prefix = xstrdup(o->dir_real);
		else if (!run->from && target->kind == TARGET_ROOTFS &&
			 strcmp(fsroot_describe(target->root), o->dir_real) == 0)
			run->at_prefix = xstrdup("/");
	}
	/* FORTIFY's libc and RPATH directories: the target's root, else the
	 * scanned tree's, else this host's. */
	if (target && target->root) {
		run->cfg.rpath_root = target->root;
	} else if (run->from) {
		run->cfg.rpath_root = run->from;
	} else {
		struct cr_err ignored; /* no root: FORTIFY is unknown, RPATH dirs unchecked */
		o->host_root = fsroot_open_dir(is_root_fs(o->dir_real) ? o->dir_real : "/", &ignored);
		run->cfg.rpath_root = o->host_root;
	}
	return EXIT_OK;
}

static void print_summary_line(struct scan_summary *s, const char *input, const char *target, unsigned require)
{
	json_t *summary = summary_to_json(s, target, require);
	json_object_set_new(summary, "input", json_text(input));
	json_t *line = json_pack("{s:o}", "summary", summary);
	char *text = json_dumps(line, JSON_COMPACT);
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(line);
}

static int scan_input(const struct scan_options *opt, const char *input, bool first, json_t *scans,
		      struct libcache *cache)
{
	struct scan_run run = { .opt = opt, .input = input };
	struct scan_open o = { 0 };
	run.cfg.cache = cache;
	run.cfg.require = opt->require;
	run.cfg.want_json = opt->output == OUT_JSON || opt->output == OUT_JSONL;
	run.cfg.keep_findings = opt->output == OUT_SARIF;
	run.cfg.json_lines = opt->output == OUT_JSONL;
	struct cr_err perr;
	int status = prepare(&run, &o, &perr);
	struct fortify_libc libc = { 0 };
	bool have_libc = false;
	if (status != EXIT_OK) {
		/* The input itself: one line, and in JSON an entry in its place. */
		fprintf(stderr, "canrun: %s\n", perr.msg);
		json_t *entry = json_pack("{s:o, s:o}", "input", json_text(input), "error", json_text(perr.msg));
		if (opt->output == OUT_SARIF)
			sarif_add_error(opt->sarif, input, perr.msg);
		if (opt->output == OUT_JSON) {
			json_array_append_new(scans, entry);
		} else {
			if (opt->output == OUT_JSONL) {
				char *line = json_dumps(entry, JSON_COMPACT);
				if (line)
					printf("%s\n", line);
				free(line);
			}
			json_decref(entry);
		}
	} else {
		struct cr_err err;
		have_libc = run.cfg.rpath_root && fortify_libc_load(&libc, run.cfg.rpath_root, &err) == 0;
		run.cfg.libc = have_libc ? &libc : NULL;
		if (opt->output == OUT_JSON)
			run.records = json_array();
		if (opt->output == OUT_TEXT && !opt->summary_only) {
			if (!first)
				fputc('\n', stdout);
			scan_print_header(stdout, &opt->st, run.cfg.target != NULL);
		}
		struct pool_ops ops = { process, emit, &run };
		struct walk_ctx w = { &run, pool_start(&ops, opt->jobs, 256) };
		struct walk_ops wops = { on_file, on_walk_error, &w };
		/* Paths are reported as the user named the directory. */
		const char *dir = strncmp(input, "rootfs:", 7) == 0 ? input + 7 : input;
		int e = run.from ? walk_fsroot(run.from, &wops) : walk_host(dir, &wops);
		pool_finish(w.pool);
		progress_clear(&run);
		run.summary.files = atomic_load(&run.files);
		if (e) {
			fprintf(stderr, "canrun: %s: %s\n", input, strerror(e));
			run.unreadable = true;
		}
		if (opt->output == OUT_TEXT) {
			summary_print(stdout, &opt->st, &run.summary, run.target_name, opt->require);
		} else if (opt->output == OUT_SARIF) {
			/* the summary is for people; SARIF carries the results */
		} else if (opt->output == OUT_JSONL) {
			print_summary_line(&run.summary, input, run.target_name, opt->require);
		} else {
			json_t *summary = summary_to_json(&run.summary, run.target_name, opt->require);
			json_array_append_new(scans, json_pack("{s:o, s:o, s:o}", "input", json_text(input),
							       "files", run.records, "summary", summary));
			run.records = NULL;
		}
		if (run.unreadable)
			status = EXIT_UNREADABLE;
		else if (run.summary.verdicts[SEV_FAIL])
			status = EXIT_FAILS;
		else if (run.summary.unmet_files)
			status = EXIT_UNMET;
		else if (run.summary.verdicts[SEV_WARN] || run.summary.verdicts[SEV_UNKNOWN])
			status = EXIT_WARNS;
	}
	if (have_libc)
		fortify_libc_free(&libc);
	summary_free(&run.summary);
	if (run.records)
		json_decref(run.records);
	/* The cache's entries belong to this input's roots: they go first. */
	libcache_free(cache);
	if (o.have_target)
		provides_free(&o.target);
	if (o.have_image)
		provides_free(&o.image);
	if (o.host_root)
		fsroot_close(o.host_root);
	free(run.at_prefix);
	free(o.dir_real);
	return status;
}

/* The worst status of several inputs, in the order of the exit codes' weight. */
static int worse(int a, int b)
{
	static const int rank[] = { EXIT_OK, EXIT_WARNS, EXIT_UNMET, EXIT_FAILS, EXIT_UNREADABLE, EXIT_USAGE };
	int ra = 0, rb = 0;
	for (int i = 0; i < (int)(sizeof rank / sizeof rank[0]); i++) {
		if (rank[i] == a)
			ra = i;
		if (rank[i] == b)
			rb = i;
	}
	return ra >= rb ? a : b;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' }, { "no-check", no_argument, NULL, 'n' },
		{ "require", required_argument, NULL, 'r' }, { "cpu", required_argument, NULL, 'p' },
		{ "platform", required_argument, NULL, 'M' },
		{ "jsonl", no_argument, NULL, 'l' }, { "json", no_argument, NULL, 'j' },
		{ "sarif", no_argument, NULL, 'S' },
		{ "summary", no_argument, NULL, 's' }, { "jobs", required_argument, NULL, 'J' },
		{ "no-progress", no_argument, NULL, 'P' }, { "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct scan_options opt = { .jobs = pool_cpus(), .progress = true };
	const char *color = NULL, *require = NULL, *cpu = NULL, *platform = NULL;
	int nformats = 0, opt_c;
	optind = 1;
	while ((opt_c = getopt_long(argc, argv, "t:h", options, NULL)) != -1) {
		switch (opt_c) {
		case 't': opt.target_spec = optarg; break;
		case 'n': opt.no_check = true; break;
		case 'r': require = optarg; break;
		case 'p': cpu = optarg; break;
		case 'M': platform = optarg; break;
		case 'l': opt.output = OUT_JSONL; nformats++; break;
		case 'j': opt.output = OUT_JSON; nformats++; break;
		case 'S': opt.output = OUT_SARIF; nformats++; break;
		case 's': opt.summary_only = true; break;
		case 'J': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				fprintf(stderr, "canrun: --jobs takes a number from 1 to 256\n");
				return EXIT_USAGE;
			}
			opt.jobs = (unsigned)n;
			break;
		}
		case 'P': opt.progress = false; break;
		case 'c': color = optarg; break;
		case 'h': scan_usage(stdout); return EXIT_OK;
		default: scan_usage(stderr); return EXIT_USAGE;
		}
	}
	if (nformats > 1) {
		fprintf(stderr, "canrun: --json, --jsonl and --sarif exclude each other\n");
		return EXIT_USAGE;
	}
	if (cli_style(&opt.st, color) != EXIT_OK)
		return EXIT_USAGE;
	if (cli_target_opts(cpu, platform, &opt.topts) != EXIT_OK)
		return EXIT_USAGE;
	struct cr_err err;
	if (require && harden_require_parse(require, &opt.require, &err) < 0) {
		fprintf(stderr, "canrun: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (opt.no_check && opt.target_spec) {
		fprintf(stderr, "canrun: --no-check and --target exclude each other\n");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr, "canrun: scan needs a DIR or image:FILE\n");
		scan_usage(stderr);
		return EXIT_USAGE;
	}
	opt.progress = opt.progress && isatty(STDERR_FILENO);

	pthread_mutex_t lock;
	pthread_mutex_init(&lock, NULL);
	struct libcache cache = { .lock = &lock };
	json_t *scans = opt.output == OUT_JSON ? json_array() : NULL;
	opt.sarif = opt.output == OUT_SARIF ? sarif_new("scan", CANRUN_VERSION) : NULL;
	int status = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		int s = scan_input(&opt, argv[i], i == optind, scans, &cache);
		status = worse(status, s);
	}
	if (scans) {
		json_t *doc = json_pack("{s:o}", "scans", scans);
		if (json_print(doc, stdout) < 0)
			status = EXIT_OUTPUT;
		json_decref(doc);
	}
	if (opt.sarif && sarif_finish(opt.sarif, stdout) < 0)
		status = EXIT_OUTPUT;
	pthread_mutex_destroy(&lock);
	return status;
}
