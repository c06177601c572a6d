import { errorResponse, type OpenApiObject } from './openapi';

/** The two ways `apiKeyMiddleware` accepts a key. */
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
