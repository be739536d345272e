/**
 * A column of numbers held as whole steps of a fixed size (a run time in 0.1 ms, a latency in µs,
 * an HTTP status) in 4 or 2 bytes instead of 8, while every number is exactly `steps / perUnit`;
 * the first number that is not (a value off the step, beyond the range, a fraction) turns the
 * column into plain Float64 for good. Exact either way: a number is only stored as steps when
 * dividing them back gives the very same double.
 *
 * NaN is "none" (a sample without a status): steps are stored plus one, 0 is none.
 */
type Ints = Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer>;
type Floats = Float64Array<ArrayBuffer>;

export class StepColumn {
  readonly #perUnit: number;
  readonly #bytes: 2 | 4;
  readonly #maxStored: number;
  #ints: Ints | undefined;
  #floats: Floats | undefined;

  /** `bytes`: 4 (Uint32) or 2 (Uint16) a number while on the step. */
  constructor(perUnit: number, bytes: 2 | 4, capacity = 0) {
    this.#perUnit = perUnit;
    this.#bytes = bytes;
    this.#ints = bytes === 4 ? new Uint32Array(capacity) : new Uint16Array(capacity);
    this.#maxStored = bytes === 4 ? 0xffff_ffff : 0xffff;
  }

  get capacity(): number {
    return (this.#ints ?? (this.#floats as Floats)).length;
  }

  /** Bytes held (for tests and the docs' figures). */
  get byteLength(): number {
    return (this.#ints ?? (this.#floats as Floats)).byteLength;
  }

  at(i: number): number {
    const ints = this.#ints;
    if (ints === undefined) return (this.#floats as Floats)[i] as number;
    const stored = ints[i] as number;
    return stored === 0 ? NaN : (stored - 1) / this.#perUnit;
  }

  set(i: number, value: number): void {
    const ints = this.#ints;
    if (ints !== undefined) {
      if (Number.isNaN(value)) {
        ints[i] = 0;
        return;
      }
      const steps = Math.round(value * this.#perUnit);
      // -0 is stored as 0: the journal writes both as 0, and every comparison treats them alike
      if (steps >= 0 && steps < this.#maxStored && steps / this.#perUnit === value) {
        ints[i] = steps + 1;
        return;
      }
      this.#widen();
    }
    (this.#floats as Floats)[i] = value;
  }

  /** Room for `capacity` numbers (none = NaN), keeping those held. */
  resize(capacity: number): void {
    if (this.#ints) {
      const next = new (this.#ints.constructor as new (n: number) => Ints)(capacity);
      next.set(this.#ints.subarray(0, Math.min(capacity, this.#ints.length)));
      this.#ints = next;
    } else {
      const floats = this.#floats as Floats;
      const next = new Float64Array(capacity).fill(NaN);
      next.set(floats.subarray(0, Math.min(capacity, floats.length)));
      this.#floats = next;
    }
  }

  /** A new column of `order.length` numbers: the one at `order[k]` at `k`. */
  pick(order: Uint32Array): StepColumn {
    const next = new StepColumn(this.#perUnit, this.#bytes);
    const from = this.#ints ?? (this.#floats as Floats);
    const to = new (from.constructor as new (n: number) => Ints | Floats)(order.length);
    for (let k = 0; k < order.length; k++) to[k] = from[order[k] as number] as number;
    if (this.#ints) next.#ints = to as Ints;
    else {
      next.#ints = undefined;
      next.#floats = to as Floats;
    }
    return next;
  }

  #widen(): void {
    const ints = this.#ints as Ints;
    const floats = new Float64Array(ints.length);
    for (let i = 0; i < ints.length; i++) {
      const stored = ints[i] as number;
      floats[i] = stored === 0 ? NaN : (stored - 1) / this.#perUnit;
    }
    this.#floats = floats;
    this.#ints = undefined;
  }
}
