import {
  adamw,
  embedding,
  matmul,
  memory,
  softmaxCrossEntropy,
  tensor,
  withBackend,
  WattformerError,
  zeros,
  type Backend,
  type ErrorCode,
} from '@wattformer/core';
import type { CheckResult } from './report';

/**
 * Bad input must be refused with the right code and leave nothing behind: no new live tensors,
 * no backend bytes, no changed values. Shape checks live in core, but index checks (gather,
 * cross-entropy targets) read backend data and in-place updates (adamw) run in the backend, so
 * every backend is held to this. An async-only backend (WebGPU) may `skip` the index refusals.
 */
interface Refusal {
  readonly name: string;
  readonly op: string;
  readonly code: ErrorCode;
  /** Makes the inputs (not counted), returns the failing call and a check that state is intact. */
  readonly prepare: () => { act: () => void; intact: () => Promise<boolean> };
}

const REFUSALS: readonly Refusal[] = [
  {
    name: 'embedding/out-of-range-id',
    op: 'gather',
    code: 'E_ARGUMENT',
    prepare: () => {
      const weight = zeros([4, 3]);
      const ids = tensor([1, 4, 0], [3], 'i32');
      return { act: () => embedding(weight, ids), intact: async () => true };
    },
  },
  {
    name: 'softmaxCrossEntropy/target-out-of-range',
    op: 'softmaxCrossEntropy',
    code: 'E_ARGUMENT',
    prepare: () => {
      const logits = zeros([2, 3, 5]);
      const targets = tensor(
        [
          [0, 4, -100],
          [5, 1, 2],
        ],
        [2, 3],
        'i32',
      );
      return { act: () => softmaxCrossEntropy(logits, targets), intact: async () => true };
    },
  },
  {
    name: 'matmul/inner-mismatch',
    op: 'matmul',
    code: 'E_SHAPE',
    prepare: () => {
      const a = zeros([2, 3]);
      const b = zeros([4, 5]);
      return { act: () => matmul(a, b), intact: async () => true };
    },
  },
  {
    name: 'adamw/shape-mismatch',
    op: 'adamw',
    code: 'E_SHAPE',
    prepare: () => {
      const param = tensor([1, 2, 3]);
      const grad = tensor([1, 1, 1]);
      const m = zeros([3]);
      const v = zeros([4]);
      return {
        act: () => adamw(param, grad, m, v, { learningRate: 0.1, step: 1 }),
        intact: async () => Array.from(await param.data()).join() === '1,2,3' && Array.from(await m.data()).join() === '0,0,0',
      };
    },
  },
];

export async function runRefusals(backend: Backend, selected: (name: string) => boolean = () => true): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const refusal of REFUSALS.filter((r) => selected(r.name))) {
    const base = { case: refusal.name, op: refusal.op, check: 'refusal' as const, tolerance: 'none' as const, maxAbsError: 0, maxRelError: 0, worstIndex: -1 };
    try {
      const { problems, intact } = withBackend(backend, () => {
        const prepared = refusal.prepare();
        const before = memory();
        let thrown: unknown = null;
        try {
          prepared.act();
        } catch (error) {
          thrown = error;
        }
        const after = memory();
        const found: string[] = [];
        if (!(thrown instanceof WattformerError)) found.push(`expected a WattformerError, got ${thrown === null ? 'no error' : String(thrown)}`);
        else if (thrown.code !== refusal.code) found.push(`expected code ${refusal.code}, got ${thrown.code}`);
        if (after.liveTensors !== before.liveTensors) found.push(`live tensors ${before.liveTensors} → ${after.liveTensors}`);
        if (after.backendBytes !== before.backendBytes) found.push(`backend bytes ${before.backendBytes} → ${after.backendBytes}`);
        return { problems: found, intact: prepared.intact };
      });
      if (!(await intact())) problems.push('inputs were modified');
      results.push({ ...base, passed: problems.length === 0, ...(problems.length ? { message: problems.join('; ') } : {}) });
    } catch (error) {
      results.push({ ...base, passed: false, message: `setup failed: ${String(error)}` });
    }
  }
  return results;
}

export const REFUSAL_NAMES: readonly string[] = REFUSALS.map((r) => r.name);
