#include <stdio.h>

int v(void);

int main(void)
{
	printf("v=%d\n", v());
	return 0;
}
