// A unified git diff, one collapsible block per file, rendered by react-diff-view.
import { useMemo } from 'react';
import { Decoration, Diff, Hunk, parseDiff, type FileData } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import './diff-view.css';

const fileName = (file: FileData): string => {
  if (file.type === 'delete') return file.oldPath;
  if (file.type === 'rename' && file.oldPath !== file.newPath) return `${file.oldPath} → ${file.newPath}`;
  return file.newPath || file.oldPath;
};

const counts = (file: FileData): { add: number; del: number } => {
  let add = 0;
  let del = 0;
  for (const hunk of file.hunks) {
    for (const change of hunk.changes) {
      if (change.type === 'insert') add++;
      else if (change.type === 'delete') del++;
    }
  }
  return { add, del };
};

export function DiffView({ diff, truncated }: { diff: string; truncated: boolean }) {
  const files = useMemo(() => {
    try {
      return parseDiff(diff, { nearbySequences: 'zip' });
    } catch {
      return undefined;
    }
  }, [diff]);

  if (!files) return <pre className="output">{diff}</pre>;

  return (
    <div className="diff-view" data-testid="promote-diff">
      {files.map((file, index) => {
        const { add, del } = counts(file);
        return (
          <details key={`${fileName(file)}-${index}`} className="diff-file" open={index < 8}>
            <summary>
              <span className="diff-file-name">{fileName(file)}</span>
              <span className="diff-stat">
                <span className="diff-add">+{add}</span> <span className="diff-del">−{del}</span>
              </span>
            </summary>
            {file.isBinary || file.hunks.length === 0 ? (
              <p className="small muted diff-empty">{file.isBinary ? 'Binary file' : 'No textual changes'}</p>
            ) : (
              <Diff viewType="unified" diffType={file.type} hunks={file.hunks} gutterType="default">
                {(hunks) =>
                  hunks.flatMap((hunk, i) => [
                    <Decoration key={`d-${i}`}>
                      <span className="diff-hunk-header">{hunk.content}</span>
                    </Decoration>,
                    <Hunk key={`h-${i}`} hunk={hunk} />,
                  ])
                }
              </Diff>
            )}
          </details>
        );
      })}
      {truncated ? (
        <p className="small muted">
          The diff was cut short to keep this dialog fast; the compare link shows all of it.
        </p>
      ) : null}
    </div>
  );
}
