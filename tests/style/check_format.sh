#!/usr/bin/env bash
# Fails when a C++ source of the project differs from what the repository's .clang-format makes
# of it; clang-format names each place. Usage: check_format.sh CLANG_FORMAT SOURCE_DIR
set -euo pipefail
clang_format=$1
cd "$2"
mapfile -t files < <(find kernel_core sim kvm_shim vmm scenarios tools tests bench \
    -name '*.cpp' -o -name '*.hpp' | sort)
echo "${#files[@]} files checked"
if ! "$clang_format" --dry-run --Werror "${files[@]}"; then
  echo "not formatted as .clang-format says; fix with: clang-format -i FILE"
  exit 1
fi
