import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dirs.js';
import { skipWithout } from '../support/requirements.js';
import { missingTools, startMoto, type Moto } from './harness.js';

// The shim answers a later attempt of an invocation it carried out with the first attempt's answer
// (the e2e deploy's rare Duplicate), and nothing else: a new invocation that repeats a rule is
// still refused, so a stack that declares one rule twice still fails its deploy.

const skip = skipWithout("the moto shim's answers to retries", missingTools());

describe.skipIf(skip)("moto's answers to the SDK's retries", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto(await tempDir('callgate-e2e-shim-'), '');
  });
  afterAll(() => {
    moto.stop();
  });

  it('gives a retried invocation its first answer, and refuses the same rule from another', () => {
    const { answers, ingress } = moto.aws('retries') as { answers: string[]; ingress: number };
    const [first, retried, other, otherRetried] = answers;
    expect(first).toMatch(/^sgr-/);
    expect(retried).toBe(first);
    expect(other).toBe('InvalidPermission.Duplicate');
    expect(otherRetried).toBe('InvalidPermission.Duplicate');
    expect(ingress).toBe(1);
  });
});
