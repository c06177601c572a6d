import type { NextFunction, Request, Response } from 'express';
import { apiKeyMiddleware } from './api-key.middleware';

function call(keys: string[], headers: Record<string, string>) {
  let status = 200;
  let nextCalled = false;
  const req = { header: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  const res = { status: (s: number) => ((status = s), { json: () => undefined }) } as unknown as Response;
  apiKeyMiddleware(keys)(req, res, (() => (nextCalled = true)) as NextFunction);
  return { status, nextCalled };
}

describe('apiKeyMiddleware', () => {
  it('lets everything through when no keys are configured', () => {
    expect(call([], {})).toEqual({ status: 200, nextCalled: true });
  });

  it('accepts a configured key as Bearer token or X-API-Key, and refuses others with 401', () => {
    expect(call(['k1', 'k2'], { authorization: 'Bearer k2' }).nextCalled).toBe(true);
    expect(call(['k1'], { 'x-api-key': 'k1' }).nextCalled).toBe(true);
    expect(call(['k1'], { 'x-api-key': 'k10' })).toEqual({ status: 401, nextCalled: false });
    expect(call(['k1'], {})).toEqual({ status: 401, nextCalled: false });
  });
});
