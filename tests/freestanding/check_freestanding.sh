#!/usr/bin/env bash
# Compiles the given kernel sources the way a bare-metal build would (no host headers at all, no
# exceptions, no RTTI, no libraries), links them into one relocatable object and fails if any
# symbol is left undefined other than what the platform must provide:
#   - nova::assert_failed, the platform's assertion hook;
#   - memcpy, memmove, memset, memcmp, which GCC requires of every freestanding environment.
# The platform interface itself is a class with virtual functions: it needs no symbols.
set -euo pipefail
cxx=$1 include=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

objects=()
for src in "$@"; do
  obj="$work/$(basename "$src").o"
  "$cxx" -std=c++20 -O2 -ffreestanding -nostdlib -nostdinc -nostdinc++ -fno-exceptions -fno-rtti \
    -fno-asynchronous-unwind-tables -fno-stack-protector -mno-red-zone -I"$include" -c "$src" -o "$obj"
  objects+=("$obj")
done
"$cxx" -nostdlib -r "${objects[@]}" -o "$work/kernel.o"

allowed='^(memcpy|memmove|memset|memcmp|nova::assert_failed\(char const\*, char const\*, int\))$'
undefined=$(nm -u -C "$work/kernel.o" | sed -E 's/^ *U //' | sort -u)
unexpected=$(grep -vE "$allowed" <<<"$undefined" || true)
if [[ -n "$unexpected" ]]; then
  echo "kernel_core is not freestanding; undefined symbols outside the platform interface:"
  echo "$unexpected"
  exit 1
fi
echo "kernel_core is freestanding: ${#objects[@]} sources, undefined symbols:" $undefined
