/** A backup that cannot be made, for a reason the operator can act on: printed without a stack trace. */
export class BackupError extends Error {}
