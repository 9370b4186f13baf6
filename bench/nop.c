/* nop.c — the smallest payload: exit_group(0), no libc, no dynamic
 * loader, a few pages of RSS, so that a peak-RSS measurement of a
 * sandbox shows the sandbox tool, not its payload. Built with
 * cc -static -nostdlib -O2; x86-64 and aarch64 only (run.sh falls back
 * to a static libc binary elsewhere). */
#if defined(__x86_64__)
__attribute__((naked, noreturn)) void _start(void)
{
	__asm__ volatile("mov $231, %eax\n\txor %edi, %edi\n\tsyscall\n");
}
#elif defined(__aarch64__)
__attribute__((naked, noreturn)) void _start(void)
{
	__asm__ volatile("mov x8, #94\n\tmov x0, #0\n\tsvc #0\n");
}
#else
int main(void)
{
	return 0;
}
#endif
