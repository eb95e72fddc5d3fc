// Says plainly when the window lost its connection to Slipway, and that it is trying again.
import { useEffect, useState } from 'react';
import { useConnectionState } from '../api/context.js';
import { SpinnerIcon } from '../components/icons.js';

/** The first connection usually takes milliseconds; a banner that flashes on every load is noise. */
const FIRST_CONNECT_GRACE_MS = 1_500;

export function ConnectionBanner() {
  const state = useConnectionState();
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), FIRST_CONNECT_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);

  if (state === 'open' || (state === 'connecting' && !graceOver)) return null;
  const text =
    state === 'reconnecting'
      ? 'Disconnected — reconnecting…'
      : state === 'connecting'
        ? 'Cannot reach Slipway — retrying…'
        : 'Disconnected. Reload the page to connect again.';
  return (
    <div className="banner" role="status" aria-live="polite" data-testid="connection-banner">
      {state === 'closed' ? null : <SpinnerIcon size={14} />}
      {text}
    </div>
  );
}
