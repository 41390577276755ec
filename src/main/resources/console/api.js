// The router's API, called with the user's key in the X-Api-Key header. The key is kept for this
// browser tab only (sessionStorage), never put in a URL and never logged.

const KEY = 'leadrouter.console.key';
/** The API's root: the console is served at <root>/console/. */
const ROOT = new URL('../', document.baseURI);

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: key => sessionStorage.setItem(KEY, key),
  forget: () => sessionStorage.removeItem(KEY),
};

/** The API answered with an error: status and the API's own message ({"error": "...", "status": N}). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** No key, or the key was refused (401): the console asks for one again. */
export class KeyNeeded extends Error {}

/**
 * A call of the API, answering its JSON. params: an object of query parameters (empty ones left out).
 * @throws KeyNeeded without a key in force, ApiError for any other answer but 2xx
 */
export async function api(path, {method = 'GET', params} = {}) {
  const response = await send(path, method, params, 'application/json');
  return response.status === 204 ? null : response.json();
}

/** A download of the API (an export): fetched with the key, saved from a Blob under this file name. */
export async function download(path, params, fileName) {
  const response = await send(path, 'GET', params, '*/*');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function send(path, method, params, accept) {
  const key = apiKey.get();
  if (!key) throw new KeyNeeded('an API key is needed');
  const url = new URL(path.replace(/^\//, ''), ROOT);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const response = await fetch(url, {
    method,
    headers: {'X-Api-Key': key, Accept: accept},
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.status === 401) {
    apiKey.forget();
    throw new KeyNeeded('the router refused the key (401): it is unknown or was revoked');
  }
  if (!response.ok) throw new ApiError(response.status, await problem(response));
  return response;
}

async function problem(response) {
  try {
    const body = await response.json();
    return body && typeof body.error === 'string' ? body.error : response.statusText;
  } catch {
    return response.statusText || `HTTP ${response.status}`;
  }
}

/**
 * What an error means to the user, as one sentence: a key whose role does not open the operation
 * (403) says so plainly.
 */
export function explain(error, doing) {
  if (error instanceof ApiError && error.status === 403) {
    return `This key may not ${doing}: its role does not allow it (403). ${error.message}`;
  }
  if (error instanceof ApiError) return `Could not ${doing}: ${error.message} (${error.status}).`;
  return `Could not ${doing}: ${error.message}`;
}
