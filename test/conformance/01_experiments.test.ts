import recording from "../fixtures/conformance/01_experiments.jsonl?raw";
import { replayScenario } from "./scenarios";

replayScenario("01_experiments", recording);
