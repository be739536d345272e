/**
 * Observer notes while a day runs. Every source (the facilitator's terminal, `firedrill note`,
 * `POST /note`) publishes here; the day timeline and the current step's journal subscribe.
 * Notes are kept in the order they arrived.
 */
import type { NoteSource } from './day-record.js';

export interface Note {
  /** wall-clock time, ISO 8601 */
  at: string;
  author: string;
  source: NoteSource;
  text: string;
}

export type NoteListener = (note: Note) => void;

/** The longest note kept; a pasted log is cut, not refused. */
export const MAX_NOTE_CHARS = 2000;

export class NoteBus {
  readonly #listeners = new Set<NoteListener>();
  readonly notes: Note[] = [];

  /** Adds a note (text is trimmed, control characters become spaces); returns it, or undefined when empty. */
  publish(input: { author: string; source: NoteSource; text: string; at?: Date }): Note | undefined {
    // eslint-disable-next-line no-control-regex -- a note must not move the facilitator's cursor
    const text = input.text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, MAX_NOTE_CHARS);
    // eslint-disable-next-line no-control-regex
    const author = input.author.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 100) || 'anonymous';
    if (!text) return undefined;
    const note: Note = { at: (input.at ?? new Date()).toISOString(), author, source: input.source, text };
    this.notes.push(note);
    for (const listener of this.#listeners) {
      try {
        listener(note);
      } catch {
        // a broken listener must not lose the note for the others
      }
    }
    return note;
  }

  subscribe(listener: NoteListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
