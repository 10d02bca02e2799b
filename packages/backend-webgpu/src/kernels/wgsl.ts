/**
 * WGSL fragments every kernel shares. Kernels take their sizes from `p`, a read-only
 * `array<u32>` bound after the buffers (f32 parameters travel as bit patterns), and most run one
 * invocation per output element in workgroups of 64, with y spilling past 65,535 groups.
 */
/** −∞ at run time: a constant expression that overflows f32 is a WGSL compile error. */
export const NEG_INFINITY = 'negativeInfinity()';
const NEG_INFINITY_FN = 'fn negativeInfinity() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }';

export const params = (binding: number): string => `@group(0) @binding(${binding}) var<storage, read> p: array<u32>;
${NEG_INFINITY_FN}`;

export const buffer = (binding: number, name: string, type: 'f32' | 'i32' | 'u32', access: 'read' | 'read_write'): string =>
  `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${type}>;`;

/** Entry point `main` with `i`, the flat invocation index; `body` must check `i` against its size. */
export const main1d = (body: string): string => `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
${body}
}`;

export const pf = (index: number): string => `bitcast<f32>(p[${index}])`;

/**
 * Entry point `main` with one workgroup of 64 per row: `row` (uniform, so `body` may return early
 * and call the workgroup reductions) and `lane`, which strides over the row's columns.
 */
export const mainPerRow = (body: string): string => `
var<workgroup> lanes: array<f32, 64>;

// Tree reductions over the 64 lanes; every lane must call them (they hold barriers).
fn workgroupSum(value: f32, lane: u32) -> f32 {
  lanes[lane] = value;
  for (var half = 32u; half > 0u; half = half / 2u) {
    workgroupBarrier();
    if (lane < half) { lanes[lane] = lanes[lane] + lanes[lane + half]; }
  }
  workgroupBarrier();
  let total = lanes[0];
  workgroupBarrier();
  return total;
}

fn workgroupMax(value: f32, lane: u32) -> f32 {
  lanes[lane] = value;
  for (var half = 32u; half > 0u; half = half / 2u) {
    workgroupBarrier();
    if (lane < half) { lanes[lane] = max(lanes[lane], lanes[lane + half]); }
  }
  workgroupBarrier();
  let best = lanes[0];
  workgroupBarrier();
  return best;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = group.x + group.y * groups.x;
  let lane = local.x;
${body}
}`;
