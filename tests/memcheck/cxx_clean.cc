/* C++ done right (containers, strings, aligned and nothrow new, an
 * exception): no errors.
 * memcheck: variants=O0
 */
#include <cstdio>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

struct alignas(64) Wide {
    int v[4];
};

int main()
{
    setvbuf(stdout, NULL, _IONBF, 0);
    std::vector<std::string> words;
    for (int i = 0; i < 100; i++)
        words.push_back("word-" + std::to_string(i * 7 % 100));
    std::map<std::string, int> count;
    for (auto &w : words)
        count[w]++;
    Wide *w = new Wide;
    Wide *ws = new Wide[3];
    int *nt = new (std::nothrow) int[10];
    std::printf("aligned %d %d\n", ((long)w & 63) == 0, ((long)ws & 63) == 0);
    delete w;
    delete[] ws;
    delete[] nt;
    int caught = 0;
    try {
        throw std::runtime_error("thrown");
    } catch (const std::exception &e) {
        caught = e.what()[0] == 't';
    }
    std::printf("%zu %d\n", count.size(), caught);
    return 0;
}
