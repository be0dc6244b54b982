import { apiBase, commonHeaders, errorFromBody, errorFromResponse, queryString, ApiError, type Query } from '../../app/api';

export interface Progress {
  loaded: number;
  /** null when the server does not say (a streamed body has no Content-Length) */
  total: number | null;
}

/** "1.2 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The file name from Content-Disposition (RFC 6266 filename* first, for Chinese names). */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // malformed escape: fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/**
 * GETs a file, reading the body chunk by chunk so the caller can show bytes received.
 * Errors come back in the API's JSON shape and are thrown as ApiError.
 */
export async function downloadFile(
  path: string,
  query: Query | undefined,
  fallbackName: string,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<{ blob: Blob; filename: string }> {
  let res: Response;
  try {
    res = await fetch(apiBase + path + queryString(query), {
      method: 'GET',
      credentials: 'same-origin',
      headers: { ...commonHeaders('GET'), Accept: '*/*' },
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw new ApiError(0, 'ABORTED', 'aborted');
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (!res.ok) throw await errorFromResponse(res);

  const lengthHeader = res.headers.get('Content-Length');
  const total = lengthHeader ? Number(lengthHeader) || null : null;
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  const filename = filenameFrom(res.headers.get('Content-Disposition'), fallbackName);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  onProgress({ loaded, total });
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress({ loaded, total });
      }
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw new ApiError(0, 'ABORTED', 'aborted');
      throw new ApiError(0, 'NETWORK', 'network');
    }
  }
  return { blob: new Blob(chunks, { type }), filename };
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // let the browser start reading the blob before it is released
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * POSTs a file as multipart field `file`. XMLHttpRequest rather than fetch: fetch cannot
 * report upload progress.
 */
export function uploadFile<T>(
  path: string,
  file: File,
  onProgress: (p: Progress) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', apiBase + path);
    for (const [k, v] of Object.entries(commonHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : null });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(errorFromBody(xhr.status, body, `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
