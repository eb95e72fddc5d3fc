// Env vars named after Object members in a task definition registered outside Slipway.
import { describe, expect, it } from 'vitest';
import { applyConfig, readConfig } from './task-definition.js';

describe('readConfig', () => {
  it('keeps vars named __proto__, constructor and toString as ordinary vars, and applies them back unchanged', () => {
    const container = {
      name: 'web',
      environment: [
        { name: '__proto__', value: 'a' },
        { name: 'constructor', value: 'b' },
        { name: 'PORT', value: '3000' },
      ],
      secrets: [{ name: 'toString', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/t' }],
    };
    const config = readConfig(container);
    expect(Object.keys(config).sort()).toEqual(['PORT', '__proto__', 'constructor', 'toString']);
    expect(config['__proto__']).toEqual({ value: 'a', secret: false });
    expect(config['constructor']).toEqual({ value: 'b', secret: false });
    expect(config['toString']).toEqual({ value: 'arn:aws:ssm:eu-west-1:123456789012:parameter/t', secret: true });
    // An absent member name is not found through a prototype.
    expect(config['hasOwnProperty']).toBeUndefined();
    expect(applyConfig(container, config)).toEqual(container);
  });
});
