/* Base64 (RFC 4648, with padding) for binary data inside JSON documents. */
#ifndef CANRUN_BASE64_H
#define CANRUN_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* A NUL-terminated encoding of DATA, malloc'd. */
char *base64_encode(const unsigned char *data, size_t size);

/* Decodes TEXT (LEN characters) strictly: only the alphabet, padding only at
 * the end, length a multiple of 4. Returns the bytes (malloc'd, *size set)
 * or NULL when TEXT is not base64 or would decode to more than MAX bytes. */
unsigned char *base64_decode(const char *text, size_t len, size_t max, size_t *size);

#endif
