// The JSON API of `dateline serve` (docs/API.md). URLs are relative to the page, so the
// dashboard also works when the server is mounted under a path.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const inflight = new Map();

/** GET api/<path>?<params>; `key` names a request that a newer one with the same key aborts. */
export async function get(path, params = {}, key = null) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
  }
  const url = `api/${path}${qs.size ? `?${qs}` : ''}`;
  let signal;
  if (key) {
    inflight.get(key)?.abort();
    const ctrl = new AbortController();
    inflight.set(key, ctrl);
    signal = ctrl.signal;
  }
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (key && inflight.get(key)?.signal === signal) inflight.delete(key);
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `${res.status} ${res.statusText}`);
  return body;
}

export const isAbort = (err) => err?.name === 'AbortError';
