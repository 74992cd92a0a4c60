/**
 * Which PyTorch the bench compares against (issue 16). Debian's python3-torch is built against
 * the generic BLAS interface (`BLAS_INFO=generic` in `torch.__config__`, whatever is installed),
 * so the build settings alone cannot say whether its products run on the reference BLAS
 * (~3 GFLOP/s a core) or on OpenBLAS (~45): the probe also reads which BLAS library the process
 * actually loaded (/proc/self/maps, where there is one) and times a 512³ product on one thread.
 * A PyTorch on the reference BLAS is no peer: the bench prints its ratios as "not comparable".
 */
import { runPythonJson } from './runTorch';

const PROBE_PY = String.raw`
import json, os, re, sys, time
import torch
cfg = json.loads(sys.argv[1])
torch.set_num_threads(1)
a = torch.randn(512, 512); b = torch.randn(512, 512)
for _ in range(3): a @ b
best = float("inf")
for _ in range(5):
    t0 = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t0)
show = torch.__config__.show()
m = re.search(r"BLAS_INFO=([^,\s]+)", show)
dnn = re.search(r"(?:MKL-DNN|oneDNN)[^\n]*?v([0-9.]+)", show)
libs = []
try:
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            name = os.path.basename(p).lower()
            if p.startswith("/") and re.search(r"blas|mkl_|libmkl|openblas|blis|accelerate|veclib", name) and os.path.realpath(p) not in libs:
                libs.append(os.path.realpath(p))
except OSError:
    pass
print(json.dumps({
    "torch": torch.__version__,
    "blasInfo": m.group(1) if m else None,
    "blasLibraries": libs,
    "gflops": 2 * 512 ** 3 / best / 1e9,
    "mkldnn": bool(torch.backends.mkldnn.is_available()),
    "onednnVersion": dnn.group(1) if dnn else None,
}))
`;

export type BlasKind = 'openblas' | 'mkl' | 'blis' | 'accelerate' | 'reference' | 'unknown';

export interface TorchReference {
  python: string;
  torch: string;
  /** BLAS_INFO from torch.__config__.show(). */
  blasInfo: string | null;
  /** The BLAS libraries the process had loaded after a product (real paths); empty where unknown. */
  blasLibraries: string[];
  /** One thread, a 512×512 by 512×512 float product, best of 5. */
  gflops: number;
  blas: BlasKind;
  /** "oneDNN 2.6.3", or "PyTorch's own (no oneDNN)". */
  conv: string;
  /** False for the reference BLAS: then the bench's ratios are "not comparable". */
  comparable: boolean;
  /** What the bench prints beside the ratios. */
  summary: string;
  /** How to get a fair reference, when this one is not. */
  fix: string | null;
}

/** Below this a 512³ product is the reference BLAS's speed, not an optimised one's (~3 against ≥ 20). */
const REFERENCE_GFLOPS = 10;

const FIX =
  'install an optimised BLAS: on Debian or Ubuntu `apt-get install libopenblas0-openmp` beside python3-torch (the system BLAS becomes OpenBLAS), or use a PyTorch from pip or conda (MKL or OpenBLAS inside)';

/** Names the BLAS from what the process loaded, then from the build settings, then from its speed. */
export function classifyBlas(blasInfo: string | null, libraries: readonly string[], gflops: number): BlasKind {
  const libs = libraries.map((l) => l.toLowerCase());
  if (libs.some((l) => l.includes('openblas'))) return 'openblas';
  if (libs.some((l) => /libmkl|mkl_/.test(l))) return 'mkl';
  if (libs.some((l) => l.includes('blis'))) return 'blis';
  if (libs.some((l) => l.includes('accelerate') || l.includes('veclib'))) return 'accelerate';
  // Debian's reference BLAS lives in .../blas/libblas.so.3 (the alternative libopenblas replaces).
  if (libs.some((l) => /\/blas\/libblas\.so/.test(l))) return 'reference';
  const info = (blasInfo ?? '').toLowerCase();
  if (info.includes('mkl')) return 'mkl';
  if (info.includes('open')) return 'openblas';
  if (info.includes('accelerate')) return 'accelerate';
  if (info.includes('blis')) return 'blis';
  return gflops < REFERENCE_GFLOPS ? 'reference' : 'unknown';
}

const BLAS_NAMES: Record<BlasKind, string> = {
  openblas: 'OpenBLAS',
  mkl: 'MKL',
  blis: 'BLIS',
  accelerate: 'Accelerate',
  reference: 'the reference BLAS',
  unknown: 'an unnamed BLAS',
};

export function describeReference(
  python: string,
  raw: Omit<TorchReference, 'python' | 'blas' | 'conv' | 'comparable' | 'summary' | 'fix'> & { mkldnn: boolean; onednnVersion: string | null },
): TorchReference {
  const blas = classifyBlas(raw.blasInfo, raw.blasLibraries, raw.gflops);
  const conv = raw.mkldnn ? `oneDNN${raw.onednnVersion ? ` ${raw.onednnVersion}` : ''}` : "PyTorch's own (no oneDNN)";
  const comparable = blas !== 'reference';
  const lib = raw.blasLibraries.length ? ` (${raw.blasLibraries[0]})` : '';
  return {
    python,
    torch: raw.torch,
    blasInfo: raw.blasInfo,
    blasLibraries: raw.blasLibraries,
    gflops: raw.gflops,
    blas,
    conv,
    comparable,
    summary: `PyTorch ${raw.torch} (${python}): BLAS ${BLAS_NAMES[blas]}${lib}, BLAS_INFO=${raw.blasInfo ?? '?'}, ${raw.gflops.toFixed(1)} GFLOP/s on one thread (512³); convolutions ${conv}`,
    fix: comparable ? null : FIX,
  };
}

/** Runs the probe in `python`; throws when it fails. */
export function probeTorchReference(python: string): TorchReference {
  const raw = runPythonJson<Parameters<typeof describeReference>[1]>(python, PROBE_PY, {}, 'PyTorch probe');
  return describeReference(python, raw);
}

/** A ratio as the bench prints it: "not comparable" against the reference BLAS. */
export function showRatio(ratio: number | null, ref: TorchReference | null): string {
  if (ratio === null) return '—';
  return ref !== null && !ref.comparable ? `not comparable (${ratio.toFixed(2)}× vs reference BLAS)` : `${ratio.toFixed(2)}×`;
}
