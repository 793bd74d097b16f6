import type { Protocol } from './types.js';

/** Protocols whose requests have methods and paths: the ones layer-7 rules and resilience apply to. */
export function isLayer7(protocol: Protocol): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}
