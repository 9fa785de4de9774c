/* Linked against with everything; shipped with -DDROP_GONE, so that f_gone
 * and f_gone_var are missing at run time. */
int f_kept(void);
int f_gone(void);
extern int f_gone_var;

int f_kept(void)
{
	return 1;
}

#ifndef DROP_GONE
int f_gone(void)
{
	return 2;
}

int f_gone_var = 3;
#endif
