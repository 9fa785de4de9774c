/* Built with trixie's gcc (glibc 2.41): strlcpy is new in glibc 2.38, and
 * with _GNU_SOURCE the headers redirect strtol to __isoc23_strtol@GLIBC_2.38. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char buf[8];
	strlcpy(buf, argc > 1 ? argv[1] : "42", sizeof buf);
	printf("%ld\n", strtol(buf, NULL, 0));
	return 0;
}
