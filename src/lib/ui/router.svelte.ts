/**
 * @file Hash-based navigation: works from any static server or sub-folder with no
 * server-side routes, and the back button moves between views.
 */
import { DEFAULT_ROUTE, routeFromHash, type RouteId } from './routes';

export class Router {
  #route = $state<RouteId>(DEFAULT_ROUTE);

  constructor() {
    this.#route = routeFromHash(location.hash) ?? DEFAULT_ROUTE;
    window.addEventListener('hashchange', () => {
      this.#route = routeFromHash(location.hash) ?? DEFAULT_ROUTE;
    });
  }

  get route(): RouteId {
    return this.#route;
  }

  /** Navigates to a view (adds a history entry). */
  go(route: RouteId): void {
    location.hash = `#/${route}`;
  }
}
