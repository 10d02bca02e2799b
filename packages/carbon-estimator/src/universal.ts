// Everything that runs in any JavaScript runtime: projection, data, reports. No Node imports.
export { CarbonEstimatorError, type CarbonErrorCode, type CarbonErrorDetails } from './errors';
export { closeMatches } from './close-matches';
export { add, exact, fromObservations, multiply, range, reciprocal, scale, type Range } from './interval';
export { ACCELERATORS, DRAW_TO_TDP_RATIO, type AcceleratorSpec, type DeviceKind, type Dtype, type MeasuredDraw } from './data/accelerators';
export { CPUS, UNKNOWN_CPU, findCpuByModel, type CpuSpec } from './data/cpus';
export { COUNTRY_INTENSITIES, REGIONAL_AGGREGATES, type CountryIntensity, type IntensityObservation } from './data/grid-intensity';
export { CLOUD_REGIONS, type CloudProvider, type CloudRegion } from './data/cloud-regions';
export { PROVIDER_PUE, TRACKER_DEFAULT_PUE, UNKNOWN_DATACENTRE_PUE, type PueDefault } from './data/pue';
export { EMBODIED_KG_PER_DEVICE, LIFETIME_UTILISATION, SERVICE_LIFE_YEARS } from './data/embodied';
export { WHOLE_RUN_MFU } from './data/utilisation';
export { EQUIVALENCE_FACTORS, type EquivalenceFactor } from './data/equivalences';
export { trainingFlops, type TrainingFlops, type TransformerShape } from './flops';
export { devicePowerRange, listHardware, peakFlopsFor, resolveHardware } from './hardware';
export { listLocations, listRegionIds, resolveRegion, type ResolvedLocation } from './region';
export { estimateTraining } from './projection';
export { validateProjectionInput, type ProjectionInput } from './projection-input';
export {
  REPORT_SCHEMA,
  type Assumption,
  type Basis,
  type CarbonReport,
  type Component,
  type Equivalence,
  type Figure,
  type ReportFigures,
  type ReportLocation,
} from './report/schema';
export { toEstimateJson, type EstimateJson } from './report/estimate-json';
export { equivalencesFor } from './report/equivalences';
export { renderMarkdown, type RenderOptions } from './report/markdown';
export { renderHtml } from './report/html';
export { renderBarChartSvg, type ChartBar } from './report/svg-chart';
export {
  CODECARBON_COLUMNS,
  EXTRA_COLUMNS,
  MAX_EMISSIONS_CSV_CHARS,
  MAX_EMISSIONS_CSV_COLUMNS,
  emissionsCsvColumns,
  parseEmissionsCsv,
  parseEmissionsCsvHeader,
  toEmissionsCsv,
  type EmissionsRecord,
  type ParseCsvOptions,
} from './tracker/codecarbon-csv';
export { buildMeasurement, type ComponentEnergy, type Measurement, type MeasurementInput } from './tracker/measurement';
export { cpuPowerModel, type CpuPowerInput, type CpuPowerModel } from './tracker/cpu-power';
export { ramPowerWatts } from './tracker/ram-power';
export { TOOL_VERSION } from './version';
export { centralEnergy, estimate, estimateWithCalibration, defaultCalibration } from './projection';
export {
  CALIBRATED_COVERAGE,
  conformalEnds,
  fitCalibration,
  fittedMfu,
  MFU_FEATURES,
  mfuDeviceOf,
  quantile,
  type CalibrationFit,
  type CalibrationMode,
  type ConformalMethod,
  type MfuDevice,
  type MfuFeatures,
  type MfuModel,
  type ModeFit,
  type TargetFit,
} from './calibration/fit';
export { FOOTPRINTS, accountingInput, co2eComparable, planningInput, publishedCo2eScope, type Footprint } from './calibration/footprints';
export { combineIndependent, spreadOf, withSpread, type Spread } from './interval';
export { MEMORY_WATTS_PER_GB } from './data/memory';
export {
  suggestReductions,
  DEFAULT_REDUCTION_HARDWARE,
  DEFAULT_REDUCTION_REGIONS,
  type Reduction,
  type ReductionKind,
  type ReductionOptions,
} from './reductions';
export type { IntervalInfo } from './report/schema';
export { leaveOneOut, renderCalibrationTable, type LooRun, type LooSummary } from './calibration/evaluate';
export { compare, CHINCHILLA_TOKENS_PER_PARAM, MAX_COMPARE_ROWS, type CompareAxes, type CompareRow } from './compare';
export { formatCount } from './report/format';
