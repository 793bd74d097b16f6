import { parseAllDocuments } from 'yaml';

/** A generated Kubernetes object and where it starts in its file. */
export interface Located {
  file: string;
  line: number;
  object: { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
}

/** The objects of one generated manifest file, with the line each starts on. */
export function objectsIn(file: string, content: string | undefined): Located[] {
  if (content === undefined) return [];
  const lineOf = (offset: number) => content.slice(0, offset).split('\n').length;
  return parseAllDocuments(content).flatMap((d) => {
    const object = d.toJS() as Located['object'] | null;
    const kindAt = content.indexOf('kind:', d.range[0]);
    return object ? [{ file, line: lineOf(kindAt >= 0 ? kindAt : d.range[0]), object }] : [];
  });
}
