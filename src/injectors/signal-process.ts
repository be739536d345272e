/** Local process signalling lives with the executors (executors/local-signal.ts); re-exported for injectors and undo kinds. */
export { isErrno, signalIfSame, waitUntilStopped, type ProcessRef, type SignalOptions } from '../executors/local-signal.js';
