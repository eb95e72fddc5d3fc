// Where the shared activity feed lives. Events are append-only; keys sort newest first so the latest
// page is one list call (a folder listing here, one ListObjectsV2 on S3).
import type { AuditEvent } from '../../shared/model.js';
import type { Disposable } from '../util/disposable.js';

export interface AuditFilter {
  readonly pipeline?: string | undefined;
  readonly environment?: string | undefined;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  readonly cursor?: string | undefined;
}

export interface AuditStore {
  /** A person-readable name for the UI ("folder …", "s3://bucket/prefix"). */
  readonly description: string;
  /** `key` pins the object name (a spooled event keeps the one it was first tried under). */
  append(event: AuditEvent, key?: string): Promise<void>;
  list(filter: AuditFilter & { limit: number; cursor?: string | undefined }): Promise<AuditPage>;
  /** New events, from this process or any other writing to the same store. */
  watch(listener: (event: AuditEvent) => void): Disposable;
}
