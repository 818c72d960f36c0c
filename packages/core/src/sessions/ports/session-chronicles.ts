/** What deleting a session needs from the chronicles store (the Chronicles issue implements it). */
export interface SessionChronicles {
  /** Deletes the session's chronicles and their timelines; returns how many were deleted. */
  deleteForSession(sessionId: string): Promise<number>;
}
