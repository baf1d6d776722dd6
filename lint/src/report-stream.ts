import path from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { LintResult } from './engine.ts';
import type { FormatName, FormatOptions } from './format.ts';

/** The files of a result with `prefix` before their paths and those of their messages. */
export function withPrefix(result: LintResult, prefix: string): VFile[] {
  if (prefix === '') return result.files;
  const rename = (message: VFileMessage): void => {
    if (message.file) message.file = `${prefix}${message.file}`;
    if (message.cause && typeof message.cause === 'object' && 'reason' in message.cause)
      rename(message.cause as VFileMessage);
  };
  return result.files.map((file) => {
    const copy = new VFile({ path: `${prefix}${file.path}`, value: file.value });
    copy.messages = file.messages;
    for (const message of copy.messages) rename(message);
    return copy;
  });
}

/**
 * The files to print, with only their errors under `--quiet`, those with no message left out,
 * and the messages counted (on top of `counted`, those of files printed already).
 */
export function keep(
  files: VFile[],
  quiet: boolean | undefined,
  counted = { errorCount: 0, warningCount: 0 },
): LintResult {
  const kept = files
    .map((file) => {
      if (!quiet) return file;
      const copy = new VFile({ path: file.path, value: file.value });
      copy.messages = file.messages.filter((message) => message.fatal);
      return copy;
    })
    .filter((file) => file.messages.length > 0);
  let { errorCount, warningCount } = counted;
  for (const file of kept) {
    for (const message of file.messages) {
      if (message.fatal) errorCount++;
      else warningCount++;
    }
  }
  return { files: kept, errorCount, warningCount };
}

/** Where the files of a part come from: their catalog root, as printed, and those to report. */
interface StreamTarget {
  root: string;
  /** Put before every path printed (`''` or a folder with its trailing `/`). */
  prefix: string;
  /** Whether a path relative to the root is one to report on. */
  inTarget: (file: string) => boolean;
}

/** A report written part by part while a run goes on. */
export interface ReportStream {
  /**
   * Formats a part: the files with messages done (in path order, after those of every earlier
   * part) and the paths checked up to the same point; returns the output made so far.
   */
  add(files: VFile[], checked: readonly string[], target: StreamTarget): string;
  /** Messages printed so far, counted as the whole report counts them. */
  readonly counts: { errorCount: number; warningCount: number };
  /** The rest of the output, given the counts of the whole run. */
  end(errorCount: number, warningCount: number): string;
}

/** Options of `createReportStream`: the format's own and the run's `--quiet`. */
export interface ReportStreamOptions extends FormatOptions {
  quiet?: boolean | undefined;
}

const byPath = (a: VFile, b: VFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * A report in `name` that takes the parts of a run as they are done, so that no message (nor, for
 * JSON, file text) is kept until the end. Its output is what `formatResult` gives for the whole
 * result, given every part in order; JSON needs the checked paths of one catalog root only (the
 * whole report sorts the files of every root together).
 */
export async function createReportStream(
  name: FormatName,
  options: ReportStreamOptions,
): Promise<ReportStream> {
  const module = await import('./format.ts');
  let current: StreamTarget | undefined;
  // ESLint's `filePath` is absolute: the file's path in the root of the part it comes with.
  const absolutePath = (printed: string): string =>
    current ? path.join(current.root, printed.slice(current.prefix.length)) : printed;
  let formatter: { add: (file: VFile) => void; take: () => string };
  let end: (errorCount: number, warningCount: number) => string;
  if (name === 'json' || name === 'sarif') {
    const document =
      name === 'json'
        ? module.createJsonFormatter({ ...options, absolutePath })
        : module.createSarifFormatter(options);
    formatter = document;
    end = () => document.end();
  } else {
    const lines = module.createLineFormatter(name, options);
    formatter = lines;
    end = (errorCount, warningCount) => lines.end(errorCount, warningCount);
  }
  const counts = { errorCount: 0, warningCount: 0 };
  return {
    counts,
    add(files, checked, target) {
      current = target;
      const { prefix, inTarget } = target;
      const shown = keep(
        withPrefix(
          { files: files.filter((file) => inTarget(file.path)), errorCount: 0, warningCount: 0 },
          prefix,
        ),
        options.quiet,
      );
      counts.errorCount += shown.errorCount;
      counts.warningCount += shown.warningCount;
      let printed = shown.files;
      if (name === 'json') {
        // Like ESLint, every file checked is listed, the clean ones with no messages.
        const withMessages = new Set(printed.map((file) => file.path));
        const clean = checked
          .filter((file) => inTarget(file))
          .map((file) => `${prefix}${file}`)
          .filter((file) => !withMessages.has(file))
          .map((file) => new VFile({ path: file }));
        if (clean.length > 0) printed = [...printed, ...clean].sort(byPath);
      }
      for (const file of printed) formatter.add(file);
      return formatter.take();
    },
    end,
  };
}
