/** A problem with the output directory the user can act on: shown as it is, with exit status 2. */
export class OutputDirError extends Error {}
