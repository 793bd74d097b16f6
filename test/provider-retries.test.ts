import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retriedRequests } from './e2e/provider-retries.js';
import { tempDir } from './support/temp-dirs.js';

// The e2e deploy's failure report (e2e/provider-retries.ts) reads the provider's DEBUG log: it
// must find the requests the SDK sent more than once, with their operation's story, and nothing else.

const entry = (time: string, message: string, fields: string) =>
  `2026-12-04T07:39:${time}Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: ${message}: ${fields}\n`;

describe("the e2e deploy's report of retried requests", () => {
  it("prints each retried operation's requests and answers, condensed, and nothing of the others", async () => {
    const dir = await tempDir('callgate-retries-');
    const log = join(dir, 'provider.log');
    writeFileSync(
      log,
      [
        entry(
          '01.000',
          'HTTP Request Sent',
          'tf_req_id=calm rpc.method=DescribeVpcs http.request.header.amz_sdk_request="attempt=1; max=25"',
        ),
        entry('01.100', 'HTTP Response Received', 'tf_req_id=calm rpc.method=DescribeVpcs http.status_code=200'),
        entry(
          '02.000',
          'HTTP Request Sent',
          'tf_req_id=op-1 rpc.method=AuthorizeSecurityGroupIngress http.request.header.authorization="AWS4-HMAC-SHA256 Signature=*****" http.request.header.amz_sdk_request="attempt=1; max=25"',
        ) + '  http.request.body=\n  | Action=AuthorizeSecurityGroupIngress&GroupId=sg-1\n',
        entry(
          '32.000',
          'HTTP Request Sent',
          'tf_req_id=op-1 rpc.method=AuthorizeSecurityGroupIngress http.request.header.amz_sdk_request="attempt=2; max=25"',
        ),
        entry(
          '32.100',
          'HTTP Response Received',
          'tf_req_id=op-1 rpc.method=AuthorizeSecurityGroupIngress http.status_code=400',
        ),
      ].join(''),
    );
    const lines = retriedRequests(log);
    expect(lines[0]).toBe(`1 operation(s) with a retried request (${log}):`);
    expect(lines.slice(1)).toEqual([
      '  2026-12-04T07:39:02.000Z HTTP Request Sent rpc.method=AuthorizeSecurityGroupIngress http.request.header.amz_sdk_request="attempt=1; max=25"',
      '  2026-12-04T07:39:32.000Z HTTP Request Sent rpc.method=AuthorizeSecurityGroupIngress http.request.header.amz_sdk_request="attempt=2; max=25"',
      '  2026-12-04T07:39:32.100Z HTTP Response Received rpc.method=AuthorizeSecurityGroupIngress http.status_code=400',
    ]);
  });

  it('says none when nothing was retried, or there is no log', async () => {
    const dir = await tempDir('callgate-retries-');
    const log = join(dir, 'provider.log');
    writeFileSync(
      log,
      entry('01.000', 'HTTP Request Sent', 'tf_req_id=a http.request.header.amz_sdk_request="attempt=1; max=3"'),
    );
    expect(retriedRequests(log)).toEqual(['none']);
    expect(retriedRequests(join(dir, 'absent.log'))).toEqual(['none']);
  });
});
