/**
 * Accelerators: TDP, dense peak FLOP/s by dtype (no sparsity), and measured training draw where
 * published. Figures come from `shared/docs/carbon-reference.md` §3.1 (gathered 2026); each row
 * names its original source. Every value can be overridden per call (`powerWatts`, `peakFlops`).
 */
export type Dtype = 'bf16' | 'fp16' | 'tf32' | 'fp32';
/** The kind of device a hardware entry is: GPU, TPU or CPU. */
export type DeviceKind = 'gpu' | 'tpu' | 'cpu';

/** Average watts per device seen in published training runs (low and high) and what the figure covers. */
export interface MeasuredDraw {
  /** Average watts per device seen in training runs (low and high of the published figures). */
  readonly low: number;
  readonly high: number;
  /** What the figure covers, e.g. "system per chip incl. host share" or "GPU only". */
  readonly scope: string;
  readonly source: string;
}

/**
 * One accelerator in the hardware table: name, aliases, memory, TDP, peak FLOP/s per dtype and measured draw, each with its source.
 */
export interface AcceleratorSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: DeviceKind;
  /** Matched case-insensitively in addition to `id`. */
  readonly aliases: readonly string[];
  readonly tdpWatts: number;
  readonly tdpSource: string;
  /** Dense peak FLOP/s by dtype. */
  readonly peakFlops: Readonly<Partial<Record<Dtype, number>>>;
  readonly peakSource: string;
  /** Central per-device average draw used when the caller gives none. */
  readonly typicalWatts: number;
  readonly typicalSource: string;
  readonly measured?: MeasuredDraw;
  /** Replaces the generic draw-vs-TDP range where the TDP figure is known to be a poor anchor. */
  readonly powerRange?: { readonly low: number; readonly high: number; readonly reason: string };
  readonly memoryGb?: number;
}

const T = 1e12;
const STAS = 'stas00/ml-engineering compute/accelerator/README.md dense tables (read 2026, via carbon-reference.md §3.1)';
const PATTERSON = 'Patterson et al. 2021 "Carbon Emissions and Large Neural Network Training", Tables 1, 3, 4';

/** The accelerators the estimator knows (GPUs and TPUs), with sourced TDPs, peaks and draws. */
export const ACCELERATORS: readonly AcceleratorSpec[] = [
  {
    id: 'v100-sxm2',
    name: 'NVIDIA V100 SXM2',
    kind: 'gpu',
    aliases: ['v100', 'v100-sxm', 'tesla-v100'],
    memoryGb: 32,
    tdpWatts: 300,
    tdpSource: 'NVIDIA V100 datasheet (2018)',
    peakFlops: { fp16: 125 * T, fp32: 15.7 * T },
    peakSource: 'NVIDIA V100 datasheet (2018): 125 TFLOP/s FP16 tensor',
    typicalWatts: 330,
    typicalSource: `${PATTERSON}: ~330 W system power per chip (GPT-3)`,
    measured: { low: 325, high: 330, scope: 'system per chip incl. host share', source: `${PATTERSON}, Tables 3-4` },
  },
  {
    id: 'v100-pcie',
    name: 'NVIDIA V100 PCIe',
    kind: 'gpu',
    aliases: ['v100-pcie-16gb', 'v100-pcie-32gb'],
    memoryGb: 32,
    tdpWatts: 250,
    tdpSource: 'NVIDIA V100 datasheet (2018; mlco2/impact lists 300 W)',
    peakFlops: { fp16: 112 * T, fp32: 14 * T },
    peakSource: 'NVIDIA V100 datasheet (2018)',
    typicalWatts: 250,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 SXM 40GB',
    kind: 'gpu',
    aliases: ['a100', 'a100-sxm', 'a100-sxm4-40gb'],
    memoryGb: 40,
    tdpWatts: 400,
    tdpSource: `${STAS} (CTS up to 500 W)`,
    peakFlops: { bf16: 312 * T, fp16: 312 * T, tf32: 156 * T, fp32: 19.5 * T },
    peakSource: STAS,
    typicalWatts: 400,
    typicalSource: 'TDP, the basis of the BLOOM and Llama 2 footprints (Luccioni 2022; Touvron 2023)',
    measured: { low: 281, high: 281, scope: 'GPU only', source: 'Dodge et al. 2022, 6B-parameter run average (derived)' },
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 SXM 80GB',
    kind: 'gpu',
    aliases: ['a100-sxm4-80gb', 'a100-80g'],
    memoryGb: 80,
    tdpWatts: 400,
    tdpSource: `${STAS} (CTS up to 500 W)`,
    peakFlops: { bf16: 312 * T, fp16: 312 * T, tf32: 156 * T, fp32: 19.5 * T },
    peakSource: STAS,
    typicalWatts: 400,
    typicalSource: 'TDP, the basis of the BLOOM and Llama 2 footprints (Luccioni 2022; Touvron 2023)',
    measured: { low: 281, high: 281, scope: 'GPU only', source: 'Dodge et al. 2022, 6B-parameter run average (derived)' },
  },
  {
    id: 'a100-pcie-40gb',
    name: 'NVIDIA A100 PCIe 40GB',
    kind: 'gpu',
    aliases: ['a100-pcie'],
    memoryGb: 40,
    tdpWatts: 250,
    tdpSource: 'Green Algorithms data/v3.0/TDP_gpu.csv citing NVIDIA datasheets (2024)',
    peakFlops: { bf16: 312 * T, fp16: 312 * T, tf32: 156 * T, fp32: 19.5 * T },
    peakSource: STAS,
    typicalWatts: 250,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'a100-pcie-80gb',
    name: 'NVIDIA A100 PCIe 80GB',
    kind: 'gpu',
    aliases: [],
    memoryGb: 80,
    tdpWatts: 300,
    tdpSource: 'Green Algorithms data/v3.0/TDP_gpu.csv citing NVIDIA datasheets (2024)',
    peakFlops: { bf16: 312 * T, fp16: 312 * T, tf32: 156 * T, fp32: 19.5 * T },
    peakSource: STAS,
    typicalWatts: 300,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'h100-sxm',
    name: 'NVIDIA H100 SXM',
    kind: 'gpu',
    aliases: ['h100', 'h100-sxm5', 'h100-80gb'],
    memoryGb: 80,
    tdpWatts: 700,
    tdpSource: `${STAS}; Llama 3 paper (2024) "700W TDP"`,
    peakFlops: { bf16: 989 * T, fp16: 989 * T, tf32: 494.5 * T, fp32: 67 * T },
    peakSource: STAS,
    typicalWatts: 700,
    typicalSource: 'TDP; Morrison et al. 2025 saw >600 W in training, ~100 W at checkpoints',
    measured: { low: 600, high: 700, scope: 'GPU only, training steps', source: 'Morrison et al. 2025 (ICLR 2025) §3' },
  },
  {
    id: 'h100-pcie',
    name: 'NVIDIA H100 PCIe',
    kind: 'gpu',
    aliases: [],
    memoryGb: 80,
    tdpWatts: 350,
    tdpSource: 'NVIDIA H100 product page (300-350 W configurable; 2023)',
    peakFlops: { bf16: 756 * T, fp16: 756 * T, tf32: 378 * T, fp32: 51 * T },
    peakSource: STAS,
    typicalWatts: 350,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 SXM',
    kind: 'gpu',
    aliases: ['h200-sxm'],
    memoryGb: 141,
    tdpWatts: 700,
    tdpSource: STAS,
    peakFlops: { bf16: 989 * T, fp16: 989 * T, tf32: 494.5 * T, fp32: 67 * T },
    peakSource: `${STAS} (same compute as H100)`,
    typicalWatts: 700,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'tpu-v2',
    name: 'Google TPU v2',
    kind: 'tpu',
    aliases: ['tpuv2'],
    tdpWatts: 280,
    tdpSource: `${PATTERSON}, footnotes 4 and 12`,
    peakFlops: { bf16: 46 * T },
    peakSource: `${PATTERSON}, footnotes 4 and 12`,
    typicalWatts: 221,
    typicalSource: `${PATTERSON} (221 W average, as used by mlco2/impact)`,
    measured: { low: 208, high: 229, scope: 'system per chip incl. host share', source: `${PATTERSON}, Tables 1 and 4` },
  },
  {
    id: 'tpu-v3',
    name: 'Google TPU v3',
    kind: 'tpu',
    aliases: ['tpuv3'],
    tdpWatts: 450,
    tdpSource: `${PATTERSON}, Table 4`,
    peakFlops: { bf16: 123 * T },
    peakSource: `${PATTERSON}, Table 4`,
    typicalWatts: 283,
    typicalSource: `${PATTERSON} (283 W average, as used by mlco2/impact)`,
    measured: { low: 245, high: 310, scope: 'system per chip incl. host share', source: `${PATTERSON}, Table 4` },
  },
  {
    id: 'tpu-v4',
    name: 'Google TPU v4',
    kind: 'tpu',
    aliases: ['tpuv4'],
    tdpWatts: 170,
    tdpSource: 'Green Algorithms data/v3.0/TDP_gpu.csv, from Cloud TPU docs (2024)',
    peakFlops: { bf16: 275 * T },
    peakSource: `${STAS}; Cloud TPU v4 docs`,
    typicalWatts: 378.5,
    typicalSource: 'Chowdhery et al. 2022 (PaLM) App. B: 378.5 W system per chip incl. host',
    powerRange: { low: 170, high: 378.5, reason: 'listed chip power (170 W) to measured system draw incl. host (378.5 W)' },
  },
  {
    id: 'tpu-v5e',
    name: 'Google TPU v5e',
    kind: 'tpu',
    aliases: ['tpuv5e'],
    tdpWatts: 378.5,
    tdpSource: 'not reported; assumed equal to TPU v4 measured system draw (PaLM App. B, 2022)',
    peakFlops: { bf16: 197 * T },
    peakSource: STAS,
    typicalWatts: 378.5,
    typicalSource: 'assumed: no published figure; TPU v4 system draw (PaLM App. B, 2022)',
    powerRange: { low: 170, high: 378.5, reason: 'no published figure; TPU v4 range borrowed, labelled as an assumption' },
  },
  {
    id: 'tpu-v5p',
    name: 'Google TPU v5p',
    kind: 'tpu',
    aliases: ['tpuv5p', 'tpu-v5'],
    tdpWatts: 378.5,
    tdpSource: 'not reported; assumed equal to TPU v4 measured system draw (PaLM App. B, 2022)',
    peakFlops: { bf16: 459 * T },
    peakSource: STAS,
    typicalWatts: 378.5,
    typicalSource: 'assumed: no published figure; TPU v4 system draw (PaLM App. B, 2022)',
    powerRange: { low: 170, high: 500, reason: 'no published figure; TPU v4 range widened upward for a larger chip, an assumption' },
  },
  {
    id: 'mi250x',
    name: 'AMD Instinct MI250X',
    kind: 'gpu',
    aliases: ['mi250'],
    memoryGb: 128,
    tdpWatts: 500,
    tdpSource: `${STAS} (AMD spec page: 500 W TDP, 560 W peak board)`,
    peakFlops: { bf16: 383 * T, fp16: 383 * T, fp32: 47.9 * T },
    peakSource: STAS,
    typicalWatts: 500,
    typicalSource: 'TDP (no published training measurement)',
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X',
    kind: 'gpu',
    aliases: ['mi300'],
    memoryGb: 192,
    tdpWatts: 750,
    tdpSource: `${STAS} (750 W peak board)`,
    peakFlops: { bf16: 1300 * T, fp16: 1300 * T, tf32: 653.7 * T, fp32: 163.4 * T },
    peakSource: STAS,
    typicalWatts: 750,
    typicalSource: 'peak board power (no published training measurement)',
  },
];

/**
 * Spread of measured average draw against TDP across the published runs in carbon-reference.md
 * §0 and §3.1: lowest TPU v3 245 W / 450 W = 0.54 (Patterson 2021 Table 4); highest V100
 * 330 W / 300 W = 1.10 incl. host share (Patterson 2021 Table 4). Used as the draw range of any
 * chip, widened to include its own measurements.
 */
export const DRAW_TO_TDP_RATIO = { low: 245 / 450, high: 330 / 300 } as const;
