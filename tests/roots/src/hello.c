/* The smallest dynamic program: on glibc >= 2.34 it needs
 * __libc_start_main@GLIBC_2.34, so it cannot start on an older glibc. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
