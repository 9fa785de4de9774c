#include <stdio.h>

int x(void);

int main(void)
{
	printf("x=%d\n", x());
	return 0;
}
