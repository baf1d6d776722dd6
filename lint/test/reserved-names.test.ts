import { describe, expect, test } from 'vitest';
import {
  isOfficialMarketplaceName,
  isReservedPluginName,
  isReservedPluginNameWaived,
} from '../src/reserved-names.ts';

describe('isReservedPluginName', () => {
  test.for([
    'claude-helper',
    'anthropic-tools',
    'anthropics-kit',
    'cc-plugin-lint',
    'claude',
    'anthropic',
    'anthropics',
    'claude-code',
    'claude-mods',
    'Claude_Helper',
    'claude.helper',
    'claudecode',
    'official-claude-tools',
    'anthropic-official-tools',
    'my-claude_official',
  ])('reserves `%s`', (name) => {
    expect(isReservedPluginName(name)).toBe(true);
  });

  test.for([
    'my-claude-helper',
    'claudette',
    'claudehelper',
    'cc-plugin',
    'code-review',
    'official-tools',
    'my-anthropic-notes',
  ])('leaves `%s` free', (name) => {
    expect(isReservedPluginName(name)).toBe(false);
  });
});

describe('isReservedPluginNameWaived', () => {
  test('waives the check in an official marketplace, in any letter case', () => {
    expect(isReservedPluginNameWaived('claude-plugins-official')).toBe(true);
    expect(isReservedPluginNameWaived('Claude-Plugins-Official')).toBe(true);
    expect(isReservedPluginNameWaived('healthcare')).toBe(true);
  });

  test('keeps the check in the community and directory marketplaces and any other', () => {
    expect(isReservedPluginNameWaived('claude-community')).toBe(false);
    expect(isReservedPluginNameWaived('claude-plugin-directory')).toBe(false);
    expect(isReservedPluginNameWaived('acme-tools')).toBe(false);
  });
});

describe('isOfficialMarketplaceName', () => {
  test('knows every official name, in any letter case', () => {
    expect(isOfficialMarketplaceName('claude-community')).toBe(true);
    expect(isOfficialMarketplaceName('Agent-Skills')).toBe(true);
    expect(isOfficialMarketplaceName('acme-agent-skills')).toBe(false);
  });
});
