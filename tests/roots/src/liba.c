/* liba needs libb but has no RUNPATH of its own: whether libb is found
 * depends on whether the executable's search path is inherited (DT_RPATH
 * is, DT_RUNPATH is not). */
int a(void);
int b(void);

int a(void)
{
	return b() + 1;
}
