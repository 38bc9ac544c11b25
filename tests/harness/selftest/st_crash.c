/* ue-test: variants=s2 */
/* Dies of SIGSEGV natively without saying signal=11: a broken test. */
int main(void)
{
    *(volatile int *)0 = 1;
    return 0;
}
