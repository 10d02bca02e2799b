export { learningRateAt } from './lr-schedule';
export type { LrSchedule } from './lr-schedule';
