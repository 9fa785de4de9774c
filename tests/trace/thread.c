/* Starts one thread; exits 0 when that worked, 1 with the error if not. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *run(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, run, NULL);
	if (rc) {
		fprintf(stderr, "pthread_create: %s\n", strerror(rc));
		return 1;
	}
	pthread_join(t, NULL);
	return 0;
}
