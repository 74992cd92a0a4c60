#!/bin/sh
# Rebuilds the kernel modules from the C sources here: `npm run build:kernels` (Debian:
# apt-get install -y clang-19 lld-19; CLANG=... picks another clang ≥ 16, whose bytes may differ).
# The .wasm files are committed, so `npm ci` needs no C toolchain; run this after editing any .c
# or .h file here, or a flag below, and commit the .wasm files with build.sha256.
#   kernels.wasm                 SIMD128, imports tfjs-backend-wasm's memory (simdKernels.ts)
#   kernels-shared.wasm          the same over a shared memory: tfjs's shared heap (sharedHeap.ts)
#                                or the GEMM worker's own memory (threadedGemm.ts)
#   kernels-relaxed*.wasm        both again with relaxed SIMD: MADD (kernels.h) is one fused multiply-add.
#                                Loaded only where the engine validates relaxed SIMD (simdModule.ts).
# --import-memory: the kernels work on memory the loader owns. The modules have no data and the
# stack pointer is exported so the loader can point it at memory it owns (see simdKernels.ts).
# --strip-all leaves no debug info, names or producers section, so nothing of this machine
# (paths, compiler version) is in the bytes: the same clang gives the same files anywhere.
set -eu
cd "$(dirname "$0")"
# The sources' order is the link order; sort it the same way in every locale.
export LC_ALL=C
CLANG=${CLANG:-clang-19}
SRC=$(ls *.c | sort)
COMMON="--target=wasm32 -O3 -msimd128 -mbulk-memory -mmutable-globals -nostdlib -ffreestanding -fno-builtin -Wall -Werror
  -Wl,--no-entry -Wl,--import-memory -Wl,-z,stack-size=4096 -Wl,--strip-all"
SHARED="-matomics -Wl,--shared-memory -Wl,--max-memory=4294967296"
EXPORTED="-Wl,--export=__stack_pointer"
for variant in "" "-relaxed"; do
  EXTRA=""
  [ "$variant" = "-relaxed" ] && EXTRA="-mrelaxed-simd"
  # shellcheck disable=SC2086
  $CLANG $COMMON $EXTRA $EXPORTED -o "kernels$variant.wasm" $SRC
  # shellcheck disable=SC2086
  $CLANG $COMMON $EXTRA $SHARED $EXPORTED -o "kernels-shared$variant.wasm" $SRC
done
# What was built from what: the inputs (this script, so its flags, and every .c and .h here),
# then the modules. tests/unit/kernels/kernelSources.test.ts fails when a committed file no
# longer matches its line, so a source edited without this rebuild cannot be committed green.
{
  echo "# Written by build.sh with $($CLANG --version | head -n 1); do not edit. Check: sha256sum -c build.sha256"
  # shellcheck disable=SC2046
  sha256sum build.sh $(ls *.c *.h | sort)
  # shellcheck disable=SC2046
  sha256sum $(ls *.wasm | sort)
} > build.sha256
