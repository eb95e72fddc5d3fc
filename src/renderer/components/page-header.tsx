// The top of a page: its title, a line on what it shows, and its actions on the right.
import type { ReactNode } from 'react';

export function PageHeader({
  title,
  children,
  actions,
}: {
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        <p>{children}</p>
      </div>
      {actions}
    </div>
  );
}
