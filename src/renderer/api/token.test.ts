import { describe, expect, it } from 'vitest';
import { extractToken } from './token.js';

describe('extractToken', () => {
  it('reads a bare token fragment and leaves an empty fragment', () => {
    expect(extractToken('#token=abc123')).toEqual({ token: 'abc123', rest: '' });
  });

  it('keeps the route when the token rides along with it', () => {
    expect(extractToken('#/activity&token=s3cr%2Ft')).toEqual({ token: 's3cr/t', rest: '#/activity' });
    expect(extractToken('#token=t&/pipelines/demo')).toEqual({ token: 't', rest: '#/pipelines/demo' });
  });

  it('returns no token when the fragment has none', () => {
    expect(extractToken('#/pipelines/demo')).toEqual({ token: undefined, rest: '#/pipelines/demo' });
    expect(extractToken('')).toEqual({ token: undefined, rest: '' });
  });

  it('treats an empty token as missing', () => {
    expect(extractToken('#token=').token).toBeUndefined();
  });
});
