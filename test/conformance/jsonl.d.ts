/** Recordings are imported as text through Vite's `?raw` suffix. */
declare module "*.jsonl?raw" {
  const text: string;
  export default text;
}
