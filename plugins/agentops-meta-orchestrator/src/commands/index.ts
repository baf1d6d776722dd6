import { endCommand } from './end.ts';
import { hookCommand, sessionWorkerCommand } from './hook.ts';
import { outcomeCommand } from './outcome.ts';
import { checkCommand, listCommand, showCommand } from './patterns.ts';
import { promptContextCommand } from './prompt.ts';
import { recordCommand } from './record.ts';
import type { EngineCommand } from './registry.ts';
import { metricsCommand, statusCommand } from './report.ts';
import { startCommand } from './start.ts';
import {
  commitCommand,
  extractCommand,
  finalizeCommand,
  learnBackgroundCommand,
} from './store-commands.ts';
import { suggestCommand } from './suggest.ts';

/** Every engine command, in the order the help lists them. */
export const commands: readonly EngineCommand[] = [
  hookCommand,
  recordCommand,
  startCommand,
  endCommand,
  outcomeCommand,
  finalizeCommand,
  extractCommand,
  statusCommand,
  suggestCommand,
  commitCommand,
  metricsCommand,
  listCommand,
  showCommand,
  checkCommand,
  learnBackgroundCommand,
  sessionWorkerCommand,
  promptContextCommand,
];
