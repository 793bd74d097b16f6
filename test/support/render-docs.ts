import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, diagnosticCodes, templateForDocs } from '../../compiler/diagnostics/catalog.js';
import { diagnosticLines } from './estate.js';
import { examples } from './examples.js';

const style = `Every diagnostic follows the same rules, so that a reader can act on it without
opening the docs:

- **one line**, starting lowercase (names and acronyms keep their case);
- **user input in backticks**, never paraphrased;
- **says what to do**: the last clause is the fix;
- a **stable code** (the headings below) and a **JSON path** into the document, from which
  callgate computes \`file:line:column\`. Codes never change meaning; new codes are added.

Severities: \`error\` fails \`check\` and \`compile\` (exit 1); \`warning\` is printed and passes
unless \`--max-warnings\` is exceeded; \`info\` explains and never fails.
`;

/** A minimal line diff (longest common subsequence), enough to show the fix of an example. */
function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+ ${b[j]}`);
      j++;
    } else {
      out.push(`- ${a[i]}`);
      i++;
    }
  }
  return out;
}

/** Unchanged lines far from any change are folded, as in a unified diff. */
function folded(diff: string[], context = 3): string {
  const near = diff.map((_, k) =>
    diff.slice(Math.max(0, k - context), k + context + 1).some((l) => !l.startsWith('  ')),
  );
  const out: string[] = [];
  diff.forEach((l, k) => {
    if (near[k]) out.push(l);
    else if (out[out.length - 1] !== '  …') out.push('  …');
  });
  return out.join('\n');
}

export function renderDiagnosticsDoc(): string {
  const byCode = new Map(examples().map((e) => [e.code, e]));
  const parts = [
    `# Diagnostics\n\nGenerated from \`compiler/diagnostics/catalog.ts\` and the examples under\n\`test/diagnostics/\` by \`npm run update-golden\`; the messages below are what callgate prints.\n\n## Message style\n\n${style}\n## Codes\n\n| code | severity | meaning |\n|---|---|---|\n${diagnosticCodes.map((c) => `| [\`${c}\`](#${c}) | ${catalog[c].severity} | ${catalog[c].summary} |`).join('\n')}\n`,
  ];
  for (const code of diagnosticCodes) {
    const info = catalog[code];
    const section = [
      `### ${code}\n\n**${info.severity}**: ${info.summary}.\n\n**Fix**: ${templateForDocs(info.fix)}.\n`,
    ];
    const example = byCode.get(code);
    if (example) {
      const messages = diagnosticLines(example.run('bad').diagnostics.filter((d) => d.code === code));
      const badText = readFileSync(join(example.dir, 'bad.yaml'));
      const goodText = readFileSync(join(example.dir, 'good.yaml'), 'utf8');
      const utf8 = !badText.includes(0xff);
      section.push(`Reported as:\n\n\`\`\`text\n${messages}\`\`\`\n`);
      section.push(
        utf8
          ? `The fix (\`-\` the failing example, \`+\` the corrected one):\n\n\`\`\`diff\n${folded(lineDiff(badText.toString('utf8').trimEnd().split('\n'), goodText.trimEnd().split('\n')))}\n\`\`\`\n`
          : 'The failing example holds the byte `0xff`, which is not UTF-8; re-saving the file as UTF-8 fixes it.\n',
      );
    } else {
      section.push('Its failing input is built by a test (see `test/diagnostics.test.ts`).\n');
    }
    parts.push(section.join('\n'));
  }
  return parts.join('\n');
}
