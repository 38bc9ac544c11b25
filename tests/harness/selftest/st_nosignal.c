/* ue-test: variants=s2; signal=11 */
/* Says signal=11 but exits 0 natively: a broken test. */
int main(void)
{
    return 0;
}
