/* C++: frees that do not match the allocation, and an overrun of new[].
 * memcheck: variants=O0
 * expect MismatchedFree what="Mismatched free() / delete / delete []" stack="operator delete(void*, unsigned int)|main@D1" stack2=malloc|main@A1
 * expect MismatchedFree stack=free|main@D2 stack2="operator new[](unsigned int)|main@A2"
 * expect MismatchedFree stack="operator delete[](void*)|main@D3" stack2="operator new(unsigned int)|main@A3"
 * expect InvalidWrite size=4 aux="0 bytes after a block of size 16 alloc'd" stack=main@W stack2="operator new[](unsigned int)|main@A4"
 */
#include <cstdio>
#include <cstdlib>

int main()
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int *a = (int *)malloc(sizeof(int)); /* @A1 */
    delete a; /* @D1 */
    int *b = new int[4]; /* @A2 */
    free(b); /* @D2 */
    int *c = new int(3); /* @A3 */
    delete[] c; /* @D3 */
    int *d = new int[4]; /* @A4 */
    d[4] = 1; /* @W */
    delete[] d;
    printf("done\n");
    return 0;
}
