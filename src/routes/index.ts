import type { Route } from "./route";
import { experimentRoutes } from "./experiments";
import { loggedModelRoutes } from "./logged-models";
import { metricHistoryRoutes } from "./metric-history";
import { runLoggingRoutes } from "./run-logging";
import { runRoutes } from "./runs";
import { serviceRoutes } from "./service";

/** The route table: every operation the Worker answers. */
export const routes: Route[] = [...serviceRoutes, ...experimentRoutes, ...runRoutes, ...runLoggingRoutes, ...metricHistoryRoutes, ...loggedModelRoutes];
