#!/bin/bash -eu
# The OSS-Fuzz / ClusterFuzzLite build of novasim's hypercall fuzzer. It uses only what the build
# environment hands over — $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SANITIZER $OUT (and
# $WORK for intermediate files) — builds the target with CMake from the checkout it is run in
# (the Dockerfile's WORKDIR), and puts into $OUT the target, its options and its seed corpus.
# tests/fuzz/check_oss_fuzz_build.sh runs it outside Docker with clang and libFuzzer.
root=$PWD
if [[ ! -f $root/tools/fuzz/libfuzzer_target.cpp ]]; then
  echo "build.sh: run me from the novasim checkout (it is $root now)" >&2
  exit 2
fi
build=${WORK:-/tmp}/novasim-build

# Debian's and Ubuntu's libraries (fmt, Boost.Context) are built against libstdc++, so the
# target is too; the libFuzzer runtime carries its own internal libc++ and does not mind.
CXXFLAGS=${CXXFLAGS//-stdlib=libc++/}
# The simulator unwinds fibers through the freestanding kernel code when it discards them;
# clang gives freestanding code unwind tables only when asked.
export CFLAGS="$CFLAGS -funwind-tables" CXXFLAGS="$CXXFLAGS -funwind-tables"
# ASan needs the simulator's fiber annotations (sim/stack_switch_asan.cpp, NOVASIM_SANITIZE),
# which bring UBSan along, as in the asan preset; other sanitizers come from the flags alone.
sanitize=OFF
if [[ ${SANITIZER:-address} == address ]]; then sanitize=ON; fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= -DNOVASIM_FUZZ=ON \
  -DNOVASIM_SANITIZE=$sanitize "-DNOVASIM_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
cmake --build "$build" --target novasim_hypercall_fuzzer

cp "$build/tools/novasim_hypercall_fuzzer" "$OUT/"
cp "$root/.clusterfuzzlite/novasim_hypercall_fuzzer.options" "$OUT/"
rm -f "$OUT/novasim_hypercall_fuzzer_seed_corpus.zip"
(cd "$root" && zip -q -j "$OUT/novasim_hypercall_fuzzer_seed_corpus.zip" \
  tests/fuzz/seeds/*.hcl tests/fuzz/findings/*.hcl \
  tests/tools/programs/capabilities/*.hcl tests/tools/programs/ipc/*.hcl)
