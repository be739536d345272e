/** The part of the clock the fault proxy uses (see clock/clock.ts): toxics are timed on it. */
import type { Clock as FullClock } from '../../clock/clock.js';

export type Clock = Pick<FullClock, 'now' | 'setTimer'>;
export { systemClock } from '../../clock/clock.js';
