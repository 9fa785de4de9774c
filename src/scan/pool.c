#include "scan/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"

struct slot {
	void *job, *result;
	bool done;
};

struct pool {
	struct pool_ops ops;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct slot *ring;
	size_t window;
	/* Sequence numbers: queued < next_put, taken < next_take, emitted < next_emit. */
	size_t next_put, next_take, next_emit;
	bool closing;
	pthread_t *threads;
	unsigned nthreads;
};

/* Emits every finished job at the head of the queue. Called with mu held;
 * emit itself runs under the lock, which is what keeps it single-threaded. */
static void emit_ready(struct pool *p)
{
	while (p->next_emit < p->next_take) {
		struct slot *s = &p->ring[p->next_emit % p->window];
		if (!s->done)
			break;
		p->ops.emit(s->job, s->result, p->ops.ctx);
		s->job = s->result = NULL;
		s->done = false;
		p->next_emit++;
		pthread_cond_signal(&p->can_put);
	}
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next_take == p->next_put && !p->closing)
			pthread_cond_wait(&p->can_take, &p->mu);
		if (p->next_take == p->next_put)
			break;
		struct slot *s = &p->ring[p->next_take++ % p->window];
		pthread_mutex_unlock(&p->mu);
		void *result = p->ops.process(s->job, p->ops.ctx);
		pthread_mutex_lock(&p->mu);
		s->result = result;
		s->done = true;
		emit_ready(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *pool_start(const struct pool_ops *ops, unsigned workers, size_t window)
{
	struct pool *p = xcalloc(1, sizeof *p);
	p->ops = *ops;
	p->window = window ? window : 1;
	p->ring = xcalloc(p->window, sizeof *p->ring);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->can_put, NULL);
	pthread_cond_init(&p->can_take, NULL);
	p->threads = xcalloc(workers ? workers : 1, sizeof *p->threads);
	for (unsigned i = 0; i < (workers ? workers : 1); i++)
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) == 0)
			p->nthreads++;
	return p;
}

void pool_put(struct pool *p, void *job)
{
	pthread_mutex_lock(&p->mu);
	while (p->next_put - p->next_emit >= p->window)
		pthread_cond_wait(&p->can_put, &p->mu);
	struct slot *s = &p->ring[p->next_put++ % p->window];
	s->job = job;
	s->result = NULL;
	s->done = false;
	pthread_cond_signal(&p->can_take);
	pthread_mutex_unlock(&p->mu);
	if (p->nthreads == 0) {
		/* No thread could be started: do the work here. */
		pthread_mutex_lock(&p->mu);
		p->next_take++;
		pthread_mutex_unlock(&p->mu);
		void *result = p->ops.process(job, p->ops.ctx);
		pthread_mutex_lock(&p->mu);
		s->result = result;
		s->done = true;
		emit_ready(p);
		pthread_mutex_unlock(&p->mu);
	}
}

void pool_finish(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->closing = true;
	pthread_cond_broadcast(&p->can_take);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->can_put);
	pthread_cond_destroy(&p->can_take);
	free(p->threads);
	free(p->ring);
	free(p);
}

unsigned pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}
