// `slipway`: a fresh loopback server and workspace per spec file, shared by that file's tests, and
// stopped (with every environment it started) once the file is done.
import { test as base, type Page } from '@playwright/test';
import { userInfo } from 'node:os';
import { startServer, type CliResult, type SlipwayServer } from './support/server.js';

export { expect } from '@playwright/test';
export type { CliResult, SlipwayServer };

export interface Slipway extends SlipwayServer {
  /** Opens the app at `route` (default: home) in `page`, handing it the access token. */
  open(page: Page, route?: string): Promise<void>;
  /** Who actions are recorded as: the OS user. */
  readonly actor: string;
}

/** One server at a time: the file being run owns it; the next file's first test replaces it. */
class ServerPerFile {
  private current: { file: string; server: Promise<SlipwayServer> } | undefined;

  async forFile(file: string): Promise<SlipwayServer> {
    if (this.current?.file !== file) {
      await this.stop();
      this.current = { file, server: startServer() };
    }
    return this.current.server;
  }

  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await (await current.server.catch(() => undefined))?.stop();
  }
}

export const test = base.extend<{ slipway: Slipway }, { servers: ServerPerFile }>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function needs from this pattern.
    async ({}, use) => {
      const servers = new ServerPerFile();
      await use(servers);
      await servers.stop();
    },
    { scope: 'worker' },
  ],
  slipway: async ({ servers }, use, testInfo) => {
    const server = await servers.forFile(testInfo.file);
    await use({
      ...server,
      actor: userInfo().username,
      open: async (page, route) => {
        // The page reads its token once, when it loads; a page already showing Slipway keeps it.
        if (page.url().startsWith(`${server.origin}/`)) await page.goto(`${server.origin}/${route ?? '#/'}`);
        else await page.goto(route === undefined ? server.url : server.routeUrl(route));
      },
    });
  },
});
