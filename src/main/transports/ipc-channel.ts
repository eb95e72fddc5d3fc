// The one IPC channel between the window and the main process; imported by the preload, so no node here.
export const IPC_CHANNEL = 'slipway';
