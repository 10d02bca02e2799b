/**
 * Whole-run model FLOPs utilisation (MFU): the share of dense peak that a training run turns into
 * model FLOPs over its reported device-hours (carbon-reference.md §3.4, gathered 2026).
 *
 * This is the reference range, used when an estimate is not calibrated (input ranges only). A
 * calibrated projection does not use the 0.35 centre: `calibration/fit.ts` fits the centre as a
 * function of the device's peak on the published runs, refitted without the held-out run in
 * leave-one-out, and 0.35 only sets the unit the fitted weights are expressed in (it cancels).
 *  - central 0.35: median whole-run figure of runs that are also in data/footprints.json, derived: GPT-3 19.7%,
 *    BLOOM 32%, T5 37%, Llama 2 70B 43% (Patterson 2021; Luccioni 2022; Touvron 2023);
 *  - high 0.55: best reported step-level MFU, MegaScale 55.2% (175B, 12,288 GPUs);
 *  - low 0.15: lowest reported (GPT-3, 19.7-21.3%; Patterson 2021, Chowdhery 2022 Table 3)
 *    less part of the whole-run overhead gap seen for BLOOM (32% whole-run vs ~50% best-config).
 */
import type { Range } from '../interval';

/**
 * Whole-run model FLOPs utilisation of large training runs, as a range with sources (the default when none is given).
 */
export const WHOLE_RUN_MFU: Range & { readonly source: string } = {
  value: 0.35,
  low: 0.15,
  high: 0.55,
  source: 'Patterson 2021; Chowdhery 2022 Table 3; Luccioni 2022; Touvron 2023; MegaScale 2024 (see carbon-reference.md §3.4)',
};
