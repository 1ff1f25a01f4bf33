import recording from "../fixtures/conformance/05_registry.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("05_registry", recording);
