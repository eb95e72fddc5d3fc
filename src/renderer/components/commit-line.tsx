// One commit on one line: short SHA (the full one on hover), subject, author and when.
import type { Commit } from '../../shared/model.js';
import { RelativeTime } from './relative-time.js';

export function CommitLine({ commit }: { commit: Commit }) {
  return (
    <>
      <span className="sha" title={commit.sha}>
        {commit.shortSha}
      </span>
      <span className="commit-subject">{commit.subject}</span>
      <span className="commit-meta faint small">
        {commit.author} · <RelativeTime iso={commit.date} />
      </span>
    </>
  );
}
