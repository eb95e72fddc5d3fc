// A listener that throws must not stop the others, and must not vanish: it reaches the main log.
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';
import { setUnexpectedErrorHandler } from './unexpected-error.js';

afterEach(() => setUnexpectedErrorHandler(undefined));

describe('Emitter', () => {
  it('reports a throwing listener to the main log and still calls the others', () => {
    const logged: string[] = [];
    setUnexpectedErrorHandler((message, error) => logged.push(`${message}: ${(error as Error).message}`));
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener broke');
    });
    emitter.event((value) => seen.push(value));
    emitter.fire(7);
    expect(seen).toEqual([7]);
    expect(logged).toEqual([expect.stringMatching(/listener.*: listener broke$/)]);
  });
});
