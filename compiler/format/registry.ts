import type { Formatter } from './formatter.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

/** Every output format, once; `--format` choices and help text derive from it. */
export const formatters = { stylish, json, sarif, github } as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;
export const formatNames: readonly FormatName[] = ['stylish', 'json', 'sarif', 'github'];
export const isFormatName = (v: string): v is FormatName => (formatNames as readonly string[]).includes(v);
