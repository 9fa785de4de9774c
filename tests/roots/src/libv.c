/* Built with libv-1.map, libv-2.map or no version script, to ship a library
 * whose version definitions differ from the ones the program was linked
 * against. */
int v(void);

int v(void)
{
	return 7;
}
