-- Floating-point output of Debian's lua5.4 (i386: x87 doubles) under ue and natively.
local fmt = string.format
local function show(name, v) print(fmt("%-10s %.17g %a", name, v, v)) end

local vals = { 0.0, -0.0, 1.0, 0.1, 1/3, 2/3, 1e-300, 1e300, 2^-1074, 2^1023 * 1.5,
               math.pi, -math.pi / 7, 123456789.123456789, 1e15 + 0.3, 2^53 + 1, 0.5 - 2^-54 }
for k, x in ipairs(vals) do
    show("v" .. k, x)
    show("sin", math.sin(x))
    show("cos", math.cos(x))
    show("exp", math.exp(x / 1000))
    if x > 0 then show("log", math.log(x)); show("sqrt", math.sqrt(x)); show("log10", math.log(x, 10)) end
    show("fmod", math.fmod(x, 0.7))
    show("pow", x ^ 0.37)
    show("tan", math.tan(x))
    show("atan", math.atan(x, 3))
    print(fmt("%-10s %s %d %s", "conv", tostring(x), math.floor(math.min(math.max(x, -2^62), 2^62)), tostring(math.tointeger(x))))
end
print(1/0, -1/0, 0/0 ~= 0/0, math.huge, -math.huge, math.maxinteger + 0.0, math.mininteger * 1.0)
print(7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7.5 % 2, 2^63, math.ult(1, -1))
print(tonumber("0x1p-3"), tonumber("1e500"), tonumber("  12.5e-3  "), tonumber("0x7fffffffffffffff"), 3 | 0)

-- spectral norm (a numeric kernel) and a Mandelbrot count
local function A(i, j) local ij = i + j - 1; return 1.0 / (ij * (ij - 1) * 0.5 + i) end
local function Av(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(i, j) end; y[i] = a end end
local function Atv(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(j, i) end; y[i] = a end end
local function AtAv(x, y, t, N) Av(x, t, N); Atv(t, y, N) end
local N = 60
local u, v, t = {}, {}, {}
for i = 1, N do u[i] = 1 end
for _ = 1, 10 do AtAv(u, v, t, N); AtAv(v, u, t, N) end
local vBv, vv = 0, 0
for i = 1, N do local ui, vi = u[i], v[i]; vBv = vBv + ui * vi; vv = vv + vi * vi end
print(fmt("spectral %.17g", math.sqrt(vBv / vv)))
local count = 0
for y = 0, 59 do
    for x = 0, 79 do
        local cr, ci, zr, zi, n = x / 30 - 2, y / 30 - 1, 0.0, 0.0, 0
        while n < 100 and zr * zr + zi * zi < 4 do zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci; n = n + 1 end
        count = count + n
    end
end
print("mandel", count)
local acc = 0
for i = 1, 20000 do acc = acc + math.sin(i) * math.exp(-i / 5000) / i end
print(fmt("series %.17g", acc))
