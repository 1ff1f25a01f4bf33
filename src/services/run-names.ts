/**
 * Server-generated run names in MLflow's style, `<adjective>-<noun>-<number>`, so a run
 * created without a name is still easy to tell apart in lists.
 */
const ADJECTIVES = [
  "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fair",
  "fleet", "gentle", "glad", "grand", "keen", "kind", "lively", "lucky", "merry", "mighty",
  "nimble", "noble", "placid", "polite", "proud", "quick", "quiet", "rare", "shy", "silent",
  "sleek", "smooth", "spry", "steady", "sunny", "swift", "tidy", "vivid", "warm", "wise",
];
const NOUNS = [
  "auk", "badger", "bat", "bear", "bee", "bison", "crane", "crow", "deer", "dove",
  "eel", "elk", "falcon", "finch", "fox", "frog", "gnu", "hare", "hawk", "heron",
  "ibis", "jay", "koala", "lark", "lynx", "mole", "moth", "newt", "otter", "owl",
  "panda", "quail", "robin", "seal", "shrew", "snail", "stork", "swan", "toad", "wren",
];

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];

export function generateRunName(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1000)}`;
}
