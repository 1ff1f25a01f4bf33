import { runMatrix } from "./matrix";

runMatrix(0, 1);
