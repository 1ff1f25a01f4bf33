import type { Route } from "./route";
import { artifactRoutes } from "./artifacts";
import { authRoutes } from "./auth";
import { multipartRoutes } from "./multipart";
import { sharedLinkRoutes } from "./shared-links";
import { experimentRoutes } from "./experiments";
import { loggedModelRoutes } from "./logged-models";
import { metricHistoryRoutes } from "./metric-history";
import { modelVersionRoutes } from "./model-versions";
import { registeredModelRoutes } from "./registered-models";
import { runInputRoutes } from "./run-inputs";
import { runLoggingRoutes } from "./run-logging";
import { runRoutes } from "./runs";
import { runSearchRoutes } from "./run-search";
import { serviceRoutes } from "./service";
import { traceRoutes } from "./traces";

/** The route table: every operation the Worker answers. */
export const routes: Route[] = [...serviceRoutes, ...experimentRoutes, ...runRoutes, ...runSearchRoutes, ...runLoggingRoutes, ...runInputRoutes, ...metricHistoryRoutes, ...loggedModelRoutes, ...registeredModelRoutes, ...modelVersionRoutes, ...traceRoutes, ...artifactRoutes, ...multipartRoutes, ...sharedLinkRoutes, ...authRoutes];
