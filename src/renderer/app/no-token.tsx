// Shown in a browser opened without the access token the server printed.
import { LockIcon } from '../components/icons.js';

export function NoToken() {
  return (
    <main className="app-main" style={{ display: 'grid', placeItems: 'center', height: '100%' }}>
      <div className="card card-body" style={{ maxWidth: 480 }} role="alert">
        <h1 style={{ display: 'flex', gap: 8, alignItems: 'center', fontSize: 20 }}>
          <LockIcon /> Open Slipway from its link
        </h1>
        <p className="muted" style={{ marginTop: 8 }}>
          This page needs the access token Slipway prints when it starts. Run <code>slipway serve</code> and open the
          full link it prints (it ends in <code>#token=…</code>).
        </p>
      </div>
    </main>
  );
}
