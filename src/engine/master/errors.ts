// Why a master cannot serve its clients: the port cannot be bound, the start script failed.
// Fatal for the run, as in pbulk ("Could not bind socket", "Start script failed").
export class MasterError extends Error {
  constructor(
    message: string,
    /** The pbulk.conf variable the problem belongs to (its line gets the diagnostic). */
    readonly variable: string,
  ) {
    super(message);
  }
}
