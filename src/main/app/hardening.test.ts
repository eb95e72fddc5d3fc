import { describe, expect, it } from 'vitest';
import { isOpenableExternally } from './hardening.js';

describe('links the window may open in the system browser', () => {
  it('allows GitHub compare pages over https only', () => {
    expect(isOpenableExternally('https://github.com/acme/shop/compare/1a2b3c4...5d6e7f8')).toBe(true);
    for (const url of [
      'http://github.com/acme/shop/compare/a...b',
      'https://github.com.evil.example/acme/shop/compare/a...b',
      'https://github.com/acme/shop/settings',
      'https://evil.example/?https://github.com/acme/shop/compare/a...b',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isOpenableExternally(url), url).toBe(false);
    }
  });
});
