/** Escapes LIKE's wildcards so user text matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE likePrefix(x)` matches values starting with x. */
export function likePrefix(text: string): string {
  return `${escapeLike(text)}%`;
}

/** `column LIKE likeContains(x)` matches values containing x. */
export function likeContains(text: string): string {
  return `%${escapeLike(text)}%`;
}
