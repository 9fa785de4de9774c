/* A library found through the search path under test (RPATH, RUNPATH,
 * glibc-hwcaps, a wrong-class copy). Also built as ELF32 for that case. */
int x(void);

int x(void)
{
	return 42;
}
