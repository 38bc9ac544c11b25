# ue: userspace emulator for i386 Linux programs.
CC ?= gcc
CFLAGS ?= -O2 -g
UE_CFLAGS = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
            -fno-strict-aliasing -D_GNU_SOURCE -MMD -MP
LDFLAGS ?=
LIBS = -lm -lpthread

SRCS := $(wildcard src/*.c src/*/*.c)
OBJS := $(SRCS:src/%.c=build/%.o)

all: ue

ue: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

build/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(UE_CFLAGS) -c -o $@ $<

-include $(OBJS:.o=.d)

# Installs what the tests need (gcc-multilib...) when missing, builds, runs.
check: ue
	./tests/setup.sh
	./tests/run.sh

# Real Debian i386 programs (busybox, coreutils) against native runs.
check-real: ue
	./tests/setup.sh
	./tests/real/run.sh

# Builds ue and runs the bundled example under it.
demo: ue
	./tests/setup.sh --demo
	$(MAKE) -C examples
	./ue examples/hello "from ue"

bench: ue
	./bench/run.sh

clean:
	rm -rf build ue tests/build examples/hello

.PHONY: all check check-real demo bench clean
