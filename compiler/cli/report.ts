import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatters, type FormatName } from '../format/registry.js';
import { wantsColor, type CliIO } from './io.js';
import { version } from './version.js';

/** Print diagnostics in the chosen format and return the exit code they imply. */
export function report(
  diagnostics: readonly Diagnostic[],
  format: FormatName,
  maxWarnings: number | undefined,
  io: CliIO,
): number {
  const text = formatters[format](diagnostics, { color: format === 'stylish' && wantsColor(io), version });
  if (text) io.stdout(text);
  const n = countBySeverity(diagnostics);
  if (n.error > 0) return 1;
  if (maxWarnings !== undefined && n.warning > maxWarnings) {
    io.stderr(`callgate: ${n.warning} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}
