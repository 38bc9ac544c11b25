# Pure-Python benchmark: classes and method calls, dicts and strings, list
# comprehensions, integer arithmetic.  Usage: python3 pybench.py N
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def dot(self, o):
        return self.x * o.x + self.y * o.y


def particles(k):
    acc = Vec(0, 0)
    total = 0
    for i in range(k):
        v = Vec(i % 17, (i * 7) % 23)
        acc = acc.add(v)
        total += acc.dot(v) % 1009
    return total


def words(k):
    counts = {}
    seed = 1
    for _ in range(k):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        w = "w%d" % (seed % 997)
        counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return ",".join("%s=%d" % kv for kv in top)


def primes(limit):
    sieve = [True] * (limit + 1)
    sieve[0] = sieve[1] = False
    for i in range(2, int(limit ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = [False] * len(sieve[i * i :: i])
    return [i for i, p in enumerate(sieve) if p]


def fib_memo(k, memo={}):
    if k < 2:
        return k
    if k not in memo:
        memo[k] = fib_memo(k - 1) + fib_memo(k - 2)
    return memo[k]


p = particles(n * 20)
w = words(n * 10)
ps = primes(n * 50)
f = fib_memo(300) % 1000000007
print("particles", p)
print("words", w)
print("primes", len(ps), sum(ps))
print("fib", f)
h = 2166136261
for v in (p, len(ps), sum(ps), f, sum(map(ord, w))):
    h = ((h ^ (v & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
print("checksum %08x" % h)
