import recording from "../fixtures/conformance/04_artifacts.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("04_artifacts", recording);
