import recording from "../fixtures/conformance/03_search_runs.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("03_search_runs", recording);
