// The local provider's public surface.
export { createLocalProvider, type LocalProvider, type LocalProviderOptions } from './local-provider.js';
export { stopAllLocal, stopEnvironment } from './stop.js';
