import type { Formatter } from './formatter.js';
import { printable } from './safe-text.js';

// Workflow commands: data is escaped for %, CR, LF; properties also for ':' and ','.
const escapeData = (s: string) => printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const command = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** GitHub Actions annotations, one `::error file=…,line=…::message` line per diagnostic. */
export const github: Formatter = (diagnostics) =>
  diagnostics
    .map((d) => {
      const props = [
        `file=${escapeProperty(d.file)}`,
        `line=${d.start.line}`,
        `col=${d.start.column}`,
        `endLine=${d.end.line}`,
        `endColumn=${d.end.column}`,
        `title=${escapeProperty(`callgate ${d.code}`)}`,
      ];
      return `::${command[d.severity]} ${props.join(',')}::${escapeData(`${d.message} (${d.code})`)}\n`;
    })
    .join('');
