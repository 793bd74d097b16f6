import { readFileSync } from 'node:fs';

// The e2e deploy failed, rarely, on a request moto answered as already done
// (InvalidPermission.Duplicate, InvalidPermission.NotFound) while moto's log showed no earlier
// failure. The provider logs every request at DEBUG (TF_LOG_PROVIDER, into one file every
// terraform appends to) with its SDK attempt number (`amz-sdk-request: attempt=N`), and a failed
// deploy prints each retried request's whole story. That showed the cause: the SDK's retry of a
// request moto had carried out but whose answer the provider never read (moto_shim.py now gives
// such a retry the first answer). The report stays, so that any other failure of a retry shows.

/** The provider log's name, in the deploy's work directory. */
export const providerLog = 'provider.log';

const entryStart = /^(?=\d{4}-\d\d-\d\dT)/m;
// Fields that say what happened; the rest (headers, signatures, plugin plumbing) is left out.
const kept =
  /^(?:rpc\.method|tf_resource_type|tf_rpc|http\.method|http\.url|http\.status_code|http\.duration|error|err|aws\.sdk\.retry|http\.request\.header\.amz_sdk_request|http\.request\.header\.amz_sdk_invocation_id)=/;

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** One log entry, as its time, its message and the fields above. */
function condensed(entry: string): string {
  const oneLine = entry.replace(/\s+/g, ' ').trim();
  const head = /^(\S+) \[\w+\] [^:]+: ([^:]+):/.exec(oneLine);
  const fields = oneLine.match(/[\w.@]+=(?:"[^"]*"|\S+)/g) ?? [];
  return [head?.[1] ?? '', head?.[2] ?? '', ...fields.filter((f) => kept.test(f))].join(' ').slice(0, 600);
}

/**
 * Every request the SDK attempted more than once, in the log `file`: for each, the entries of the
 * same Terraform operation (its tf_req_id), condensed; `['none']` when nothing was retried.
 */
export function retriedRequests(file: string, maxLines = 120): string[] {
  const entries = read(file).split(entryStart);
  const operation = (e: string) => /tf_req_id=(\S+)/.exec(e)?.[1];
  const retried = new Set(entries.filter((e) => /attempt=(?:[2-9]|\d\d+);/.test(e)).flatMap((e) => operation(e) ?? []));
  if (retried.size === 0) return ['none'];
  const lines = [`${retried.size} operation(s) with a retried request (${file}):`];
  for (const e of entries) {
    const op = operation(e);
    if (op && retried.has(op) && /HTTP (?:Request Sent|Response Received)|error|retry/i.test(e))
      lines.push(`  ${condensed(e)}`);
  }
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more`] : lines;
}
