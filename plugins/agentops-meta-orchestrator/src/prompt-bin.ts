import { runPromptContext } from './commands/prompt.ts';
import { readStdin, writeStdout } from './stdio.ts';

// `hooks/prompt.sh`'s engine: the `prompt-context` command alone, bundled apart from the CLI so a
// prompt loads only the code it runs. It never fails the session.
try {
  runPromptContext(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdin: readStdin,
    stdout: writeStdout,
    stderr: (text) => process.stderr.write(text),
    self: process.argv[1] ?? '',
  });
} catch {
  // runPromptContext logs its own failures; anything else still leaves the prompt alone.
}
process.exitCode = 0;
