// Finds the Python that runs train_torch.py: --python, else $WATTFORMER_TORCH_PYTHON, else a venv
// in scripts/reference/nanogpt/.venv (gitignored) with pinned torch and numpy from PyPI, created
// on first use and reused after. PyPI's Linux torch wheel pulls NVIDIA CUDA wheels (3.0 GB download,
// 5.2 GB installed) even for CPU use; the first creation takes minutes to an hour. Only the CPU is used here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TORCH_REQUIREMENTS = ['torch==2.5.1', 'numpy==2.4.6'];
const VENV = fileURLToPath(new URL('./.venv', import.meta.url));

/** The torch version `python` imports, or undefined when it cannot import torch. */
function torchVersion(python) {
  try {
    return execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Resolves a Python with torch; `log` reports what it does. Returns { python, torch }. */
export function resolveTorchPython(explicit, log = console.log) {
  const given = explicit ?? process.env.WATTFORMER_TORCH_PYTHON;
  if (given) {
    const version = torchVersion(given);
    if (!version)
      throw new Error(
        `reference: python: expected ${given} to import torch, got an error\nhelp: pip install ${TORCH_REQUIREMENTS.join(' ')} into it, or unset WATTFORMER_TORCH_PYTHON to let run.mjs make a venv`,
      );
    return { python: given, torch: version };
  }
  const python = `${VENV}/bin/python`;
  const ready = existsSync(python) ? torchVersion(python) : undefined;
  if (ready?.startsWith('2.5.1')) return { python, torch: ready };
  log(`creating ${VENV} with ${TORCH_REQUIREMENTS.join(', ')} from PyPI (torch's Linux wheel brings CUDA libraries, 3.0 GB: this takes a while, once)`);
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', ...TORCH_REQUIREMENTS], { stdio: 'inherit' });
  const version = torchVersion(python);
  if (!version) throw new Error(`reference: python: expected torch importable from ${python} after pip install, got an error`);
  return { python, torch: version };
}
