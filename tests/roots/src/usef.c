/* Shows whether the program started before the missing f_gone is bound:
 * stdout is flushed first because ld.so leaves with _exit. */
#include <stdio.h>

int f_kept(void);
int f_gone(void);

int main(void)
{
	printf("started %d\n", f_kept());
	fflush(stdout);
	printf("f_gone %d\n", f_gone());
	return 0;
}
