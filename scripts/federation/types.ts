/**
 * Shapes of the federation files. The snapshot and index types are generated from
 * `schemas/federation-snapshot.schema.json` and `schemas/federation-index.schema.json` (the
 * contract); these are the names the sync code uses for them.
 */
import type {
  FederationIndexCapabilities,
  FederationIndexComponents,
  FederationIndexFootprint,
  FederationIndexLint,
  FederationIndexPerson,
  FederationIndexSource,
  FederationIndexStatus,
  FederationSnapshot,
  FederationSnapshotError,
  FederationSnapshotMarketplace,
  FederationSnapshotPlugin,
} from '../../lint/src/generated/schema-types.ts';

/** One line of `federation/marketplaces.json`. */
export interface MarketplaceListEntry {
  /** `<owner>__<repo>`: the snapshot file name. */
  id: string;
  /** A git URL, or `owner/repo` for GitHub. */
  source: string;
  /** Branch or tag to fetch; the remote's default branch when absent. */
  ref?: string;
}

/** How the last sync of a marketplace went. */
export type MarketplaceStatus = FederationIndexStatus;

/** A problem that concerns a whole marketplace (fetch failure, unreadable or invalid file). */
export type SnapshotError = FederationSnapshotError;

/** Our lint verdict on a plugin (not the author's). */
export type LintVerdict = FederationIndexLint;

/** One lint message of a plugin. */
export type LintMessage = LintVerdict['messages'][number];

/** Where a marketplace entry gets its plugin from. */
export type PluginSource = FederationIndexSource;

/** A person or organisation as a manifest names it. */
export type Person = NonNullable<FederationIndexPerson>;

/** Every component a plugin contributes. */
export type Components = NonNullable<FederationIndexComponents>;

/** What a plugin runs or contacts. */
export type Capabilities = NonNullable<FederationIndexCapabilities>;

/** What a plugin runs on the user's machine, as the loader judges it (lists capped). */
export type Footprint = FederationIndexFootprint;

/** One plugin of a marketplace snapshot. */
export type SnapshotPlugin = FederationSnapshotPlugin;

/** The marketplace file's own fields. */
export type SnapshotMarketplace = NonNullable<FederationSnapshotMarketplace>;

/** `federation/snapshots/<id>.json`. */
export type Snapshot = FederationSnapshot;
