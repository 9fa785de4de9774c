int b(void);

int b(void)
{
	return 1;
}
