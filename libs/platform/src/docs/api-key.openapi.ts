import type { Role } from '@funnel/config';
import { errorResponse, type OpenApiObject } from './openapi';

/** The two ways `authenticateMiddleware` accepts a key. */
export const API_KEY_SECURITY_SCHEMES: { readonly [name: string]: OpenApiObject } = {
  bearerKey: { type: 'http', scheme: 'bearer', description: 'One of API_KEYS as `Authorization: Bearer <key>`.' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'One of API_KEYS as `X-API-Key: <key>`.' },
};

/** For an operation under /v1: a key is needed only when API_KEYS is set (`{}` = none). */
export const API_KEY_SECURITY = [{ bearerKey: [] }, { headerKey: [] }, {}];

export const UNAUTHORIZED_RESPONSE = errorResponse('API_KEYS is set and the request has no valid key.', {
  error: 'UNAUTHORIZED',
  message: 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)',
});

/** The key is valid but lacks `role` (README "Security"); `required` names the role. */
export const forbiddenResponse = (role: Role) =>
  errorResponse(`The key lacks the \`${role}\` role.`, {
    error: 'FORBIDDEN',
    message: `this endpoint needs the ${role} role; key "bi" has ${role === 'analyst' ? 'ingest' : 'analyst'}`,
  });

export const RATE_LIMITED_RESPONSE = {
  ...errorResponse('The key made more than RATE_LIMIT_PER_MINUTE requests this minute; `Retry-After` says when to retry.', {
    error: 'RATE_LIMITED',
    message: 'more than 1200 requests per minute for this key; retry after 17 s',
  }),
  headers: { 'Retry-After': { description: 'Seconds until the key may call again.', schema: { type: 'integer' } } },
};
