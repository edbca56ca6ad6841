import path from 'node:path';
import {
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { AppConfig } from '../config';
import type { EvidenceStore } from '../app/gates/evidence-store.port';
import { EvidenceError } from './evidence-paths';
import type { Clock, Sleep } from '../shared/clock';
import { LocalEvidenceStore } from './local-evidence-store';
import { SharePointEvidenceStore } from './sharepoint-evidence-store';

/** Test and wiring overrides; production passes only the clock. */
export interface EvidenceStoreFactoryOptions {
  clock: Clock;
  /** Graph root without version (tests: the double). */
  graphBaseUrl?: string;
  /** Extra trusted CA certificates (tests: the double's certificate). */
  ca?: string | Buffer;
  /** Replaces the credential built from the config (tests). */
  credential?: TokenCredential;
  sleep?: Sleep;
  onRetry?: (info: { status: number; attempt: number; delayMs: number; url: string }) => void;
}

/** Picks the evidence store for the configuration: a local folder in demo mode, SharePoint in production. */
export function createEvidenceStore(
  config: Pick<AppConfig, 'mode' | 'database' | 'sharepointSiteId' | 'evidence'>,
  options: EvidenceStoreFactoryOptions,
): EvidenceStore {
  if (config.mode === 'demo') {
    return new LocalEvidenceStore(path.join(config.database.dataDir, 'evidence'), options.clock);
  }
  if (config.sharepointSiteId === null) {
    throw new EvidenceError(
      'EVIDENCE_INVALID_LOCATION',
      'SHAREPOINT_SITE_ID is required for evidence in production mode.',
    );
  }
  return new SharePointEvidenceStore({
    siteId: config.sharepointSiteId,
    driveId: config.evidence.driveId,
    credential: options.credential ?? graphCredential(config.evidence.graph),
    graphBaseUrl: options.graphBaseUrl,
    ca: options.ca,
    retry: options.sleep === undefined ? undefined : { sleep: options.sleep },
    onRetry: options.onRetry,
    clock: options.clock,
  });
}

/** The app-only Graph credential: the user-assigned managed identity if configured, else the app secret. */
export function graphCredential(graph: AppConfig['evidence']['graph']): TokenCredential {
  if (graph.managedIdentityClientId !== null) {
    return new ManagedIdentityCredential({ clientId: graph.managedIdentityClientId });
  }
  if (graph.tenantId === null || graph.clientId === null || graph.clientSecret === null) {
    // loadConfig refuses this combination in production; reaching here is a wiring bug.
    throw new EvidenceError(
      'EVIDENCE_INVALID_LOCATION',
      'Graph credential incomplete: set GRAPH_MANAGED_IDENTITY_CLIENT_ID, or GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_TENANT_ID.',
    );
  }
  return new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret);
}
