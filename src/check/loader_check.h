/* The loader's verdict inside a target root, as findings. */
#ifndef CANRUN_LOADER_CHECK_H
#define CANRUN_LOADER_CHECK_H

#include "check/checks.h"
#include "loader/resolve.h"

/* Resolves the program living at `at` inside p->root. loader_error gets the
 * loader's exact text (or NULL), exit_status its status. */
void check_loader(const struct check_input *in, const struct provides *p, struct libcache *cache,
		  struct lib_entry *program, const char *at, struct findings *out, char **loader_error,
		  int *exit_status);

#endif
