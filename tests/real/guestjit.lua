-- LuaJIT (a JIT inside the guest): traces compiled, exited, recompiled; ue must run the code it writes
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 10007 end
table.sort(t)
local s = 0
for i = 1, #t, 97 do s = s + t[i] end
local function mandel(w)
  local n = 0
  for y = 0, w - 1 do
    local ci = 2 * y / w - 1
    for x = 0, w - 1 do
      local cr, zr, zi = 2 * x / w - 1.5, 0, 0
      local k = 0
      while k < 50 and zr * zr + zi * zi < 4 do zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci; k = k + 1 end
      n = n + k
    end
  end
  return n
end
local str = {}
for i = 1, 20000 do str[#str + 1] = string.format("%d:%x", i, i * 31) end
print(fib(27), s, mandel(200), #table.concat(str, ","))
