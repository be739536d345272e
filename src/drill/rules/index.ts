/** The literal list of semantic rules `validate` runs after the schema. */
import type { DrillRule } from './contract.js';
import { duplicateFaultId, faultOutsideBlastRadius, killSwitchRefersToNothing, unknownProbe, unknownProbeHost, unknownTarget } from './references.js';
import { faultTargetKind, valueCheckOnValueProbe } from './compatibility.js';
import { invalidPattern } from './patterns.js';
import { irreversibleFault, killConditionOptions, noExpectations, noHypothesis, noKillSwitch, readinessMissing, selectionBounds, stopWithoutContinue, trafficShare } from './safety.js';
import { durationExceedsMax, faultDurationPositive, phaseTooShortForProbes, recoversWithinPlacement } from './timing.js';

export const rules: readonly DrillRule[] = [
  unknownTarget,
  faultOutsideBlastRadius,
  unknownProbe,
  unknownProbeHost,
  killSwitchRefersToNothing,
  duplicateFaultId,
  durationExceedsMax,
  faultDurationPositive,
  recoversWithinPlacement,
  phaseTooShortForProbes,
  irreversibleFault,
  stopWithoutContinue,
  selectionBounds,
  killConditionOptions,
  noKillSwitch,
  noExpectations,
  noHypothesis,
  readinessMissing,
  invalidPattern,
  faultTargetKind,
  trafficShare,
  valueCheckOnValueProbe,
];
