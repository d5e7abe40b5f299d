// The one way the page talks to CareLoop: JSON over fetch with the bearer token. A 401 ends the session and sends
// the person back to sign-in with a message; every other refusal becomes an ApiError with the server's code.
import { session } from './session.js';
import { explain } from './words.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** What to tell a person: plain words for codes we know, the server's own message otherwise. */
  get plain() { return explain(this.code, this.message, this.status); }
}

export const SESSION_ENDED = 'Your session has ended (after 30 minutes without activity, 12 hours in all, or a sign-out elsewhere). Please sign in again.';

async function request(method, path, body, {raw = false, contentType = null} = {}) {
  const headers = {};
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  let response;
  try {
    const sent = body === undefined ? undefined : contentType ? body : JSON.stringify(body);
    response = await fetch('/api/v1' + path, {method, headers, body: sent, cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'network', 'CareLoop cannot be reached. Check the connection and try again.');
  }
  if (response.status === 401 && session.token && !path.startsWith('/auth/login')) {
    session.end(SESSION_ENDED);
    window.dispatchEvent(new Event('careloop:signed-out'));
    throw new ApiError(401, 'unauthenticated', SESSION_ENDED);
  }
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = 'The request failed (HTTP ' + response.status + ').';
    try {
      const json = await response.json();
      code = json.error || code;
      message = json.message || message;
    } catch (ignored) { /* not JSON */ }
    throw new ApiError(response.status, code, message);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  put: (path, body) => request('PUT', path, body),
  raw: (path) => request('GET', path, undefined, {raw: true}),
  /** A file sent as it is, in its own media type (a FHIR Bundle, CSV). */
  upload: (path, text, contentType) => request('POST', path, text, {contentType}),
};

/** Fetches a file with the token and hands it to the browser as a download (a plain link could not carry the token). */
export async function download(path, filename) {
  const response = await api.raw(path);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return {claimCount: response.headers.get('X-CareLoop-Claim-Count')};
}
