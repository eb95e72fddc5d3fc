// Parsing an image reference: `repo:tag`, `repo@sha256:…`, with an optional registry host (and port).
import { AppError } from '../../../shared/errors.js';

export interface ImageRef {
  /** Everything before the tag or digest: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`. */
  readonly name: string;
  readonly tag?: string | undefined;
  readonly digest?: string | undefined;
  /** Set when the image lives in ECR. */
  readonly ecr?: { readonly registryId: string; readonly region: string; readonly repository: string } | undefined;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/;

export function parseImageRef(ref: string): ImageRef {
  const text = ref.trim();
  const bad = (why: string): AppError =>
    new AppError('INVALID_INPUT', `"${ref}" is not an image reference (${why}). Give repo:tag or repo@sha256:DIGEST.`);
  if (text === '' || /\s/.test(text)) throw bad('it is empty or has spaces');
  let name = text;
  let tag: string | undefined;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at !== -1) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('the digest is not sha256:<64 hex characters>');
  }
  const colon = name.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag "${tag}" has characters a tag cannot have`);
  }
  if (name === '') throw bad('the repository is missing');
  const match = ECR_HOST.exec(name);
  const ecr =
    match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined
      ? { registryId: match[1], region: match[2], repository: match[3] }
      : undefined;
  return { name, tag: digest === undefined ? (tag ?? 'latest') : tag, digest, ecr };
}

export const pinned = (ref: ImageRef, digest: string): string => `${ref.name}@${digest}`;
