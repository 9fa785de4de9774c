/* canrun tls: one TLS handshake against HOST:PORT, bounded by a timeout,
 * and what it showed: protocol, cipher, group, ALPN, the certificate chain
 * as sent and its verification; then one handshake per protocol version. */
#ifndef CANRUN_TLS_PROBE_H
#define CANRUN_TLS_PROBE_H

#include <stdbool.h>
#include <stddef.h>

struct tls_opts {
	const char *host, *port; /* from HOST:PORT; host without brackets */
	const char *sni;         /* NULL: the host name, and none for an IP address */
	const char *ca;          /* a PEM file of trusted CAs; NULL: the system store */
	int timeout_ms;          /* bounds each connect and each handshake */
};

struct tls_cert {
	char *subject, *issuer; /* one line, as openssl prints them ("CN = localhost") */
	char *sans;             /* "DNS:localhost, IP:127.0.0.1"; NULL if none */
	char *key_type;         /* "EC", "RSA", ... */
	int key_bits;
	char *key_group;        /* "prime256v1"; NULL for RSA */
	char *sig_alg;          /* "ecdsa-with-SHA256" */
	char *not_before, *not_after; /* "Nov 27 10:25:04 2026 GMT" */
	long days_left;         /* to notAfter; negative once expired */
	bool expired, not_yet_valid, self_signed;
	bool sha1;              /* signed with a SHA-1 digest */
};

enum tls_version_result { TLSV_ACCEPTED, TLSV_REFUSED, TLSV_ERROR };

struct tls_version_probe {
	const char *name; /* "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" */
	enum tls_version_result result;
	char *detail;     /* the cipher when accepted, else the reason */
};

/* One error the chain verification met; text is OpenSSL's static string. */
struct tls_verify_error {
	long code;
	int depth;
	const char *text;
};

#define TLS_MAX_VERIFY_ERRORS 16

struct tls_result {
	char *address;  /* the address connected to, "127.0.0.1" */
	char *sni;      /* sent, or NULL */
	char *name;     /* the name checked against the certificate */
	char *protocol, *cipher, *group, *alpn; /* alpn NULL: none selected */
	struct tls_cert *chain;
	size_t nchain;
	long verify_code;
	char *verify_text;  /* X509_verify_cert_error_string */
	char *ca;           /* "system" or the --ca file */
	/* Every error, in order: verification goes on past each, as s_client's does. */
	struct tls_verify_error verify_errors[TLS_MAX_VERIFY_ERRORS];
	size_t nverify_errors;
	int name_match;     /* 1 yes, 0 no, -1 could not check */
	bool ocsp_stapled;  /* a status response came back to status_request */
	bool resumable;     /* the server gave a session ID or ticket to resume */
	bool ticket;        /* ... and it was a ticket */
	long ticket_hint;   /* its lifetime hint in seconds; 0 if none */
	int resumed;        /* a second handshake resumed it: 1, 0; -1 not tried */
	struct tls_version_probe versions[4];
};

/* Runs the probes. Returns 0, or -1 with a one-line reason in err when no
 * handshake could be made (no address, refused, timeout, not TLS). */
int tls_probe(const struct tls_opts *o, struct tls_result *r, char *err, size_t errlen);
void tls_result_free(struct tls_result *r);

/* Splits "host:port", "[v6]:port" (port 1-65535 in digits); returns -1 when
 * it is neither, the host is empty or the port is not a port number. The
 * result points into buf (of at least strlen(spec)+1 bytes). */
int tls_split_hostport(const char *spec, char *buf, const char **host, const char **port);

#endif
