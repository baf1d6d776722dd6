/** The two install steps, as slash commands inside Claude Code and as shell commands. */
export interface InstallCommands {
  /** `/plugin marketplace add …` then `/plugin install …`, one per line. */
  slash: string;
  /** `claude plugin marketplace add …` then `claude plugin install …`, one per line. */
  shell: string;
}

/**
 * The commands that install `plugin` from the marketplace named `marketplace`, which users add
 * from `addSource` (`owner/repo`, a git URL or a path).
 */
export function installCommands(
  addSource: string,
  plugin: string,
  marketplace: string,
): InstallCommands {
  const id = `${plugin}@${marketplace}`;
  return {
    slash: `/plugin marketplace add ${addSource}\n/plugin install ${id}`,
    shell: `claude plugin marketplace add ${addSource}\nclaude plugin install ${id}`,
  };
}

/** `owner/repo` from a GitHub remote URL (`https://github.com/o/r.git`, `git@github.com:o/r`). */
export function githubRepoFromRemote(remote: string): string | undefined {
  const match = /github\.com[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
    remote.trim(),
  );
  return match ? `${match[1]}/${match[2]}` : undefined;
}
