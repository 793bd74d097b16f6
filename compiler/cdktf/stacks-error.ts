/**
 * The stacks' thread could not work for a reason in the machine or the installation, not in the
 * contracts or in callgate: cdktf missing, Node's heap limit reached. Shown as it is, with exit
 * status 2, and without the "this is a bug" of an internal error.
 */
export class StacksThreadError extends Error {}
