// Syncs the federated catalog: fetches every marketplace of federation/marketplaces.json,
// writes federation/snapshots/<id>.json and rebuilds federation/index.json.
//
//   npm run catalog:sync                          sync every listed marketplace
//   npm run catalog:sync -- --only owner__repo    sync one (repeatable); the index is rebuilt
//   npm run catalog:sync -- --list F --out D      another list file, another federation directory
//   npm run catalog:sync -- --concurrency 4       marketplaces fetched at once (default: CPUs)
//   npm run catalog:sync -- --allow-local         also accept file:// sources (local remotes)
//   npm run catalog:sync -- --mirror ../shared/mirror   read the trees of a mirror, not git
import path from 'node:path';
import { readScriptOptions } from '../script-options.ts';
import { concurrencyOption, syncFederation } from './sync.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

const options = readScriptOptions({
  usage: 'Usage: npm run catalog:sync -- [options]',
  summary:
    'Fetches every listed marketplace, writes its snapshot and rebuilds the federated index.',
  options: {
    only: {
      type: 'string',
      multiple: true,
      value: '<id>',
      description: 'sync only this marketplace (owner__repo); the index is still rebuilt',
      shownDefault: 'every one',
    },
    list: {
      type: 'string',
      value: '<file>',
      description: 'the list of marketplaces',
      shownDefault: 'federation/marketplaces.json',
    },
    out: {
      type: 'string',
      value: '<dir>',
      description: 'the federation directory written',
      shownDefault: 'federation',
    },
    concurrency: concurrencyOption,
    'allow-local': {
      type: 'boolean',
      default: false,
      description: 'also accept file:// sources (local remotes)',
    },
    mirror: {
      type: 'string',
      value: '<dir>',
      description: 'read the trees of this mirror instead of fetching with git',
    },
  },
});

if (options !== undefined) {
  const { values } = options;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const started = performance.now();
  const list = path.resolve(values.list ?? path.join(repoRoot, 'federation/marketplaces.json'));
  const result = await syncFederation({
    list,
    out: path.resolve(values.out ?? path.join(repoRoot, 'federation')),
    only: values.only,
    concurrency,
    allowLocal: values['allow-local'],
    mirror: values.mirror === undefined ? undefined : path.resolve(values.mirror),
  });
  for (const error of result.listErrors) console.error(`${path.basename(list)}: ${error}`);
  for (const error of result.mirrorErrors) console.error(`mirror: ${error}`);
  for (const outcome of result.outcomes) {
    const mark = outcome.changed ? 'updated' : 'unchanged';
    console.log(`${outcome.id}: ${outcome.status}, ${outcome.plugins} plugins, ${mark}`);
    for (const error of outcome.errors) console.log(`  ${error}`);
  }
  for (const id of result.removed) console.log(`${id}: removed (no longer listed)`);
  for (const id of result.notInMirror) console.log(`${id}: not in the mirror, left as it is`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.outcomes.length} marketplaces synced in ${seconds} s; index: ${result.indexPlugins} plugins, ${result.indexChanged ? 'updated' : 'unchanged'}`,
  );
  if (result.listErrors.length + result.mirrorErrors.length > 0) process.exitCode = 1;
}
