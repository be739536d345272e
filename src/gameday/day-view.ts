/** Hooks for whoever shows the day live (the facilitator's terminal, a log). All optional. */
import type { Drill } from '../drill/schema.js';
import type { RunObserver } from '../journal/observer.js';
import type { DayCommand } from './command-channel.js';
import type { DayEvent, DayRecord } from './day-record.js';

export interface DayViewState {
  record: DayRecord;
  /** index of the step running now, if any */
  current?: number;
  /** what the day waits for from the facilitator, if anything */
  waitingFor: DayCommand[];
  /** a line explaining the wait: "type /done when the failover is finished" */
  prompt?: string;
  /** clock ms when this session started, and how much of maxDuration earlier sessions used */
  sessionStartMs: number;
  usedBeforeMs: number;
  killSwitch: string;
}

export interface DayView {
  onDayEvent?(event: DayEvent, state: DayViewState): void;
  onState?(state: DayViewState): void;
  /** observers for the drill (or manual step) that starts now */
  stepObservers?(drill: Drill, index: number): RunObserver[];
  close?(): void;
}
