/**
 * Embodied (manufacturing) CO2e per accelerator, amortised over its service life
 * (carbon-reference.md §3.7, gathered 2026).
 *  - low 150 kg: one A100 GPU alone (Luccioni et al. 2022, BLOOM);
 *  - central 318 kg: one A100 as 1/8 of a cloud instance (Chien et al., HotCarbon 2023);
 *  - high 463 kg: 1/8 of an 8-GPU node incl. server, 3,700 kg (Luccioni 2022; Morrison et al. 2025).
 * Die-only chip-area figures (LLMCarbon: V100 9.78 kg, H100 14.65 kg) leave out board, memory
 * and server, so they are not used as the low end.
 * Amortisation: life 4 y (Morrison 2025) to 6 y (Luccioni 2022), central 5 y (LLMCarbon);
 * utilisation 0.6 (upper end of Wu et al. 2022's 30-60%) to 1.0 (Morrison 2025), central 0.85 (Luccioni 2022).
 */
import type { Range } from '../interval';

/** Embodied (manufacturing) CO2e per accelerator, kg, as a range with sources. */
export const EMBODIED_KG_PER_DEVICE: Range & { readonly source: string } = {
  value: 318,
  low: 150,
  high: 463,
  source: 'Luccioni 2022 (150 kg GPU; 3,700 kg per 8-GPU node); Chien et al. HotCarbon 2023 (318 kg); Morrison 2025 (463 kg)',
};

/** Service life of an accelerator in years, as a range with sources. */
export const SERVICE_LIFE_YEARS: Range & { readonly source: string } = {
  value: 5,
  low: 4,
  high: 6,
  source: 'Morrison 2025 (4 y); LLMCarbon embodied.py (5 y); Luccioni 2022 (6 y)',
};

/**
 * Share of an accelerator's service life spent busy, as a range with sources (for amortising embodied CO2e).
 */
export const LIFETIME_UTILISATION: Range & { readonly source: string } = {
  value: 0.85,
  low: 0.6,
  high: 1.0,
  source: 'Luccioni 2022 (85%); Wu et al. 2022 (30-60%); Morrison 2025 (100%, derived)',
};

export const HOURS_PER_YEAR = 8760;
