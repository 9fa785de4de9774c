/* Shared by the unit tests: the four ELF flavours a test can run under, and
 * a watchdog so that a reader stuck in a loop fails the test instead of
 * hanging it. */
#ifndef CANRUN_TEST_COMMON_H
#define CANRUN_TEST_COMMON_H

#include <setjmp.h> /* cmocka needs these before it */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct flavour {
	unsigned bits;
	bool be;
};

static const struct flavour flavours[4] = { { 32, false }, { 32, true }, { 64, false }, { 64, true } };

static inline int watchdog_on(void **state)
{
	(void)state;
	alarm(10); /* SIGALRM's default action ends the run: a hang is a failure */
	return 0;
}

static inline int watchdog_off(void **state)
{
	(void)state;
	alarm(0);
	return 0;
}

#define FLAVOUR(state) ((const struct flavour *)*(state))

/* One test per flavour, named after it. */
#define EACH_FLAVOUR(f)                                                          \
	{ #f " [ELF32 LSB]", f, watchdog_on, watchdog_off, (void *)&flavours[0] }, \
	{ #f " [ELF32 MSB]", f, watchdog_on, watchdog_off, (void *)&flavours[1] }, \
	{ #f " [ELF64 LSB]", f, watchdog_on, watchdog_off, (void *)&flavours[2] }, \
	{ #f " [ELF64 MSB]", f, watchdog_on, watchdog_off, (void *)&flavours[3] }

#define ONE(f) { #f, f, watchdog_on, watchdog_off, NULL }

static inline double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* DIR/l0 -> l1 -> ... -> l(LINKS-1) -> ../etc/passwd: a chain of LINKS
 * symlinks, made by LINK(CTX, NAME, TARGET) in whichever tree a test uses. */
static inline void make_link_chain(void (*link)(void *ctx, const char *name, const char *target), void *ctx,
				   const char *dir, unsigned links)
{
	char name[64], target[64];
	for (unsigned i = 0; i < links; i++) {
		snprintf(name, sizeof name, "%s/l%u", dir, i);
		if (i + 1 < links)
			snprintf(target, sizeof target, "l%u", i + 1);
		else
			snprintf(target, sizeof target, "../etc/passwd");
		link(ctx, name, target);
	}
}

#endif
