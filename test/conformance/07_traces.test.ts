import recording from "../fixtures/conformance/07_traces.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("07_traces", recording);
