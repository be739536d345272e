/**
 * The JSON the HTML report hands its chart script (written by chart-data.ts, read by
 * browser/chart-script.ts): one type both sides are checked against. Times in seconds.
 */

/** `[phase, startS, endS]` */
export type PhaseTuple = [name: string, startS: number, endS: number];
/** `[tS, kind, label]`; kind picks the colour and the short text */
export type MarkerTuple = [tS: number, kind: string, label: string];
/** `[axis, value, fromS, toS, label, held]`: held 1 held, 0 missed, -1 a kill-switch limit */
export type ThresholdTuple = [axis: 'pct' | 'y', value: number, fromS: number, toS: number, label: string, held: -1 | 0 | 1];

export interface ChartProbeData {
  /** what the main line shows */
  m: 'latency' | 'value';
  t: number[];
  y: (number | null)[];
  /** indexes of the failed samples */
  fi: number[];
  /** trailing success rate in % per point */
  ok: number[];
  thr: ThresholdTuple[];
  mk: MarkerTuple[];
}

export interface ChartData {
  endS: number;
  phases: PhaseTuple[];
  markers: MarkerTuple[];
  probes: ChartProbeData[];
}
