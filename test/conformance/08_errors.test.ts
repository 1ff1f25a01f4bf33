import recording from "../fixtures/conformance/08_errors.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("08_errors", recording);
