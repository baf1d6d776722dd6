import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The site package folder. */
export const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What to build and where. */
export interface BuildOptions {
  /** Marketplace repository to build the catalog of. */
  repo: string;
  /** Output folder. */
  outDir: string;
  /** Vite/Astro cache folder (so parallel builds do not share a data store). */
  cacheDir?: string;
  /** Base path; defaults to `/agentops-marketplace`. */
  base?: string;
  /** Extra environment. */
  env?: Record<string, string>;
}

/** The result of a build: its output and how long it took. */
export interface BuildResult {
  output: string;
  milliseconds: number;
  /** User plus system CPU seconds of the build, when `/usr/bin/time` is there to measure them. */
  cpuSeconds: number | undefined;
  /** Peak resident memory in MiB, measured the same way. */
  peakMiB: number | undefined;
}

const timeCommand = '/usr/bin/time';
const timeRe = /^agentops-time ([\d.]+) ([\d.]+) (\d+)$/m;

/** Variables a test runner (Vitest) sets that Vite would read as `import.meta.env` in the child build. */
const runnerEnvRe = /^(BASE_URL|MODE|DEV|PROD|SSR|SITE|ASSETS_PREFIX|NODE_ENV|TEST|VITEST.*)$/;

function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !runnerEnvRe.test(entry[0]),
    ),
  );
}

/** Runs `astro build` in a child process and resolves when it succeeds; rejects with its output when not. */
export function buildSite(options: BuildOptions): Promise<BuildResult> {
  const astro = path.join(siteDir, '..', 'node_modules', 'astro', 'bin', 'astro.mjs');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const measured = existsSync(timeCommand);
    const command = measured ? timeCommand : process.execPath;
    const args = measured
      ? ['-f', 'agentops-time %U %S %M', process.execPath, astro, 'build']
      : [astro, 'build'];
    const child = spawn(command, args, {
      cwd: siteDir,
      env: {
        ...cleanEnv(),
        ASTRO_TELEMETRY_DISABLED: '1',
        AGENTOPS_REPO: options.repo,
        AGENTOPS_OUT: options.outDir,
        ...(options.cacheDir ? { AGENTOPS_CACHE: options.cacheDir } : {}),
        ...(options.base !== undefined ? { AGENTOPS_BASE: options.base } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const time = timeRe.exec(output);
      const cpuSeconds = time ? Number(time[1]) + Number(time[2]) : undefined;
      const peakMiB = time ? Math.round(Number(time[3]) / 1024) : undefined;
      if (code === 0)
        resolve({ output, milliseconds: performance.now() - started, cpuSeconds, peakMiB });
      else reject(new Error(`astro build exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}
