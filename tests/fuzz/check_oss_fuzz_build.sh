#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh the way OSS-Fuzz would, without Docker: clang, libFuzzer and
# the flags of an OSS-Fuzz ASan build (libc++ included, which build.sh must drop), a scratch
# $OUT and $WORK. Then checks what $OUT holds — the target, its options, a seed corpus with
# every seed and finding — and runs the target on that corpus: each input once, nothing fires.
# Usage: check_oss_fuzz_build.sh SOURCE_DIR SCRATCH_DIR
set -euo pipefail
src=$1 scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/work" "$scratch/corpus"
export CC=clang CXX=clang++ SANITIZER=address LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS -stdlib=libc++"
export OUT=$scratch/out WORK=$scratch/work
(cd "$src" && ./.clusterfuzzlite/build.sh)

target=$OUT/novasim_hypercall_fuzzer
test -x "$target" || { echo "no target in \$OUT"; exit 1; }
test -f "$OUT/novasim_hypercall_fuzzer.options" || { echo "no options in \$OUT"; exit 1; }
expected=$(cd "$src" && ls tests/fuzz/seeds/*.hcl tests/fuzz/findings/*.hcl \
  tests/tools/programs/capabilities/*.hcl tests/tools/programs/ipc/*.hcl | wc -l)
(cd "$scratch/corpus" && unzip -q "$OUT/novasim_hypercall_fuzzer_seed_corpus.zip")
found=$(ls "$scratch/corpus" | wc -l)
if [[ $found -ne $expected ]]; then
  echo "the seed corpus holds $found programs, the tree $expected"
  exit 1
fi
"$target" -runs=0 -max_len=8192 "$scratch/corpus"
echo "build.sh: $target, with $found seeds, runs its corpus"
