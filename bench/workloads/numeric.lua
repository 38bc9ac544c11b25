-- Numeric Lua: spectral norm (floating point, function calls) and an integer
-- LCG/mandelbrot mix.  Usage: lua5.4 numeric.lua N
local n = tonumber(arg and arg[1]) or 100

local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end

local function Av(x, y, N)
  for i = 1, N do
    local a = 0
    for j = 1, N do a = a + x[j] * A(i, j) end
    y[i] = a
  end
end

local function Atv(x, y, N)
  for i = 1, N do
    local a = 0
    for j = 1, N do a = a + x[j] * A(j, i) end
    y[i] = a
  end
end

local function AtAv(x, y, t, N)
  Av(x, t, N)
  Atv(t, y, N)
end

local u, v, t = {}, {}, {}
for i = 1, n do u[i] = 1 end
for _ = 1, 10 do
  AtAv(u, v, t, n)
  AtAv(v, u, t, n)
end
local vBv, vv = 0, 0
for i = 1, n do
  local ui, vi = u[i], v[i]
  vBv = vBv + ui * vi
  vv = vv + vi * vi
end
print(string.format("spectral norm %0.9f", math.sqrt(vBv / vv)))

-- Mandelbrot set membership on an n x n grid, counted with integers.
local inside, iters = 0, 0
for py = 0, n - 1 do
  local ci = 2.0 * py / n - 1.0
  for px = 0, n - 1 do
    local cr = 2.0 * px / n - 1.5
    local zr, zi, k = 0.0, 0.0, 0
    while k < 50 and zr * zr + zi * zi <= 4.0 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      k = k + 1
    end
    iters = iters + k
    if k == 50 then inside = inside + 1 end
  end
end
print(string.format("mandelbrot inside %d iterations %d", inside, iters))

local h = 2166136261
-- The norm enters the checksum rounded to 6 digits: x87 and SSE rounding
-- of the sums may differ in the last bits without the program being wrong.
local norm6 = math.floor(math.sqrt(vBv / vv) * 1e6 + 0.5)
for _, v in ipairs({inside, iters, norm6}) do
  h = ((h ~ (v & 0xffffffff)) * 16777619) & 0xffffffff
end
print(string.format("checksum %08x", h))
