// Errors a client's request can meet (the JSON-RPC layer and the CLI map them to codes).

/** A build is already running in this engine. */
export class BusyError extends Error {}

/** The request cannot be carried out as asked (nothing to resume, unknown package ...). */
export class RequestError extends Error {}
