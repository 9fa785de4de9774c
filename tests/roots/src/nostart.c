/* A dynamic program without glibc's start files, so that it needs nothing
 * newer than GLIBC_2.2.5 and starts on every glibc: the loader starts libc,
 * _start calls it. The entry point gets no return address, so the stack is
 * realigned for the calls. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((force_align_arg_pointer, noreturn)) void _start(void)
{
	puts("hello");
	exit(0);
}
