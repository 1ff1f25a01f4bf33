import { buildApp } from "./app";
import { routes } from "./routes";

export default buildApp(routes);
