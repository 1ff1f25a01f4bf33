import recording from "../fixtures/conformance/02_runs_logging.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("02_runs_logging", recording);
