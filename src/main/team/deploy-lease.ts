// What a release runner needs of deploy leases, and the no-op a machine's own workspace uses. Kept
// apart from the S3 implementation so a local command never loads the AWS SDK.
import type { EnvironmentLease, LeaseHolder } from '../../shared/contract/team.js';
import type { Reporter } from '../providers/provider.js';

export interface LeaseRequest {
  readonly pipeline: string;
  readonly environment: string;
  readonly holder: LeaseHolder;
  readonly reporter: Reporter;
  /** Aborting stops the wait (the queue entry is removed). */
  readonly signal: AbortSignal;
  /** The lease was taken over from a holder that stopped renewing it (its process died). */
  readonly onTakeover?: (previous: LeaseHolder) => Promise<void>;
}

export interface HeldLease {
  /** Aborts when the lease could not be renewed in time, so another runner may take it. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface DeployLeases {
  /** Resolves once this runner holds the environment's lease, after waiting in line for teammates. */
  acquire(request: LeaseRequest): Promise<HeldLease>;
  /** Leases held now and who waits for each. */
  list(): Promise<EnvironmentLease[]>;
}

/** This machine's own workspace: the providers' environment locks are enough. */
export const noLeases: DeployLeases = {
  acquire: () => Promise.resolve({ lost: new AbortController().signal, release: () => Promise.resolve() }),
  list: () => Promise.resolve([]),
};
