/**
 * Does a contract path pattern admit a path? `/v1/*` admits everything under `/v1/` (and a
 * narrower pattern such as `/v1/items/*`); any other pattern admits only itself.
 */
export const pathPatternAdmits = (pattern: string, path: string): boolean =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
