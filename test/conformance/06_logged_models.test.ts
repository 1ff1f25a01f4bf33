import recording from "../fixtures/conformance/06_logged_models.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("06_logged_models", recording);
