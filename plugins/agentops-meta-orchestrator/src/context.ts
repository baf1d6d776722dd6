/** Languages by file extension; anything else is known by its folder only. */
const languages: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  rb: 'ruby',
  php: 'php',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  swift: 'swift',
  sql: 'sql',
  md: 'markdown',
  mdx: 'markdown',
  css: 'css',
  scss: 'css',
  html: 'html',
  vue: 'vue',
  svelte: 'svelte',
  sh: 'shell',
  yml: 'yaml',
  yaml: 'yaml',
  json: 'json',
  toml: 'toml',
  tf: 'terraform',
};

const segmentRe = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Context terms of the paths an execution touched: `dir:<folder>` for each folder glob
 * (`src/auth/*.ts` → `dir:src/auth`) and `lang:<language>` for each known extension. They join
 * the task's keywords when tasks are grouped and when a task is matched to past ones; the `:`
 * keeps them apart from keywords, which are letters and digits only.
 */
export function contextTerms(paths: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const glob of paths ?? []) {
    if (typeof glob !== 'string' || glob.length > 300) continue;
    const parts = glob.split('/');
    const file = parts.pop() ?? '';
    const dirs = parts.filter((part) => part !== '' && part !== '.');
    if (dirs.length > 0 && dirs.every((part) => segmentRe.test(part) && part !== '..'))
      out.add(`dir:${dirs.slice(0, 3).join('/').toLowerCase()}`);
    const dot = file.lastIndexOf('.');
    const language = dot === -1 ? undefined : languages[file.slice(dot + 1).toLowerCase()];
    if (language !== undefined) out.add(`lang:${language}`);
  }
  return [...out].sort();
}

/** Whether a term is a context term (from paths) rather than a keyword. */
export function isContextTerm(term: string): boolean {
  return term.includes(':');
}
