// The HTTP layer: JSON in, JSON out, every failure turned into an ApiError that carries the
// RFC 9457 problem details (status, code, detail, requestId) the API sends.

const TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  constructor({status = 0, code = 'HttpError', title = '', detail = '', requestId = '', retryAfter = null} = {}) {
    super(detail || title || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

/** The API base URL: the configured one without a trailing slash, or this page's origin. */
export function resolveBaseUrl(configured, origin = globalThis.location?.origin ?? '') {
  const base = (configured ?? '').trim() || origin;
  return base.replace(/\/+$/, '');
}

export class ApiClient {
  constructor(baseUrl, fetchImpl = (...args) => globalThis.fetch(...args)) {
    this.baseUrl = baseUrl;
    this.fetch = fetchImpl;
  }

  /**
   * @returns {Promise<{status: number, data: any, etag: string|null}>}
   * @throws {ApiError} for a non-2xx answer, a network failure (CORS included) or a timeout
   */
  async request(method, path, {body, token, headers = {}, query} = {}) {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
    }
    const init = {
      method,
      headers: {Accept: 'application/json, application/problem+json', ...headers},
      // Tokens travel in the Authorization header only: no cookies, no credentials mode.
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    let response;
    try {
      response = await this.fetch(url, init);
    } catch (e) {
      if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
        throw new ApiError({code: 'Timeout', detail: 'The API did not answer in time. Try again.'});
      }
      throw new ApiError({
        code: 'NetworkError',
        detail: `Could not reach the API at ${this.baseUrl}. Check your connection; if it persists, ` +
          'the API may not allow this page\'s origin (CORS) or the Content-Security-Policy may not list it.',
      });
    }

    const data = await readBody(response);
    if (response.ok) {
      return {status: response.status, data, etag: response.headers.get('ETag')};
    }
    throw toApiError(response, data);
  }
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(type)) return {text};
  try {
    return JSON.parse(text);
  } catch {
    return {text};
  }
}

function toApiError(response, data) {
  const problem = data && typeof data === 'object' && !('text' in data) ? data : {};
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return new ApiError({
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : fallbackCode(response.status),
    title: typeof problem.title === 'string' ? problem.title : response.statusText,
    detail: typeof problem.detail === 'string' ? problem.detail : '',
    requestId: typeof problem.requestId === 'string' ? problem.requestId : '',
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
  });
}

function fallbackCode(status) {
  return {
    400: 'InvalidRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict',
    412: 'PreconditionFailed', 429: 'TooManyRequests', 503: 'ServiceUnavailable',
  }[status] ?? (status >= 500 ? 'InternalError' : 'HttpError');
}
