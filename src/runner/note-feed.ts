/** Observer notes a run records in its timeline as they arrive (from a game day, or a control endpoint). */

export interface RunNote {
  author: string;
  text: string;
  /** where it was written: the facilitator's terminal, `firedrill note`, `POST /note` */
  source: string;
}

export interface NoteFeed {
  /** calls `listener` for every note from now on; returns the unsubscribe */
  subscribe(listener: (note: RunNote) => void): () => void;
}
