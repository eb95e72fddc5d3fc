// Where a webhook may post: http(s) only, and not into this machine or its private networks (a hook
// could otherwise reach a database admin page or a cloud metadata endpoint) unless the person allowed it
// for that hook. Checked when the hook is added and again before every attempt, on the addresses the
// name resolves to then, so a DNS answer that changes later cannot slip through.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../shared/errors.js';

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function parseHookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('INVALID_INPUT', `"${raw}" is not a URL. Give an http:// or https:// address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('INVALID_INPUT', `Webhooks post over http or https, not ${url.protocol.replace(':', '')}.`);
  if (url.username || url.password)
    throw new AppError(
      'INVALID_INPUT',
      'Leave credentials out of the webhook URL; the signature authenticates Slipway.',
    );
  return url;
}

/** Refuses a target inside this machine or a private network unless `allowPrivate`. */
export async function checkHookTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (error) {
    throw new AppError('PROVIDER_UNAVAILABLE', `The webhook host ${host} could not be resolved.`, { cause: error });
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside) {
    throw new AppError(
      'INVALID_INPUT',
      `The webhook host ${host} is a private or loopback address (${inside}). Use a public address, or allow it for this hook with --allow-private.`,
    );
  }
}
