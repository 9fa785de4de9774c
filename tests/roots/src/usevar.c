#include <stdio.h>

extern int f_gone_var;

int main(void)
{
	printf("f_gone_var %d\n", f_gone_var);
	return 0;
}
