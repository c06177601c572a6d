import { loadConfig } from '@funnel/config';
import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Access, AccessGuard } from './access.guard';
import { LOCAL_PRINCIPAL, principalOfKey, setPrincipal, type Principal } from './principal';

class Routes {
  @Access('ingest') post() {}
  @Access('metrics') metrics() {}
  undeclared() {}
}

const config = loadConfig({ API_KEYS: 'bi:analyst:bi-secret-0123456789' });

/** A REST call of `Routes[handler]` by `caller` (none = no valid key). */
function http(handler: keyof Routes, caller?: Principal): ExecutionContext {
  const req = {} as never;
  if (caller) setPrincipal(req, caller);
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

/** The JSON body of the HTTP exception `call` throws. */
function refusal(call: () => unknown): unknown {
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof ForbiddenException)) throw new Error('expected a ForbiddenException');
  return thrown.getResponse();
}

const guard = (metricsOpen = false) => new AccessGuard(new Reflector(), { ...config, metricsOpen });
const bi = principalOfKey(config.apiKeys[0]);

describe('AccessGuard on REST routes', () => {
  it('refuses a route that declares no access rule, even to a local caller', () => {
    expect(() => guard().canActivate(http('undeclared', LOCAL_PRINCIPAL))).toThrow(/declares no access rule/);
  });

  it('answers 401 without a caller and 403 naming the role without it', () => {
    expect(() => guard().canActivate(http('post'))).toThrow(UnauthorizedException);
    expect(() => guard().canActivate(http('post', bi))).toThrow(ForbiddenException);
    expect(refusal(() => guard().canActivate(http('post', bi)))).toEqual({
      error: 'FORBIDDEN',
      message: 'this endpoint needs the ingest role; key "bi" has analyst',
      required: 'ingest',
    });
    expect(guard().canActivate(http('post', LOCAL_PRINCIPAL))).toBe(true);
  });

  it('serves /metrics to any key, and to anyone with METRICS_OPEN', () => {
    expect(() => guard().canActivate(http('metrics'))).toThrow(UnauthorizedException);
    expect(guard().canActivate(http('metrics', bi))).toBe(true);
    expect(guard(true).canActivate(http('metrics'))).toBe(true);
  });
});
