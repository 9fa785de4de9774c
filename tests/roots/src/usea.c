#include <stdio.h>

int a(void);

int main(void)
{
	printf("a=%d\n", a());
	return 0;
}
