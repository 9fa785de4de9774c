/* The per-file commands (inspect, deps, go) run one job per FILE argument on
 * every CPU and print the answers in argument order, streaming: the JSON
 * document {"files": [...]} is written one element at a time, so memory
 * follows the files in flight, not their number. */
#ifndef CANRUN_CLI_FILES_H
#define CANRUN_CLI_FILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One file's answer, made on a worker thread; the runner frees it. */
struct file_answer {
	char *error;  /* unreadable: the reason (a stderr line and a JSON error entry) */
	json_t *json; /* the element for "files" in JSON mode */
	char *text;   /* the human text otherwise */
	int status;   /* this file's exit status; 0 when all is well */
};

/* Fills *out for paths[index]; runs on any thread, so it may only share
 * ctx's thread-safe parts. */
typedef void (*file_job)(const char *path, void *ctx, struct file_answer *out);

struct file_run {
	bool json;
	bool blank_between; /* text answers are separated by an empty line */
	file_job job;
	void *ctx;
};

/* Runs the job for every path and prints the answers in order. Returns
 * EXIT_UNREADABLE when a file could not be read, else the first nonzero
 * file status, else EXIT_OK; EXIT_OUTPUT when stdout fails. */
int cli_run_files(const struct file_run *run, char *const *paths, size_t npaths);

#endif
