/* canrun tls HOST:PORT: what a TLS client meets at that server: protocol,
 * cipher, group, ALPN, the certificate chain and its verification, and
 * which protocol versions the server accepts. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "report/tls_report.h"
#include "tls/probe.h"
#include "util/json.h"
#include "util/xalloc.h"

static void tls_usage(FILE *out)
{
	fputs("usage: canrun tls [--json] [--sni NAME] [--ca FILE] [--timeout SECONDS]\n"
	      "                  [--warn-days N] HOST:PORT\n\n"
	      "Connects to HOST:PORT ([ADDR]:PORT for IPv6) and reports what a TLS client\n"
	      "meets there: protocol, cipher suite, key-exchange group, ALPN (h2,http/1.1\n"
	      "offered), the certificate chain as sent, its verification and the host name\n"
	      "match, session resumption (reconnecting once) and OCSP stapling; then\n"
	      "TLS 1.0, 1.1, 1.2 and 1.3 are each tried alone.\n\n"
	      "  --json             one JSON document (schema: docs/json.md)\n"
	      "  --sni NAME         server name to send and check (default: HOST, none for an IP)\n"
	      "  --ca FILE          verify against the CA certificates in FILE, not the system's\n"
	      "  --timeout SECONDS  bound on each connect and handshake (default 5)\n"
	      "  --warn-days N      warn when a certificate expires within N days (default 30)\n"
	      "  -h, --help         this help\n\n"
	      "Exit status: 0 fine, 1 a failing finding, 3 warnings only, 2 no TLS handshake\n"
	      "(no such name, refused, timed out, not a TLS server), 64 usage error.\n",
	      out);
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cmd_tls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },	 { "sni", required_argument, NULL, 's' },
		{ "ca", required_argument, NULL, 'a' },	 { "timeout", required_argument, NULL, 't' },
		{ "warn-days", required_argument, NULL, 'w' }, { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false;
	long timeout = 5, warn_days = 30;
	struct tls_opts o = { 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 's': o.sni = optarg; break;
		case 'a': o.ca = optarg; break;
		case 't':
			if (parse_long(optarg, 1, 3600, &timeout) < 0) {
				fprintf(stderr, "canrun tls: --timeout: not a number of seconds (1-3600): %s\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'w':
			if (parse_long(optarg, 0, 100000, &warn_days) < 0) {
				fprintf(stderr, "canrun tls: --warn-days: not a number of days: %s\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': tls_usage(stdout); return EXIT_OK;
		default: tls_usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "canrun tls: one HOST:PORT\n");
		tls_usage(stderr);
		return EXIT_USAGE;
	}
	const char *target = argv[optind];
	char *buf = xmalloc(strlen(target) + 1);
	if (tls_split_hostport(target, buf, &o.host, &o.port) < 0) {
		fprintf(stderr, "canrun tls: not HOST:PORT or [ADDR]:PORT: %s\n", target);
		free(buf);
		return EXIT_USAGE;
	}
	o.timeout_ms = (int)timeout * 1000;
	struct tls_result r;
	char err[512];
	if (tls_probe(&o, &r, err, sizeof err) < 0) {
		fprintf(stderr, "canrun: %s: %s\n", target, err);
		free(buf);
		return EXIT_UNREADABLE;
	}
	struct findings f = { 0 };
	tls_findings(&r, warn_days, &f);
	if (json) {
		json_t *doc = tls_report_json(target, &r, &f);
		json_print(doc, stdout);
		json_decref(doc);
	} else {
		tls_report_text(stdout, target, &r, &f);
	}
	enum severity worst = findings_worst(&f);
	findings_free(&f);
	tls_result_free(&r);
	free(buf);
	return worst == SEV_FAIL ? 1 : worst >= SEV_UNKNOWN ? 3 : EXIT_OK;
}
