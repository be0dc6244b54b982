/**
 * Lets code outside React (the central API error handler) navigate with the router.
 * The router registers itself here once it is created; until then a full page load is used.
 */
export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}
type Navigate = (to: string, opts?: NavigateOptions) => void;

let navigateFn: Navigate = (to) => window.location.assign(to);

export function setNavigator(fn: Navigate): void {
  navigateFn = fn;
}

export function navigateTo(to: string, opts?: NavigateOptions): void {
  navigateFn(to, opts);
}
