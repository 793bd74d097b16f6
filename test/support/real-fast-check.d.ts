// fast-check itself, under the name the fuzz wrapper imports it by (deep-fast-check.ts): the
// configurations alias `fast-check` to the wrapper under `npm run fuzz`, and this name to fast-check.
declare module 'callgate-real-fast-check' {
  export * from 'fast-check';
  export { default } from 'fast-check';
}
