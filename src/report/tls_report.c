/* Findings of a TLS probe, each with the fix, and its two reports. */
#include "report/tls_report.h"

#include <string.h>

#include "report/check_report.h"
#include "util/json.h"

void tls_findings(const struct tls_result *r, long warn_days, struct findings *f)
{
	for (size_t i = 0; i < r->nchain; i++) {
		const struct tls_cert *c = &r->chain[i];
		const char *which = i == 0 ? "the server certificate" : "a chain certificate";
		if (c->expired)
			findings_add(f, "cert-expired", SEV_FAIL, c->not_after,
				     "renew it and install the new certificate and chain on the server",
				     "%s (%s) expired %ld days ago", which, c->subject, -c->days_left);
		else if (c->days_left < warn_days)
			findings_add(f, "cert-expiring", SEV_WARN, c->not_after, "renew it before it expires",
				     "%s (%s) expires in %ld days", which, c->subject, c->days_left);
		if (c->not_yet_valid)
			findings_add(f, "cert-not-yet-valid", SEV_FAIL, c->not_before,
				     "check the clock of the machine that issued it", "%s (%s) is not valid yet",
				     which, c->subject);
		if (strcmp(c->key_type, "RSA") == 0 && c->key_bits < 2048)
			findings_add(f, "rsa-key-too-small", SEV_FAIL, NULL,
				     "issue a new certificate with an RSA 2048+ or ECDSA P-256 key",
				     "%s (%s) has an RSA key of %d bits; clients at OpenSSL's default security level want 2048",
				     which, c->subject, c->key_bits);
		/* A root's own signature is never checked, so SHA-1 there is harmless. */
		if (!c->self_signed && c->sha1)
			findings_add(f, "sha1-signature", SEV_FAIL, c->sig_alg,
				     "reissue it signed with SHA-256",
				     "%s (%s) is signed with SHA-1, which current clients reject", which, c->subject);
	}
	/* Each certificate should be followed by its issuer (RFC 5246 7.4.2;
	 * TLS 1.3 only asks for it). Verifiers that reorder cope; older
	 * clients and some libraries fail on a misordered or gapped chain. */
	for (size_t i = 0; i + 1 < r->nchain; i++) {
		const struct tls_cert *c = &r->chain[i];
		if (c->self_signed || strcmp(c->issuer, r->chain[i + 1].subject) == 0)
			continue;
		size_t at = r->nchain;
		for (size_t j = 0; j < r->nchain && at == r->nchain; j++)
			if (j != i && strcmp(r->chain[j].subject, c->issuer) == 0)
				at = j;
		if (at < r->nchain)
			findings_add(f, "chain-order", SEV_WARN, c->issuer,
				     "send the chain in order: each certificate, then its issuer",
				     "certificate %zu (%s) is followed by one that did not issue it; its issuer is "
				     "certificate %zu", i, c->subject, at);
		else
			findings_add(f, "chain-order", SEV_WARN, c->issuer,
				     "send the intermediate certificates between the leaf and the root",
				     "certificate %zu (%s) is followed by one that did not issue it, and its issuer "
				     "(%s) is not sent", i, c->subject, c->issuer);
		break; /* one order problem is enough to name */
	}
	if (r->nchain > 0 && r->chain[0].self_signed)
		findings_add(f, "self-signed", SEV_WARN, r->chain[0].subject,
			     "use a certificate from a CA the clients trust, or give clients the certificate as their CA",
			     "the server certificate is self-signed");
	if (r->verify_code != 0 || r->nverify_errors > 0) {
		/* The other errors, after the one OpenSSL reports. */
		char also[512] = "";
		for (size_t i = 0; i < r->nverify_errors; i++) {
			const struct tls_verify_error *e = &r->verify_errors[i];
			size_t n = strlen(also);
			if (e->code != r->verify_code)
				snprintf(also + n, sizeof also - n, "%s%s (%ld, depth %d)", n ? ", " : "; also: ",
					 e->text, e->code, e->depth);
		}
		findings_add(f, "verify-failed", SEV_FAIL, r->ca,
			     "send the full chain (leaf, then intermediates) from a CA the clients trust",
			     "the chain does not verify against the %s CA store: %s (%ld)%s",
			     strcmp(r->ca, "system") == 0 ? "system" : "given", r->verify_text, r->verify_code, also);
	}
	if (r->name_match == 0)
		findings_add(f, "name-mismatch", SEV_FAIL, r->nchain ? r->chain[0].sans : NULL,
			     "add the name to the certificate's subjectAltName, or connect by a name it has",
			     "the server certificate is not valid for %s", r->name);
	for (size_t i = 0; i < 2; i++)
		if (r->versions[i].result == TLSV_ACCEPTED)
			findings_add(f, "legacy-tls-accepted", SEV_WARN, r->versions[i].detail,
				     "set the server's minimum to TLS 1.2 (Go: tls.Config{MinVersion: tls.VersionTLS12})",
				     "the server accepts %s", r->versions[i].name);
	if (r->versions[3].result == TLSV_REFUSED)
		findings_add(f, "no-tls13", SEV_WARN, r->versions[3].detail,
			     "enable TLS 1.3 on the server (OpenSSL 1.1.1+, Go 1.12+)", "the server does not accept TLS 1.3");
}

static const char *vresult(enum tls_version_result v)
{
	return v == TLSV_ACCEPTED ? "accepted" : v == TLSV_REFUSED ? "refused" : "error";
}

void tls_report_text(FILE *out, const char *target, const struct tls_result *r, const struct findings *f)
{
	fprintf(out, "%s (%s)\n", target, r->address);
	fprintf(out, "  sni          %s\n", r->sni ? r->sni : "none");
	fprintf(out, "  protocol     %s\n", r->protocol);
	fprintf(out, "  cipher       %s\n", r->cipher);
	fprintf(out, "  group        %s\n", r->group ? r->group : "none");
	fprintf(out, "  alpn         %s (offered h2,http/1.1)\n", r->alpn ? r->alpn : "none");
	for (size_t i = 0; i < r->nchain; i++) {
		const struct tls_cert *c = &r->chain[i];
		fprintf(out, "  cert %zu       s: %s\n", i, c->subject);
		fprintf(out, "               i: %s%s\n", c->issuer, c->self_signed ? " (self-signed)" : "");
		if (c->sans)
			fprintf(out, "               san: %s\n", c->sans);
		fprintf(out, "               key: %s %d%s%s, sig: %s\n", c->key_type, c->key_bits,
			c->key_group ? " " : "", c->key_group ? c->key_group : "", c->sig_alg);
		fprintf(out, "               valid: %s to %s (%ld days left)\n", c->not_before, c->not_after,
			c->days_left);
	}
	fprintf(out, "  verify       %ld (%s) against %s\n", r->verify_code, r->verify_text, r->ca);
	fprintf(out, "  name         %s: %s\n", r->name,
		r->name_match == 1 ? "matches" : r->name_match == 0 ? "does not match" : "not checked");
	const char *again = r->resumed == 1 ? "resumed" : r->resumed == 0 ? "not resumed on reconnect" : "reconnect failed";
	if (!r->resumable)
		fprintf(out, "  resumption   none offered\n");
	else if (r->ticket)
		fprintf(out, "  resumption   ticket (lifetime hint %ld s), %s\n", r->ticket_hint, again);
	else
		fprintf(out, "  resumption   session ID, %s\n", again);
	fprintf(out, "  ocsp         %s\n", r->ocsp_stapled ? "stapled response" : "no response stapled");
	for (size_t i = 0; i < 4; i++)
		fprintf(out, "  %-12s %s (%s)\n", r->versions[i].name, vresult(r->versions[i].result),
			r->versions[i].detail);
	for (size_t i = 0; i < f->count; i++) {
		const struct finding *x = &f->items[i];
		fprintf(out, "\n%-7s %s [%s]\n", severity_name(x->severity), x->message, x->id);
		if (x->evidence)
			fprintf(out, "        evidence: %s\n", x->evidence);
		if (x->fix)
			fprintf(out, "        fix: %s\n", x->fix);
	}
}

json_t *tls_report_json(const char *target, const struct tls_result *r, const struct findings *f)
{
	json_t *chain = json_array();
	for (size_t i = 0; i < r->nchain; i++) {
		const struct tls_cert *c = &r->chain[i];
		json_array_append_new(
			chain, json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:I, s:b, s:b, s:b}", "subject",
					 json_text(c->subject), "issuer", json_text(c->issuer), "san",
					 json_text(c->sans), "key_type", json_text(c->key_type), "key_bits",
					 c->key_bits, "key_group", json_text(c->key_group), "signature",
					 json_text(c->sig_alg), "not_before", json_text(c->not_before), "not_after",
					 json_text(c->not_after), "days_left", (json_int_t)c->days_left, "expired",
					 c->expired, "not_yet_valid", c->not_yet_valid, "self_signed", c->self_signed));
	}
	json_t *vers = json_object();
	for (size_t i = 0; i < 4; i++)
		json_object_set_new(vers, r->versions[i].name,
				    json_pack("{s:s, s:o}", "result", vresult(r->versions[i].result), "detail",
					      json_text(r->versions[i].detail)));
	json_t *verrs = json_array();
	for (size_t i = 0; i < r->nverify_errors; i++)
		json_array_append_new(verrs, json_pack("{s:I, s:i, s:s}", "code", (json_int_t)r->verify_errors[i].code,
						       "depth", r->verify_errors[i].depth, "text",
						       r->verify_errors[i].text));
	json_t *match = r->name_match < 0 ? json_null() : json_boolean(r->name_match);
	json_t *resumed = r->resumed < 0 ? json_null() : json_boolean(r->resumed);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:o, s:o, s:o}, s:o, s:o, s:{s:b, s:b, s:I, s:o},"
			 " s:b, s:o, s:s, s:o}",
			 "target", json_text(target), "address", json_text(r->address), "sni", json_text(r->sni),
			 "protocol", json_text(r->protocol), "cipher", json_text(r->cipher), "group",
			 json_text(r->group), "alpn", json_text(r->alpn), "chain", chain, "verify", "code",
			 (json_int_t)r->verify_code, "text", json_text(r->verify_text), "ca", json_text(r->ca), "errors", verrs,
			 "name", json_text(r->name), "name_match", match, "session", "resumable", r->resumable,
			 "ticket", r->ticket, "ticket_lifetime_hint", (json_int_t)r->ticket_hint, "resumed", resumed,
			 "ocsp_stapled", r->ocsp_stapled, "versions", vers, "verdict",
			 severity_name(findings_worst(f)), "findings", findings_to_json(f));
}
