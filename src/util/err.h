/* One error message buffer per operation, filled by the layer that failed.
 * Library code never prints or exits; commands print `canrun: PATH: msg`. */
#ifndef CANRUN_ERR_H
#define CANRUN_ERR_H

#include <stddef.h>

struct cr_err {
	char msg[256];
};

/* Sets the message (printf-style) and returns -1, for `return cr_fail(...)`. */
int cr_fail(struct cr_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
