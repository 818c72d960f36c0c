/** Identifier generation, as a port so tests can make ids predictable. */
export interface Ids {
  /** A new unique id (UUID v4/v7 shaped string). */
  next(): string;
}
