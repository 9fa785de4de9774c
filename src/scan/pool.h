/* An ordered work pool: one producer queues jobs, N worker threads process
 * them, and results are handed back one at a time in the order the jobs
 * were queued, so a parallel scan prints exactly what a serial one would.
 * At most `window` jobs are in flight: memory does not grow with the
 * number of jobs. */
#ifndef CANRUN_POOL_H
#define CANRUN_POOL_H

#include <stddef.h>

struct pool;

/* process runs on a worker thread: it gets the job and returns its result
 * (both opaque). emit runs on one thread at a time, in queue order, with
 * the job and its result; it owns both from then on. */
struct pool_ops {
	void *(*process)(void *job, void *ctx);
	void (*emit)(void *job, void *result, void *ctx);
	void *ctx;
};

struct pool *pool_start(const struct pool_ops *ops, unsigned workers, size_t window);
/* Queues a job; blocks while `window` jobs are unfinished or unemitted. */
void pool_put(struct pool *p, void *job);
/* Waits until every job is processed and emitted, then frees the pool. */
void pool_finish(struct pool *p);

/* The number of online CPUs (at least 1). */
unsigned pool_cpus(void);

#endif
