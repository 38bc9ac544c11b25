# ue: userspace emulator for i386 Linux programs.
CC ?= gcc
CFLAGS ?= -O2 -g
UE_CFLAGS = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
            -fno-strict-aliasing -D_GNU_SOURCE -MMD -MP
LDFLAGS ?=
# src/debug needs elfutils' headers (libdw-dev) and loads libdw.so.1 at its
# first use (dlopen), so plain runs do not pay for loading it.
LIBS = -lm -lpthread

SRCS := $(wildcard src/*.c src/*/*.c)
OBJS := $(SRCS:src/%.c=build/%.o)

# The CPU is compiled twice (src/cpu/cpu.h, "the two builds of the CPU"):
# plain into build/cpu/, and checked (-DUE_CHECKED, for memcheck) into
# build/chk/, with every global the checked objects define renamed chk_*.
# These files are compiled once (shared state, the run loop, fault
# handling); x87_resident.c runs guest x87 code on the host and is plain only.
CPU_ONCE := access exec fault flags simd_fp_host variant vendor x87_state
CPU_PLAIN_ONLY := x87_resident
CPU_TWICE := $(filter-out $(CPU_ONCE) $(CPU_PLAIN_ONLY),$(basename $(notdir $(wildcard src/cpu/*.c))))
CHK_RAW := $(CPU_TWICE:%=build/chk/raw/%.o)
CHK_OBJS := $(CPU_TWICE:%=build/chk/cpu/%.o)

all: ue libuealloc.so

ue: $(OBJS) $(CHK_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(CHK_OBJS) $(LIBS)

# Build dependencies (libdw-dev...) are installed before the first compile,
# once: tests/setup.sh --build is a quick no-op when they are present.
build/.setup-build: tests/setup.sh
	./tests/setup.sh --build
	@mkdir -p build && touch $@

build/%.o: src/%.c | build/.setup-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(UE_CFLAGS) -Ibuild -c -o $@ $<

build/chk/raw/%.o: src/cpu/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(UE_CFLAGS) -DUE_CHECKED -Ibuild -c -o $@ $<

build/chk/renames: $(CHK_RAW)
	nm --defined-only -g $^ | awk 'NF == 3 { print $$3 " chk_" $$3 }' | sort -u > $@

build/chk/cpu/%.o: build/chk/raw/%.o build/chk/renames
	@mkdir -p $(dir $@)
	objcopy --redefine-syms=build/chk/renames $< $@

# The guest's vDSO: an i386 shared object assembled with the host binutils
# (as --32 / ld -m elf_i386 need no multilib), embedded as a C array.
build/vdso.so: src/loader/vdso.S src/loader/vdso.lds
	@mkdir -p build
	as --32 -o build/vdso.o src/loader/vdso.S
	ld -m elf_i386 -shared -soname linux-gate.so.1 --hash-style=both --build-id=none \
	   -T src/loader/vdso.lds -o $@ build/vdso.o

build/vdso_image.h: build/vdso.so
	{ echo '/* generated from src/loader/vdso.S: do not edit */'; \
	  nm $< | awk '$$3 ~ /^__kernel_/ { print "#define VDSO_" toupper(substr($$3, 10)) " 0x" $$1 }'; \
	  echo 'static const unsigned char vdso_image[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; } > $@

build/loader/vdso.o: build/vdso_image.h

-include $(OBJS:.o=.d) $(CHK_RAW:.o=.d)

# The i386 allocator library --memcheck preloads into dynamic guests, beside
# ue. Freestanding (-nostdlib, no libc headers): the host gcc builds it
# without multilib. No builtins or loop idioms: its copy loops must not turn
# back into calls to the memcpy it defines; no merging of identical functions:
# each operator keeps its own name in reports.
GUEST_CFLAGS = -m32 -O2 -g -fPIC -shared -nostdlib -ffreestanding -fno-builtin \
               -fno-tree-loop-distribute-patterns -fno-ipa-icf -fno-stack-protector \
               -fasynchronous-unwind-tables -fvisibility=hidden -Wall -Wextra \
               -Wno-unused-parameter -Wl,-soname,libuealloc.so
libuealloc.so: guest/uealloc.c guest/ue.h guest/ue_requests.h | build/.setup-build
	$(CC) $(GUEST_CFLAGS) -o $@ guest/uealloc.c

# make install [PREFIX=/usr/local] [DESTDIR=...]: ue finds the library in
# ../lib/ue/ beside its bin/.
PREFIX ?= /usr/local
install: ue libuealloc.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/ue $(DESTDIR)$(PREFIX)/include/ue
	install -m 755 ue $(DESTDIR)$(PREFIX)/bin/ue
	install -m 644 libuealloc.so $(DESTDIR)$(PREFIX)/lib/ue/libuealloc.so
	install -m 644 guest/ue.h guest/ue_requests.h $(DESTDIR)$(PREFIX)/include/ue/
	if [ -f doc/ue.1 ]; then install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
	   install -m 644 doc/ue.1 $(DESTDIR)$(PREFIX)/share/man/man1/ue.1; fi

# Unit tests: each tests/unit/test_*.c is a program linked against ue's objects
# through an archive (so a test may #include a source file to reach its static
# functions: that object is then not pulled in) or define a fake of one of
# ue's functions (the test's own definition comes first and wins, even where
# the object holding the real one is pulled in for another symbol).
# "make unit" builds and runs them.
UNIT_BINS := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_CFLAGS = $(filter-out -MMD -MP,$(UE_CFLAGS))

build/unit/libue.a: $(filter-out build/main.o,$(OBJS)) $(CHK_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

build/unit/%: tests/unit/%.c tests/unit/unit.h tests/unit/stubs.c build/unit/libue.a $(wildcard src/*/*.h src/*/*.c)
	$(CC) $(CFLAGS) $(UNIT_CFLAGS) -Ibuild -o $@ $< tests/unit/stubs.c build/unit/libue.a $(LIBS) \
	    -Wl,--allow-multiple-definition

unit: $(UNIT_BINS)
	./tests/unit/run.sh $(UNIT_BINS)

# Installs what the tests need (gcc-multilib...) when missing, builds, runs.
check: ue libuealloc.so unit
	./tests/setup.sh
	./tests/lint_uaccess.sh
	./tests/lint_cpu_mem.sh
	./tests/harness/selftest.sh
	./tests/run.sh
	UE_JIT=all ./tests/run.sh
	UE_JIT=off ./tests/run.sh
	./tests/memcheck/run.sh
	UE_JIT=all ./tests/memcheck/run.sh
	UE_JIT=off ./tests/memcheck/run.sh
	./tests/memcheck/xml_reader.pl tests/memcheck/build/work/*/xml/*.xml
	./tests/strace/run.sh
	./tests/core/run.sh
	./tests/hostile/run.sh --seed 7 --count 3500
	UE_JIT=off ./tests/fuzz/run.sh --seed 0x5eed --count 2500000
	UE_JIT=all ./tests/fuzz/run.sh --seed 0x5eed --count 1000000
	UE_JIT=off ./tests/fuzz/run.sh --seed 0x5e41 --count 300000 --sets int:1,sse:1,sse41:3
	UE_JIT=all ./tests/fuzz/run.sh --seed 0x5e41 --count 100000 --sets int:1,sse:1,sse41:3
	UE_JIT=off ./tests/fuzz/run.sh --seed 0x5e42 --count 300000 --sets int:1,sse:1,sse42:3
	UE_JIT=all ./tests/fuzz/run.sh --seed 0x5e42 --count 100000 --sets int:1,sse:1,sse42:3
	UE_JIT=off ./tests/fuzz/run.sh --seed 0xae5 --count 300000 --sets int:1,sse:1,aes:3
	UE_JIT=all ./tests/fuzz/run.sh --seed 0xae5 --count 100000 --sets int:1,sse:1,aes:3
	UE_JIT=off ./tests/fuzz/run.sh --seed 0x5a1 --count 300000 --sets int:1,sse:1,sha:3
	UE_JIT=all ./tests/fuzz/run.sh --seed 0x5a1 --count 100000 --sets int:1,sse:1,sha:3
	UE_JIT=off ./tests/fuzz/run.sh --seed 0xb312 --count 300000 --sets int:1,bmi:3
	UE_JIT=all ./tests/fuzz/run.sh --seed 0xb312 --count 100000 --sets int:1,bmi:3
	UE_CHECKED_CPU=1 UE_JIT=all ./tests/fuzz/run.sh --seed 0xc4ec --count 300000
	./tests/facts.sh --seed 0xfac7 --count 300000
	$(MAKE) --no-print-directory check-hostile

# Differential instruction fuzzer, native against ue:
# make fuzz-isa FUZZ_SECONDS=3600 [FUZZ_SEED=0x...] [FUZZ_SETS=int,x87]
fuzz-isa: ue
	./tests/setup.sh
	./tests/fuzz/run.sh

# Hostile-ELF fuzzer, native against ue (mutated headers and program headers):
# make fuzz-elf FUZZ_SECONDS=600 [FUZZ_SEED=N]
fuzz-elf: ue
	./tests/setup.sh
	./tests/hostile/run.sh

# Real Debian i386 programs (busybox, coreutils) against native runs.
check-real: ue libuealloc.so
	./tests/setup.sh
	./tests/real/run.sh
	UE_JIT=all ./tests/real/run.sh
	UE_JIT=off ./tests/real/run.sh
	./tests/memcheck/clean.sh real

# The whole differential suite under ue --memcheck: no errors but the ones
# the tests cause on purpose (about 15 minutes; not part of make check).
check-memcheck-suite: ue libuealloc.so
	./tests/setup.sh
	./tests/memcheck/clean.sh suite

# Builds ue and runs the bundled example under it.
demo: ue
	./tests/setup.sh --demo
	$(MAKE) -C examples
	./ue examples/hello "from ue"

bench: ue
	./bench/run.sh

# memcheck's default suppressions, embedded as a NUL-terminated char array.
build/default_supp.h: src/check/default.supp
	@mkdir -p build
	{ echo '/* generated from src/check/default.supp: do not edit */'; \
	  echo 'static const char default_supp_text[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00 };'; } > $@

build/check/report.o: build/default_supp.h

clean:
	rm -rf build ue libuealloc.so tests/build examples/hello

.PHONY: all install check check-real demo bench clean fuzz-isa fuzz-elf unit fuzz-sys fuzz-race fuzz-sigframe check-hostile

# Hostile-input fuzzers (tests/hostile/): ue never dies, and the guest sees
# what it would natively. make fuzz-sys FUZZ_SECONDS=3600 [FUZZ_SEED=0x...]
fuzz-sys: ue
	./tests/setup.sh
	./tests/hostile/guestfuzz.sh sys

fuzz-race: ue
	./tests/setup.sh
	./tests/hostile/guestfuzz.sh race

fuzz-sigframe: ue
	./tests/setup.sh
	./tests/hostile/guestfuzz.sh sigframe

# The short fixed-seed runs make check does. The --skip lists leave out the
# calls and cases with open findings (tests/hostile/FINDINGS.md); the long
# runs above keep them.
HOSTILE_SYS_SKIP =
HOSTILE_RACE_SKIP =
HOSTILE_SIGFRAME_SKIP = 8,9
check-hostile: ue
	./tests/setup.sh
	./tests/hostile/guestfuzz.sh sys --seed 0x5eed --batches 20 $(if $(HOSTILE_SYS_SKIP),--skip $(HOSTILE_SYS_SKIP))
	./tests/hostile/guestfuzz.sh race --seed 0x5eed --batches 20 $(if $(HOSTILE_RACE_SKIP),--skip $(HOSTILE_RACE_SKIP))
	./tests/hostile/guestfuzz.sh sigframe --seed 0x5eed --batches 20 --skip $(HOSTILE_SIGFRAME_SKIP)
