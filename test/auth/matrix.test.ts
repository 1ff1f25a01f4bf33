import { runMatrix } from "./matrix";

runMatrix();
