/* Exit statuses shared by every command; documented in docs/canrun.1. */
#ifndef CANRUN_EXIT_CODES_H
#define CANRUN_EXIT_CODES_H

enum {
	EXIT_OK = 0,
	EXIT_UNREADABLE = 2, /* at least one input could not be read */
	EXIT_UNMET = 4,      /* harden/scan --require: a required protection is missing */
	EXIT_USAGE = 64,     /* bad command line (sysexits EX_USAGE) */
	EXIT_INTERNAL = 70,  /* out of memory or a bug (EX_SOFTWARE) */
	EXIT_OUTPUT = 74,    /* writing the report failed (EX_IOERR) */
};

#endif
