// A VPC Lattice access log for `npm run bench`: the estate's Lattice edges called round-robin, one
// call in ten with a method the contract does not grant, written gzipped as S3 delivers it.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { discoverSources } from '../dist/load/discover.js';
import { runPipeline } from '../dist/pipeline.js';

export async function writeLatticeLog(dir, file, count) {
  const { model } = runPipeline(await discoverSources(dir, process.cwd()), { root: dir, emit: false });
  const exported = model.services.filter((s) => s.exposure.lattice);
  const arn = new Map(
    exported.map((s, i) => [
      s.id,
      `arn:aws:vpc-lattice:${s.region}:${s.account}:service/svc-${String(i).padStart(17, '0')}`,
    ]),
  );
  const byId = new Map(model.services.map((s) => [s.id, s]));
  const edges = model.edges.filter(
    (e) => e.path === 'lattice' && e.caller.kind === 'service' && byId.get(e.caller.service)?.iamRole,
  );
  if (edges.length === 0) throw new Error('the benchmark estate has no Lattice edge');
  const gzip = createGzip();
  const out = gzip.pipe(createWriteStream(file));
  for (let i = 0; i < count; i++) {
    const e = edges[i % edges.length];
    const caller = byId.get(e.caller.service);
    const role = caller.iamRole.replace(
      /^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/,
      'arn:aws:sts::$1:assumed-role/$2/s',
    );
    const line = JSON.stringify({
      eventTimestamp: new Date(Date.UTC(2026, 10, 30, 0, 0, i % 86400)).toISOString(),
      serviceNetworkArn: 'arn:aws:vpc-lattice:us-west-2:111111111111:servicenetwork/sn-00000000000000000',
      serviceArn: arn.get(e.callee),
      sourceVpcId: e.caller.sourceVpc,
      sourceIpPort: `10.1.${(i >> 8) & 255}.${i & 255}:40000`,
      callerPrincipal: role,
      requestMethod: i % 10 === 9 ? 'DELETE' : (e.methods?.[0] ?? 'GET'),
      requestPath: e.paths?.[0]?.replace(/\*$/, `item-${i % 1000}`) ?? `/items/${i % 1000}`,
      protocol: 'HTTP/1.1',
      responseCode: 200,
      authDeniedReason: 'null',
      bytesReceived: 120,
      bytesSent: 512,
      duration: 3,
    });
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(out, 'finish');
  return exported.map((s) => ({
    arn: arn.get(s.id),
    name: s.platform === 'eks' ? `${s.name}-${s.namespace}` : s.name,
  }));
}
