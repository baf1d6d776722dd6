import type { AnyRule } from '../rule.ts';
import componentPathsExist from './component-paths-exist.ts';
import hookCommandQuotesPluginRoot from './hook-command-quotes-plugin-root.ts';
import hookEventName from './hook-event-name.ts';
import linkTargetsExist from './link-targets-exist.ts';
import manifestUrlProtocol from './manifest-url-protocol.ts';
import noBroadHook from './no-broad-hook.ts';
import noDuplicatePatternId from './no-duplicate-pattern-id.ts';
import noDuplicatePluginName from './no-duplicate-plugin-name.ts';
import noInvalidDisable from './no-invalid-disable.ts';
import noMissingPluginSource from './no-missing-plugin-source.ts';
import noReservedMarketplaceName from './no-reserved-marketplace-name.ts';
import noReservedPluginName from './no-reserved-plugin-name.ts';
import noSecrets from './no-secrets.ts';
import noShadowedComponentFolder from './no-shadowed-component-folder.ts';
import noStrictFalseConflict from './no-strict-false-conflict.ts';
import noSymlinkOutsidePlugin from './no-symlink-outside-plugin.ts';
import noUnusedDisable from './no-unused-disable.ts';
import patternCategoryMatchesFolder from './pattern-category-matches-folder.ts';
import patternIdMatchesFile from './pattern-id-matches-file.ts';
import patternSections from './pattern-sections.ts';
import patternStatsConsistent from './pattern-stats-consistent.ts';
import patternStepsExist from './pattern-steps-exist.ts';
import patternValidatedThreshold from './pattern-validated-threshold.ts';
import pluginNameMatchesDir from './plugin-name-matches-dir.ts';
import pluginNameMatchesEntry from './plugin-name-matches-entry.ts';
import pluginVersionMatchesEntry from './plugin-version-matches-entry.ts';
import pluginVersionRequired from './plugin-version-required.ts';
import skillDescriptionLength from './skill-description-length.ts';
import skillLayout from './skill-layout.ts';
import skillNamePortable from './skill-name-portable.ts';

/** Every rule of agentops-lint, in alphabetical order of id. */
export const rules: readonly AnyRule[] = [
  componentPathsExist,
  hookCommandQuotesPluginRoot,
  hookEventName,
  linkTargetsExist,
  manifestUrlProtocol,
  noBroadHook,
  noDuplicatePatternId,
  noDuplicatePluginName,
  noInvalidDisable,
  noMissingPluginSource,
  noReservedMarketplaceName,
  noReservedPluginName,
  noSecrets,
  noShadowedComponentFolder,
  noStrictFalseConflict,
  noSymlinkOutsidePlugin,
  noUnusedDisable,
  patternCategoryMatchesFolder,
  patternIdMatchesFile,
  patternSections,
  patternStatsConsistent,
  patternStepsExist,
  patternValidatedThreshold,
  pluginNameMatchesDir,
  pluginNameMatchesEntry,
  pluginVersionMatchesEntry,
  pluginVersionRequired,
  skillDescriptionLength,
  skillLayout,
  skillNamePortable,
];
