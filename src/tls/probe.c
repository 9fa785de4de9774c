/* TLS handshakes with OpenSSL over non-blocking sockets: every connect and
 * handshake waits in poll() for at most the remaining budget, so a server
 * that accepts and never answers costs --timeout, not forever. */
#include "tls/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "util/xalloc.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -1 : n > 0;
	}
}

int tls_split_hostport(const char *spec, char *buf, const char **host, const char **port)
{
	strcpy(buf, spec);
	char *colon;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close || close[1] != ':')
			return -1;
		*close = '\0';
		*host = buf + 1;
		colon = close + 1;
	} else {
		colon = strrchr(buf, ':');
		if (!colon || strchr(buf, ':') != colon)
			return -1;
		*colon = '\0';
		*host = buf;
	}
	*port = colon + 1;
	/* Digits only, 1-65535: getaddrinfo would take "https" or "0". */
	size_t n = strspn(*port, "0123456789");
	if (!**host || n == 0 || n > 5 || (*port)[n] || atol(*port) < 1 || atol(*port) > 65535)
		return -1;
	return 0;
}

/* Connects to the first address that answers; the socket is left
 * non-blocking. Returns the fd or -1 with the reason in err. */
static int connect_any(const struct tls_opts *o, long long deadline, char *addr, size_t addrlen, char *err,
		       size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
	int g = getaddrinfo(o->host, o->port, &hints, &res);
	if (g != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", o->host, gai_strerror(g));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			continue;
		}
		getnameinfo(a->ai_addr, a->ai_addrlen, addr, (socklen_t)addrlen, NULL, 0, NI_NUMERICHOST);
		int rc = connect(fd, a->ai_addr, a->ai_addrlen);
		if (rc < 0 && errno == EINPROGRESS) {
			int w = wait_fd(fd, POLLOUT, deadline);
			int soerr = 0;
			socklen_t sl = sizeof soerr;
			if (w == 0)
				soerr = ETIMEDOUT;
			else if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
				soerr = errno;
			rc = soerr ? -1 : 0;
			errno = soerr;
		}
		if (rc == 0)
			break;
		snprintf(err, errlen, "connect to %s port %s: %s", addr, o->port,
			 errno == ETIMEDOUT ? "timed out" : strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* The first OpenSSL error queued, as "reason" text; clears the queue. */
static void ssl_reason(char *err, size_t errlen, const char *fallback)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	snprintf(err, errlen, "%s", r ? r : fallback);
	ERR_clear_error();
}

static bool is_ip(const char *host)
{
	unsigned char b[16];
	return inet_pton(AF_INET, host, b) == 1 || inet_pton(AF_INET6, host, b) == 1;
}

/* Records each verification error in the tls_result the SSL carries (if
 * any) and goes on, so that all of them are seen, not just the first. */
static int collect_verify_error(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_result *r = ssl ? SSL_get_app_data(ssl) : NULL;
	if (!ok && r && r->nverify_errors < TLS_MAX_VERIFY_ERRORS) {
		int code = X509_STORE_CTX_get_error(x);
		r->verify_errors[r->nverify_errors++] = (struct tls_verify_error){
			code, X509_STORE_CTX_get_error_depth(x), X509_verify_cert_error_string(code)
		};
	}
	return 1;
}

/* One handshake with versions min..max (0: library default). seclevel0
 * lowers the client's security level so that TLS 1.0/1.1 are offered at all:
 * OpenSSL 3's default level 2 refuses them client-side ("legacy sigalg
 * disallowed"), and it is the server's answer that is being asked for.
 * Returns the connected SSL (its fd inside) or NULL with the reason. */
static SSL *handshake(const struct tls_opts *o, int min, int max, bool seclevel0, SSL_SESSION *resume,
		      struct tls_result *collect, char *addr, size_t addrlen, char *err, size_t errlen, bool *connected)
{
	long long deadline = now_ms() + o->timeout_ms;
	*connected = false;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		ssl_reason(err, errlen, "SSL_CTX_new failed");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, min);
	SSL_CTX_set_max_proto_version(ctx, max);
	if (seclevel0) {
		SSL_CTX_set_security_level(ctx, 0);
		SSL_CTX_set_cipher_list(ctx, "DEFAULT@SECLEVEL=0");
	}
	/* Verification is reported, not enforced: the handshake goes on. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, collect_verify_error);
	if (o->ca ? SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1 : SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errlen, "cannot load CA certificates%s%s", o->ca ? " from " : "", o->ca ? o->ca : "");
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* Returns 0 on success, unlike most of the API. */
	static const unsigned char alpn[] = "\x02h2\x08http/1.1";
	SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn - 1);
	SSL *ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* ssl holds its own reference */
	if (!ssl) {
		ssl_reason(err, errlen, "SSL_new failed");
		return NULL;
	}
	const char *sni = o->sni ? o->sni : is_ip(o->host) ? NULL : o->host;
	if (sni)
		SSL_set_tlsext_host_name(ssl, sni);
	SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
	if (resume)
		SSL_set_session(ssl, resume);
	SSL_set_app_data(ssl, collect);
	int fd = connect_any(o, deadline, addr, addrlen, err, errlen);
	if (fd < 0) {
		SSL_free(ssl);
		return NULL;
	}
	*connected = true;
	SSL_set_fd(ssl, fd);
	for (;;) {
		int rc = SSL_connect(ssl);
		if (rc == 1)
			return ssl;
		int e = SSL_get_error(ssl, rc);
		int w = -1;
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			w = wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
			if (w > 0)
				continue;
		}
		if (w == 0)
			snprintf(err, errlen, "no TLS handshake within %d s (the server accepted but did not answer)",
				 o->timeout_ms / 1000);
		else if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
			snprintf(err, errlen, "the server closed the connection during the handshake%s%s",
				 errno ? ": " : "", errno ? strerror(errno) : "");
		else
			ssl_reason(err, errlen, "handshake failed");
		ERR_clear_error();
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
}

/* close_notify first: OpenSSL drops a session from resumption when the
 * connection is freed without it. Non-blocking, so this never waits. */
static void hangup(SSL *ssl)
{
	int fd = SSL_get_fd(ssl);
	SSL_shutdown(ssl);
	ERR_clear_error();
	SSL_free(ssl);
	close(fd);
}

/* The text written to a memory BIO, as a string; frees the BIO. */
static char *bio_take(BIO *b)
{
	char *p;
	long len = BIO_get_mem_data(b, &p);
	char *s = xstrndup(p, (size_t)len);
	BIO_free(b);
	return s;
}

static char *name_line(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	return bio_take(b);
}

static char *time_text(const ASN1_TIME *t)
{
	BIO *b = BIO_new(BIO_s_mem());
	ASN1_TIME_print(b, t);
	return bio_take(b);
}

static char *san_text(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (!gens)
		return NULL;
	BIO *b = BIO_new(BIO_s_mem());
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		if (i)
			BIO_puts(b, ", ");
		GENERAL_NAME_print(b, sk_GENERAL_NAME_value(gens, i));
	}
	GENERAL_NAMES_free(gens);
	return bio_take(b);
}

static void read_cert(X509 *x, struct tls_cert *c)
{
	c->subject = name_line(X509_get_subject_name(x));
	c->issuer = name_line(X509_get_issuer_name(x));
	c->sans = san_text(x);
	EVP_PKEY *pk = X509_get0_pubkey(x);
	c->key_type = xstrdup(pk && EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "unknown");
	c->key_bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	char group[80];
	if (pk && EVP_PKEY_get_group_name(pk, group, sizeof group, NULL) == 1)
		c->key_group = xstrdup(group);
	int signid = X509_get_signature_nid(x);
	c->sig_alg = xstrdup(signid != NID_undef ? OBJ_nid2ln(signid) : "unknown");
	/* By the digest, not the name: "ecdsa-with-SHA1", "sha1WithRSAEncryption". */
	int mdnid = NID_undef;
	c->sha1 = X509_get_signature_info(x, &mdnid, NULL, NULL, NULL) == 1 && mdnid == NID_sha1;
	c->not_before = time_text(X509_get0_notBefore(x));
	c->not_after = time_text(X509_get0_notAfter(x));
	int days = 0, secs = 0;
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)))
		c->days_left = days;
	c->expired = X509_cmp_current_time(X509_get0_notAfter(x)) < 0;
	c->not_yet_valid = X509_cmp_current_time(X509_get0_notBefore(x)) > 0;
	c->self_signed = X509_self_signed(x, 1) == 1;
}

/* TLS 1.3 tickets come after the handshake: reads until the session can be
 * resumed or the server has been quiet for up to a second (or the timeout). */
static void await_ticket(SSL *ssl, int timeout_ms)
{
	long long deadline = now_ms() + (timeout_ms < 1000 ? timeout_ms : 1000);
	char byte;
	while (!SSL_SESSION_is_resumable(SSL_get0_session(ssl))) {
		int rc = SSL_peek(ssl, &byte, 1);
		if (rc > 0 || SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ ||
		    wait_fd(SSL_get_fd(ssl), POLLIN, deadline) <= 0)
			break;
	}
	ERR_clear_error();
}

static const struct {
	const char *name;
	int version;
} versions[4] = { { "TLSv1", TLS1_VERSION }, { "TLSv1.1", TLS1_1_VERSION }, { "TLSv1.2", TLS1_2_VERSION },
		  { "TLSv1.3", TLS1_3_VERSION } };

int tls_probe(const struct tls_opts *o, struct tls_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	char addr[NI_MAXHOST] = "";
	bool connected;
	SSL *ssl = handshake(o, 0, 0, false, NULL, r, addr, sizeof addr, err, errlen, &connected);
	if (!ssl) {
		/* OpenSSL's words when the first bytes back are no TLS record. */
		if (strcmp(err, "wrong version number") == 0)
			snprintf(err, errlen, "not a TLS server: its answer is no TLS record (a plain-HTTP port?)");
		else if (connected && !strstr(err, "within") && !strstr(err, "closed"))
			snprintf(err + strlen(err), errlen - strlen(err), " (TLS handshake failed)");
		return -1;
	}
	r->address = xstrdup(addr);
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	r->sni = sni ? xstrdup(sni) : NULL;
	r->name = xstrdup(o->sni ? o->sni : o->host);
	r->protocol = xstrdup(SSL_get_version(ssl));
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	r->cipher = xstrdup(ci ? SSL_CIPHER_get_name(ci) : "none");
	int gid = SSL_get_negotiated_group(ssl);
	const char *gname = gid != NID_undef ? SSL_group_to_name(ssl, gid) : NULL;
	r->group = gname ? xstrdup(gname) : NULL;
	const unsigned char *alpn;
	unsigned alpnlen;
	SSL_get0_alpn_selected(ssl, &alpn, &alpnlen);
	r->alpn = alpn && alpnlen ? xstrndup((const char *)alpn, alpnlen) : NULL;

	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	int n = chain ? sk_X509_num(chain) : 0;
	r->chain = xcalloc(n > 0 ? (size_t)n : 1, sizeof *r->chain);
	for (int i = 0; i < n; i++)
		read_cert(sk_X509_value(chain, i), &r->chain[r->nchain++]);
	r->verify_code = SSL_get_verify_result(ssl);
	r->verify_text = xstrdup(X509_verify_cert_error_string(r->verify_code));
	r->ca = xstrdup(o->ca ? o->ca : "system");
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	r->name_match = -1;
	if (leaf) {
		/* Go ignores the subject CN since 1.15: match on SANs only. */
		int m = is_ip(r->name) ? X509_check_ip_asc(leaf, r->name, 0)
				       : X509_check_host(leaf, r->name, 0, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL);
		r->name_match = m < 0 ? -1 : m;
	}
	const unsigned char *ocsp;
	r->ocsp_stapled = SSL_get_tlsext_status_ocsp_resp(ssl, &ocsp) > 0;
	if (SSL_version(ssl) == TLS1_3_VERSION)
		await_ticket(ssl, o->timeout_ms);
	SSL_SESSION *sess = SSL_get1_session(ssl);
	r->resumable = sess && SSL_SESSION_is_resumable(sess);
	r->ticket = r->resumable && SSL_SESSION_has_ticket(sess);
	r->ticket_hint = r->ticket ? (long)SSL_SESSION_get_ticket_lifetime_hint(sess) : 0;
	hangup(ssl);
	r->resumed = -1;
	if (r->resumable) {
		char why[256];
		SSL *again = handshake(o, 0, 0, false, sess, NULL, addr, sizeof addr, why, sizeof why, &connected);
		if (again) {
			r->resumed = SSL_session_reused(again);
			hangup(again);
		}
	}
	SSL_SESSION_free(sess);

	for (size_t i = 0; i < 4; i++) {
		struct tls_version_probe *v = &r->versions[i];
		v->name = versions[i].name;
		char why[256] = "";
		bool old = versions[i].version < TLS1_2_VERSION;
		SSL *s = handshake(o, versions[i].version, versions[i].version, old, NULL, NULL, addr, sizeof addr, why, sizeof why,
				   &connected);
		if (s) {
			v->result = TLSV_ACCEPTED;
			const SSL_CIPHER *c = SSL_get_current_cipher(s);
			v->detail = xstrdup(c ? SSL_CIPHER_get_name(c) : "");
			hangup(s);
		} else {
			v->result = connected && !strstr(why, "within") ? TLSV_REFUSED : TLSV_ERROR;
			v->detail = xstrdup(why);
		}
	}
	return 0;
}

void tls_result_free(struct tls_result *r)
{
	for (size_t i = 0; i < r->nchain; i++) {
		struct tls_cert *c = &r->chain[i];
		free(c->subject);
		free(c->issuer);
		free(c->sans);
		free(c->key_type);
		free(c->key_group);
		free(c->sig_alg);
		free(c->not_before);
		free(c->not_after);
	}
	free(r->chain);
	for (size_t i = 0; i < 4; i++)
		free(r->versions[i].detail);
	free(r->address);
	free(r->sni);
	free(r->name);
	free(r->protocol);
	free(r->cipher);
	free(r->group);
	free(r->alpn);
	free(r->verify_text);
	free(r->ca);
	memset(r, 0, sizeof *r);
}
