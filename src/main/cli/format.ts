// Text for people: aligned tables, `v3`, short SHAs, relative times.
export const versionLabel = (version: number | undefined): string => (version === undefined ? '—' : `v${version}`);

export const shortSha = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : '—');

export function relativeTime(iso: string | undefined, now: number): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now - at) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const say = (n: number, unit: string): string => (future ? `in ${n}${unit}` : `${n}${unit} ago`);
  if (s < 45) return future ? 'in a moment' : 'just now';
  if (s < 3_600) return say(Math.max(1, Math.round(s / 60)), 'm');
  if (s < 86_400) return say(Math.round(s / 3_600), 'h');
  if (s < 30 * 86_400) return say(Math.round(s / 86_400), 'd');
  return new Date(at).toISOString().slice(0, 10);
}

/** Columns padded to the widest cell; the last column is not padded (no trailing spaces). No headers: no header row. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = headers.length === 0 ? rows : [headers, ...rows];
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...all.map((row) => [...(row[column] ?? '')].length)),
  );
  return all
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + (cell.length - [...cell].length)),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** One line of user text in a table cell. */
export const oneLine = (text: string, max = 60): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The person, and beside them the cloud identity the calls were made as (its ARN names the account). */
export const actorLabel = (actor: {
  user: string;
  email?: string | undefined;
  cloud?: { account: string; arn: string } | undefined;
}): string => (actor.cloud ? `${actor.user} (${actor.cloud.arn})` : actor.user);

/** `repo@sha256:0123456789ab…` → `sha256:0123456789ab`; a tag-named image as `name:tag`; none as `—`. */
export function imageLabel(image: string | undefined): string {
  if (image === undefined || image === '') return '—';
  const at = image.indexOf('@');
  if (at !== -1) return image.slice(at + 1, at + 1 + 'sha256:'.length + 12);
  return image.slice(image.lastIndexOf('/') + 1);
}
